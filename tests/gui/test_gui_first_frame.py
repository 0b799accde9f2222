"""A diagnosis certain at the first frame, in the Wireshark window: d03's 486 and ACK without their
INVITE (tests/captures/diagnosis/f01-first_frame_486-udp.pcapng). Expert Information dissects the
file again without a protocol tree, and sipvi gives that pass one only from its second frame
(plugin/annotation/sipvi_tree_hook.c); the item of frame 1, concluded when the file was loaded, must still be
listed: group row Chẩn đoán cuộc gọi thất bại, count 1, as tshark lists it with a tree from the
first frame (-Y frame). Wireshark is started with -z sipvi,calls_table: the calls table opens
with the file, its one row that call."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guiharness  # noqa: E402
import harness  # noqa: E402
import views  # noqa: E402
from expected import diagnosis_table  # noqa: E402

FAILED_CALL_GROUP = views.FAILED_CALL_GROUP


@unittest.skipIf(os.environ.get("SIPVI_GUI_EDITION") == "lua",
                 "the diagnosis is the C plugin's only (lua/README.md)")
class FirstFrameWindowTest(guiharness.GuiTestCase):

    CAPTURE = "diagnosis/f01-first_frame_486-udp.pcapng"
    EXTRA_ARGS = ("-z", "sipvi,calls_table")

    def test_1_table_opened_by_z(self):
        rows = diagnosis_table(self.gui.ts, self.gui.capture, "calls")
        self.assertEqual([(r["Khung đầu"], r["Chẩn đoán"], r["Mã"]) for r in rows],
                         [("1", "invite_missing", "486")])
        dialog = self.gui.wait_window(r"\(sipvi\)", "the calls table opened by -z sipvi,calls_table")
        try:
            self.gui.xdotool("windowmove", dialog, "0", "0")
            self.gui.xdotool("windowsize", dialog, "1600", "1000")
            self.gui.wait(lambda: self.gui.geometry(dialog)[2] >= 1500 or None, "the table to resize")
            columns = ["Tiêu đề", "Mã", "Bên gọi", "Bên được gọi", "Khung bằng chứng", "Chẩn đoán"]
            self.gui.read_until("z-table", self.gui.geometry(dialog),
                                lambda ls: views.diagnosis_row(ls, rows[0], columns) is not None,
                                "the row 1 Thiếu INVITE trong bản ghi 486", scale=3, psm=6)
        finally:
            self.gui.close_with(dialog, "Close", "the calls table")

    def test_2_expert_information_lists_frame_one(self):
        ts = self.gui.ts
        found = ts.run(["-n", "-r", self.gui.capture, "-Y", "sipvi.diagnosis", "-T", "fields",
                        "-e", "frame.number", "-e", "sipvi.diagnosis"]).split()
        self.assertEqual(found, ["1", "invite_missing"])
        sequence = [e for e in harness.expert_entries(
            ts.run(["-n", "-r", self.gui.capture, "-q", "-Y", "frame", "-z", "expert"]),
            diagnoses=True) if e[2] == "Sequence"]
        self.assertEqual(sequence, [("Warns", 1, "Sequence",
                                     "Chẩn đoán cuộc gọi: Thiếu INVITE trong bản ghi")])
        dialog = views.open_expert_dialog(self.gui)
        try:
            lines, _ = self.gui.read_until("expert-first-frame", self.gui.geometry(dialog),
                                           views.failed_calls_row,
                                           f"the group row {FAILED_CALL_GROUP}", scale=3, psm=6)
            row, count = views.failed_calls_row(lines)
            self.assertEqual(count, 1, row.text)
        finally:
            self.gui.close_with(dialog, "Close", "the Expert Information dialog")


if __name__ == "__main__":
    unittest.main()
