#!/usr/bin/env python3
"""Expert info does not depend on the display filter, and reads in Vietnamese.

The expert tap (tshark -z expert, the GUI's Expert Information) asks Wireshark for no protocol
tree, and SIP parses Reason and Warning headers only into one: sipvi gives the rest of such a pass a
tree (plugin/annotation/sipvi_tree_hook.c). These tests fail the day a Wireshark series stops honouring that:
the Reason and Warning items would vanish from a run without a filter.
"""

import glob
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSES  # noqa: E402
from datafile import Data  # noqa: E402

ALL_CALLS = os.path.join("triage", "all-calls.pcapng")


def all_captures():
    """Every capture under tests/ (relative to tests/captures or absolute), in a stable order."""
    names = sorted(os.path.relpath(p, harness.CAPTURE_DIR)
                   for p in glob.glob(os.path.join(harness.CAPTURE_DIR, "**", "*.pcap*"), recursive=True))
    hostile = os.path.join(harness.SOURCE_DIR, "tests", "robustness", "hostile.pcap")
    return names + [hostile]


# The expert items made from SIP's header tree: a Reason or Warning header, a diagnosis.
MEDIA_IDS = {"no_media", "one_way_media", "media_address_mismatch", "media_stopped", "media_loss",
             "media_jitter"}
TREE_ONLY = ("Q.850 ", "Reason SIP ", "Warning ", "Chẩn đoán cuộc gọi: ", "Chẩn đoán đăng ký: ")


