"""GUI smoke test for every Wireshark series CI runs (4.0, 4.4, 4.6): the window loads the built
plugin, shows the meaning in the Info column and lists sipvi's items in Expert Information. It
opens menus by their Alt+letter and clicks items where it reads them, and compares text without
diacritics only, so it depends on no menu layout or font rendering of one series."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expected import expert_summaries  # noqa: E402
import guiharness  # noqa: E402
import views  # noqa: E402
from guiharness import squash  # noqa: E402


class SmokeTest(guiharness.GuiTestCase):

    CAPTURE = "call-486.pcapng"

    def test_1_plugin_loaded(self):
        row, _ = views.about_plugins_row(self.gui)
        if self.gui.ts.loaded_plugin:
            self.assertIn(self.gui.ts.loaded_plugin, row.text.split(), row.text)
        else:
            # The Lua edition's row (its path is shown in a column further right, out of sight).
            # 4.6 capitalises the type: "Lua script".
            words = row.text.split()
            self.assertEqual(words[:2] + [w.lower() for w in words[2:4]],
                             ["sipvi.lua", "0.1.0", "lua", "script"], row.text)

    def test_2_info_column(self):
        line, _ = views.packet_row(self.gui, 3, "Status: 486 Busy Here | Máy bận")
        self.assertTrue(squash(line.text).endswith(squash("Status: 486 Busy Here | May ban")),
                        line.text)

    def test_3_expert_dialog(self):
        summary = expert_summaries(self.gui.ts)["sipvi.client_error.warn"]
        dialog = views.open_expert_dialog(self.gui)
        def warn_rows(groups):
            return [n for (sev, s), n in groups.items()
                    if sev == "Warning" and views.holds(squash(s), squash(summary))]
        lines, _ = self.gui.read_until(
            "expert", self.gui.geometry(dialog), lambda ls: warn_rows(views.expert_groups(ls)),
            f"the group row Warning / {summary}", scale=3, psm=6)
        self.assertEqual(warn_rows(views.expert_groups(lines)), [1])
        self.gui.close_with(dialog, "Close", "the Expert Information dialog")


if __name__ == "__main__":
    unittest.main()
