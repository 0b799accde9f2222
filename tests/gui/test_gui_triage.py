"""The Wireshark window on fifteen recorded calls (tests/captures/triage/all-calls.pcapng): the
Expert Information dialog with no display filter (Vietnamese group rows, a Q.850 item, the same
counts as `tshark -q -z expert`) and the statistics tree opened from the Statistics menu (the same
counts as `tshark -q -z sipvi,tree`)."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expected import expert_summaries, expected_expert_groups, stats_tree_rows  # noqa: E402
import guiharness  # noqa: E402
import views  # noqa: E402
from guiharness import plain, squash  # noqa: E402

STATS_MENU_ITEM = "Trạng thái SIP tiếng Việt (sipvi)"
# Ungrouped, a severity's row has no summary: "Chat", perhaps a group and protocol, the count.
CHAT_ROW = re.compile(r"^[\W_]*Chat(\s+\S+){0,3}\s+\d+$")


class TriageWindowTest(guiharness.GuiTestCase):

    CAPTURE = "triage/all-calls.pcapng"

    def test_1_expert_information(self):
        ts = self.gui.ts
        summaries = expert_summaries(ts)
        # The group rows are sipvi's registered summaries, in Vietnamese.
        self.assertEqual(summaries["sipvi.client_error.warn"], "Phản hồi SIP 4xx: Yêu cầu thất bại")
        self.assertEqual(summaries["sipvi.q850"], "Nguyên nhân Q.850 trong header Reason")
        expected = expected_expert_groups(ts, self.gui.capture)
        self.assertIn(("Chat", summaries["sipvi.q850"]), expected,
                      "tshark -z expert (no filter) lists no Q.850 item")

        dialog = views.open_expert_dialog(self.gui)

        def all_groups(lines):
            return len(views.expert_groups(lines)) >= len(expected)
        lines, image = self.gui.read_until("expert", self.gui.geometry(dialog), all_groups,
                                           f"{len(expected)} group rows", scale=3, psm=6)
        shown = views.expert_groups(lines)
        for (severity, summary), count in sorted(expected.items()):
            with self.subTest(severity=severity, summary=summary):
                match = [(s, n) for (sev, s), n in shown.items()
                         if sev == severity and views.holds(squash(s), squash(summary))]
                self.assertEqual(len(match), 1, f"group row {severity} / {summary}: {shown}")
                self.assertEqual(match[0][1], count, f"count of {severity} / {summary}")
        self.assertEqual(len(shown), len(expected), shown)
        row = views.find(lines, summaries["sipvi.client_error.warn"])
        ok, readings = self.gui.exact_line(image, row, "Phản hồi SIP 4xx: Yêu cầu thất bại")
        self.assertTrue(ok, readings)

        self.gui.save_doc("gui-expert-information", dialog)

        # Grouped by summary, an item's row shows its packet's Info column; ungrouped, its own
        # summary. Untick "Group by summary", open the Chat rows and find the Q.850 cause.
        toggle = views.find(lines, "Group by summary")
        self.assertIsNotNone(toggle, "no Group by summary check box")
        self.gui.click(*toggle.word_center("Group"))
        lines, _ = self.gui.read_until(
            "expert-ungrouped", self.gui.geometry(dialog),
            lambda ls: any(CHAT_ROW.match(plain(l.text).strip()) for l in ls),
            "the ungrouped Chat row", scale=3, psm=6)
        chat = next(l for l in lines if CHAT_ROW.match(plain(l.text).strip()))
        self.gui.click(chat.box[0] + 10, chat.center[1])
        self.gui.key("Right")
        lines, image = self.gui.read_until(
            "expert-q850", self.gui.geometry(dialog),
            lambda ls: views.find(ls, "Q.850 17: Máy bận") is not None, "the item Q.850 17: Máy bận",
            scale=3, psm=6)
        item = views.find(lines, "Q.850 17: Máy bận")
        ok, readings = self.gui.exact_line(image, item, "Q.850 17: Máy bận")
        self.assertTrue(ok, readings)
        self.gui.close_with(dialog, "Close", "the Expert Information dialog")

    @unittest.skipIf(os.environ.get("SIPVI_GUI_EDITION") == "lua",
                     "-z sipvi,tree and its Statistics menu entry are the C plugin's (lua/README.md)")
    def test_2_statistics_tree(self):
        ts = self.gui.ts
        expected = stats_tree_rows(
            ts.run(["-n", "-r", self.gui.capture, "-q", "-z", "sipvi,tree"]))
        self.assertIn(("Phản hồi SIP theo lớp và mã", 43), expected)
        self.gui.open_menu("s", STATS_MENU_ITEM)
        dialog = self.gui.wait_window(r"\(sipvi\)", "the sipvi statistics tree")
        self.gui.xdotool("windowmove", dialog, "0", "0")
        self.gui.xdotool("windowsize", dialog, "1600", "1000")
        self.gui.wait(lambda: self.gui.geometry(dialog)[2] >= 1500 or None,
                      "the statistics dialog to resize")

        def all_rows(lines):
            return len(views.stats_rows(lines)) >= len(expected)
        lines, _ = self.gui.read_until("stats", self.gui.geometry(dialog), all_rows,
                                       f"{len(expected)} rows of the statistics tree", scale=3, psm=6)
        shown = views.stats_rows(lines)
        unread = list(shown)
        # Each row of tshark's tree is one row of the dialog (a code appears under its class and
        # again among the failed calls): each dialog row answers one tshark row.
        for name, count in expected:
            with self.subTest(row=name):
                match = [(s, n) for s, n in unread if views.holds(squash(s), squash(name))
                         and len(squash(s)) <= len(squash(name)) + 3]
                self.assertTrue(match, f"no row {name} in {shown}")
                self.assertEqual(match[0][1], count, f"count of {name}")
                unread.remove(match[0])
        self.assertEqual(unread, [], "rows tshark does not list")
        self.gui.save_doc("gui-statistics-tree", dialog)
        self.gui.close_with(dialog, "Close", "the statistics dialog")


if __name__ == "__main__":
    unittest.main()