class ExpertWithoutFilter(harness.PluginTestCase):
    def expert(self, capture, *extra):
        return harness.expert_entries(self.ts.run(["-n", "-r", capture, "-q", "-z", "expert", *extra]),
                                      diagnoses=True)

    def copy(self, name):
        if os.path.isabs(name):
            return self.ts.capture(os.path.basename(name), os.path.dirname(name))
        return self.ts.capture(name)

    def test_reason_and_warning_items_without_a_filter(self):
        capture = self.copy(ALL_CALLS)
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                entries = self.expert(capture, *extra)
                summaries = [e[3] for e in entries]
                self.assertIn(("Chats", 1, "Response", "Q.850 17: Máy bận"), entries)
                self.assertIn(("Chats", 1, "Response", "Reason SIP 200: Cuộc gọi đã được trả lời ở máy khác"),
                              entries)
                self.assertTrue(any(s.startswith("Warning 305: ") for s in summaries), summaries)
                # 52 for the responses, Reason and Warning headers; 9 for the failed calls'
                # diagnoses (test_diagnosis.py).
                self.assertEqual(sum(e[1] for e in entries), 61)

    def test_same_items_whatever_the_filter(self):
        # Any display filter makes a tree; without one, sipvi's hook must give the same items.
        for name in all_captures():
            capture = self.copy(name)
            for mode, extra in PASSES.items():
                with self.subTest(capture=os.path.basename(name), mode=mode):
                    plain = self.expert(capture, *extra)
                    # The filtered run also prints frame 1's expert messages (-T fields; the
                    # -z report follows the rows behind an empty line), one tshark run less.
                    out = self.ts.run(["-n", "-r", capture, *extra, "-Y", "frame", "-T", "fields",
                                       "-E", "aggregator=\x1f", "-e", "frame.number",
                                       "-e", "_ws.expert.message", "-e", "sip.Call-ID",
                                       "-e", "sdp.version", "-e", "sipvi.diagnosis",
                                       "-e", "sipvi.diagnosis.call_id", "-z", "expert"])
                    rows, _, report = out.partition("\n\n")
                    filtered = harness.expert_entries(report, diagnoses=True)
                    rows = [r.split("\t") for r in rows.split("\n")]
                    self.assertEqual(rows[0][0], "1")
                    messages = rows[0][1].split("\x1f")
                    if mode == "two-pass":
                        # The first pass builds no tree at frame 1 either, but sipvi's expert
                        # path registers its media listeners there (docs/media.md), which ask the
                        # second pass for a tree from frame 1: its Reason and Warning items are
                        # there. A diagnosis certain at frame 1 is decided in the first pass only.
                        tree_only = [m for m in messages if m.startswith(TREE_ONLY[3:])]
                    else:
                        # One exception, tshark only: the first frame is dissected before the
                        # hook can give a tree, so what needs SIP's header tree there (its Reason
                        # and Warning items, a diagnosis certain at frame 1, such as a final
                        # response to an INVITE the capture does not hold) is missing without a
                        # filter.
                        tree_only = [m for m in messages if m.startswith(TREE_ONLY)]
                        # So is the SDP of an INVITE in frame 1: the media diagnosis of its call
                        # may lack the caller's address, and is compared in test_media.py only.
                        first_call = rows[0][2] if len(rows[0]) > 3 and rows[0][3] else None
                        for r in rows:
                            if first_call and len(r) > 5 and r[4] in MEDIA_IDS and r[5] == first_call:
                                title = next(m for m in r[1].split("\x1f")
                                             if m.startswith("Chẩn đoán cuộc gọi: "))
                                plain = [(s, n - 1 if t == title else n, g, t) for s, n, g, t in plain]
                                plain = [e for e in plain if e[1]]
                                tree_only.append(title)
                    for message in tree_only:
                        filtered = [(s, n - 1 if t == message else n, g, t)
                                    for s, n, g, t in filtered]
                    filtered = [e for e in filtered if e[1]]
                    self.assertEqual(plain, filtered)

    def test_chat_items_without_a_tree_line(self):
        # A Chat response's item is not a line of the tree (docs/reference.md, "Expert info"),
        # but the expert tap and an Expert column get it, with a tree or without one; a Warning
        # response's item keeps its line.
        capture = self.copy("call-486.pcapng")
        text = self.ts.run(["-n", "-r", capture, "-V", "-O", "sipvi"]).splitlines()
        expert_lines = [line.strip() for line in text if "[Expert Info (" in line]
        self.assertEqual(expert_lines, ["[Expert Info (Warning/Response): 486 Máy bận]"])
        self.assertIn("    [Mức độ: Thông tin (Chat) (1)]", text)
        summary = re.compile(r"^ +(\d+) ?(Chat|Note|Warning|Error)? *$")
        for extra in ([], ["-Y", "frame"], ["-V", "-P"]):
            with self.subTest(extra=extra):
                out = self.ts.run(["-n", "-r", capture, *extra, "-z", "expert",
                                   "-o", 'gui.column.format:"No.","%m","Expert","%a"'])
                rows = [m.groups() for m in map(summary.match, out.splitlines()) if m]
                self.assertEqual(rows, [("1", None), ("2", "Chat"), ("3", "Warning"), ("4", None)])
                self.assertIn(("Chats", 1, "Response", "100 Đang xử lý"),
                              harness.expert_entries(out, diagnoses=True))

    def test_visible_tree_gives_the_same_items(self):
        # sipvi reads SIP's fields from a visible tree (-V, the packet details) by walking it and
        # from an invisible one (a filter) through marked fields (plugin/annotation/sipvi_prime.c): both
        # must find the same, on every series (4.4's -T fields makes no visible tree, -V does).
        # The day a series moves a field the walk does not reach, an item goes missing here.
        for name in all_captures():
            capture = self.copy(name)
            with self.subTest(capture=os.path.basename(name)):
                visible = self.ts.run(["-n", "-r", capture, "-V", "-O", "sipvi", "-z", "expert"])
                invisible = self.ts.run(["-n", "-r", capture, "-Y", "frame", "-q", "-z", "expert"])
                self.assertEqual(harness.expert_entries(visible, diagnoses=True),
                                 harness.expert_entries(invisible, diagnoses=True))

    def test_group_summaries_are_vietnamese(self):
        # Expert Information groups items by these summaries: its group rows.
        data = Data(harness.DATA_DIR)
        rows = [line.split("\t") for line in self.ts.run(["-G", "fields"]).splitlines()]
        summaries = {r[2]: r[1] for r in rows if len(r) > 3 and r[0] == "F" and r[2].startswith("sipvi.")
                     and r[3] == "FT_NONE"}
        keys = {1: "provisional", 2: "success", 3: "redirection", 4: "client_error",
                5: "server_error", 6: "global_failure", 7: "stack_specific"}
        for klass, key in keys.items():
            for severity in ("chat", "note", "warn", "error"):
                self.assertEqual(summaries[f"sipvi.{key}.{severity}"],
                                 f"Phản hồi SIP {klass}xx: {data.classes[klass]['name']}")
        self.assertEqual(summaries["sipvi.q850"], "Nguyên nhân Q.850 trong header Reason")
        self.assertEqual(summaries["sipvi.reason_sip"], "Nguyên nhân SIP trong header Reason")
        self.assertEqual(summaries["sipvi.warning"], "Header Warning của SIP")
        self.assertEqual(summaries["sipvi.invalid"], "Mã trạng thái SIP ngoài khoảng 100–799")

    def test_protocol_names_are_vietnamese(self):
        rows = [line.split("\t") for line in self.ts.run(["-G", "protocols"]).splitlines()]
        # name, short name, filter name (4.4 adds three flag columns)
        names = {r[2]: r[0] for r in rows if len(r) >= 3 and r[2].startswith("sipvi")}
        self.assertEqual(names, {
            "sipvi": "Trạng thái SIP tiếng Việt",
            "sipvi.postdissector": "Trạng thái SIP tiếng Việt: phần chạy sau SIP (nội bộ, bật/tắt "
                                   "theo sipvi)"})

    def test_booleans_read_co_khong(self):
        capture = self.copy("call-486.pcapng")
        text = self.ts.run(["-n", "-r", capture, "-V", "-Y", "frame.number == 3"])
        self.assertIn("    [Có trong bảng: Có]", text.splitlines())
        self.assertIn("    [Phản hồi cuối cùng: Có]", text.splitlines())
        text = self.ts.run(["-n", "-r", capture, "-V", "-Y", "frame.number == 2"])
        self.assertIn("    [Phản hồi cuối cùng: Không]", text.splitlines())

    def test_detail_lines_are_at_most_100_characters(self):
        capture = self.copy(ALL_CALLS)
        data = Data(harness.DATA_DIR)
        text = self.ts.run(["-n", "-r", capture, "-V", "-Y", "sipvi"])
        # The lines of each "[Chi tiết: …]" item (status codes and Q.850 causes alike): the
        # first in its label, the others below it.
        lines, depth = [], None
        for line in text.splitlines():
            indent = len(line) - len(line.lstrip(" "))
            if line.strip().startswith("[Chi tiết: ") and line.endswith("]"):
                lines.append(line.strip()[len("[Chi tiết: "):-1])
                depth = indent + 4
            elif depth is not None and indent == depth and not line.lstrip().startswith("["):
                lines.append(line[depth:])
            else:
                depth = None
        self.assertTrue(lines)
        longest = max(len(line) for line in lines)
        self.assertLessEqual(longest, 100)
        self.assertGreater(longest, 90)   # cut near the limit, not at some byte count
        # Joined back, they are the data's text.
        details = harness.sipvi_tree_details(text)
        for frame, texts in details.items():
            for t in texts:
                self.assertTrue(any(t == row["detail"] for row in data.codes.values()), (frame, t))


if __name__ == "__main__":
    unittest.main()
