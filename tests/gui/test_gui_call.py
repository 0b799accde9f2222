"""The Wireshark window on one failed call (tests/captures/call-486.pcapng: INVITE, 100, 486, ACK):
plugin loaded, status-bar expert indicator, Info column, the 486 subtree, and a site override
added in the preferences dialog that changes the Info column without a restart.

Tests run in name order on one Wireshark window; each reads what the window shows (OCR)."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guiharness  # noqa: E402
import views  # noqa: E402
from guiharness import squash  # noqa: E402

# The protocol's name in the packet details (the title of sipvi's subtree).
PROTOCOL_NAME = "Trạng thái SIP tiếng Việt"
OVERRIDE_MEANING = "Thuê bao đang bận máy"


class CallWindowTest(guiharness.GuiTestCase):

    CAPTURE = "call-486.pcapng"

    def assert_exact(self, image, line, expected):
        ok, readings = self.gui.exact_line(image, line, expected)
        self.assertTrue(ok, f"OCR never read {expected!r} exactly in {line.text!r}; readings: {readings}")

    def test_1_status_bar_after_load(self):
        # Right after the file is read, before any frame is selected: the highest severity of
        # the capture is sipvi's warning for 486.
        tooltip, colour, icon = views.expert_indicator(self.gui, doc="gui-status-bar")
        self.assertNotIn("no expert information", tooltip.lower())
        self.assertIn(squash("WARNING is the highest expert information level"), squash(tooltip))
        self.assertEqual(colour, "yellow", f"expert icon at {icon}")

    def test_2_plugin_loaded(self):
        row, _ = views.about_plugins_row(self.gui)
        # The Type column: 4.0 "dissector", 4.4 "dissector, tap listener", 4.6 "Dissector, Tap
        # Listener".
        words = re.split(r"[\s,]+", row.text)
        if not self.gui.ts.loaded_plugin:
            # The Lua edition's row (its path is shown in a column further right, out of sight).
            # 4.6 capitalises the type: "Lua script".
            self.assertEqual(words[:2] + [w.lower() for w in words[2:4]],
                             ["sipvi.lua", "0.1.0", "lua", "script"], row.text)
            return
        # Compared without spaces: tesseract may split the path in two words.
        self.assertIn(squash(self.gui.ts.loaded_plugin), squash(row.text),
                      f"About → Plugins does not show the private copy {self.gui.ts.loaded_plugin}")
        self.assertIn("dissector", [w.lower() for w in words], row.text)

    def test_3_info_column(self):
        expected = "Status: 486 Busy Here | Máy bận"
        line, image = views.packet_row(self.gui, 3, expected)
        self.assertTrue(squash(line.text).endswith(squash(expected)), line.text)
        self.assert_exact(image, line, expected)
        line, image = views.packet_row(self.gui, 2, "Status: 100 Trying | Đang xử lý")
        self.assertTrue(squash(line.text).endswith(squash("Status: 100 Trying | Dang xu ly")), line.text)

    def test_4_packet_details(self):
        views.go_to_packet(self.gui, 3)
        header = views.expand_details_subtree(self.gui, PROTOCOL_NAME)
        wanted = ["Ý nghĩa: Máy bận", "Mức độ: Cảnh báo", "Có trong bảng: Có",
                  "Phản hồi cuối cùng: Có"]
        # The subtree's title is selected (clicked): read selected rows too.
        wanted.append(f"{PROTOCOL_NAME}: 486")
        lines, image = views.screen_lines(
            self.gui, "subtree", lambda ls: all(views.find(ls, w) for w in wanted),
            "the 486 subtree's rows", selected=True)
        self.gui.save_doc("gui-486-details")
        title = views.find(lines, f"{PROTOCOL_NAME}: 486")
        # The title is read again on its own, where OCR reads it exactly.
        self.assert_exact(image, title, f"{PROTOCOL_NAME}: 486 Máy bận")
        self.assert_exact(image, views.find(lines, "Ý nghĩa: Máy bận"), "Ý nghĩa: Máy bận")
        severity = views.find(lines, "Mức độ:")
        self.assertTrue(squash(severity.text).startswith(squash("[Mức độ: Cảnh báo")), severity.text)
        self.assert_exact(image, severity, "Mức độ: Cảnh báo")
        below = [l for l in lines if l.box[1] > header.box[1]]
        for l in below:
            self.assertNotRegex(l.text, r"\b(True|False)\b", "booleans must read Có/Không")

    @unittest.skipIf(os.environ.get("SIPVI_GUI_EDITION") == "lua",
                     "the Lua edition has no UAT: its overrides are a file (lua/README.md)")
    def test_5_site_override(self):
        prefs = views.open_sipvi_preferences(self.gui)
        lines, _ = self.gui.read_until(
            "prefs-sipvi", None, lambda ls: views.find(ls, "Site overrides") is not None,
            "sipvi's preferences page", lang="eng", scale=2)
        label = views.find(lines, "Site overrides")
        edit = views.word_beside(lines, label, "Edit")
        self.assertIsNotNone(edit, "no Edit… button beside Site overrides: "
                             + " / ".join(l.text for l in lines if abs(l.center[1] - label.center[1]) < 30))
        self.gui.click(*edit)
        uat = self.gui.wait_window("sipvi overrides")
        self.gui.focus(uat)
        # From the table, Tab reaches the "+" button; a new row opens its first cell for editing.
        self.gui.key("Tab", "space")
        self.gui.type("486")
        self.gui.key("Tab")
        self.gui.type(OVERRIDE_MEANING)
        self.gui.key("Tab", "Tab")
        self.gui.type("lỗi")
        self.gui.key("Return")
        lines, image = self.gui.read_until(
            "uat", None, lambda ls: views.find(ls, OVERRIDE_MEANING) is not None,
            "the new override row", scale=3, selected=True)
        self.assertIsNone(views.find(lines, "không hợp lệ"),
                          "the overrides dialog refused the row: " + " / ".join(l.text for l in lines))
        self.click_ok(uat, "the overrides dialog")
        self.click_ok(prefs, "the Preferences dialog")
        # Row 3 is selected (white on blue, which OCR reads badly): select row 1.
        views.go_to_packet(self.gui, 1)
        expected = f"Status: 486 Busy Here | {OVERRIDE_MEANING}"
        line, image = views.packet_row(self.gui, 3, expected, label="overridden")
        self.assert_exact(image, line, expected)

    def click_ok(self, window, what):
        self.gui.close_with(window, "OK", what)

if __name__ == "__main__":
    unittest.main()
