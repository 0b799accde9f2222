"""A one-way call in the Wireshark window (issue 21): the recorded call of
tests/captures/media/r-oneway.pcapng, whose RTP flows only from the caller to the callee. Its row
in Telephony → Chẩn đoán cuộc gọi (sipvi) says what -z sipvi,calls,csv says (one_way_media, its
Vietnamese title) and holds the media columns (0 packets to the caller; 400 to the callee, its
jitter and MOS) that tshark prints for the same table; Analyze → Expert Information lists its
media diagnosis among the failed calls, as `tshark -z expert` with a tree does; the packet details
of the frame where it became certain show the item and the call's media fields."""

import csv
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expected import diagnosis_table  # noqa: E402
import guiharness  # noqa: E402
import views  # noqa: E402

CALLS_TABLE = "Chẩn đoán cuộc gọi (sipvi)"
TITLE = "Âm thanh một chiều"
MEDIA_COLUMNS = ["Gói RTP tới bên gọi", "Mất gói tới bên gọi (%)",
                 "Jitter tới bên gọi (ms, trung bình/tối đa)", "MOS tới bên gọi",
                 "Gói RTP tới bên được gọi", "Mất gói tới bên được gọi (%)",
                 "Jitter tới bên được gọi (ms, trung bình/tối đa)", "MOS tới bên được gọi"]


@unittest.skipIf(os.environ.get("SIPVI_GUI_EDITION") == "lua",
                 "the media diagnosis is the C plugin's only (lua/README.md)")
class MediaWindowTest(guiharness.GuiTestCase):

    CAPTURE = "media/r-oneway.pcapng"

    def csv_row(self):
        out = self.gui.ts.run(["-n", "-r", self.gui.capture, "-q", "-z", "sipvi,calls,csv"])
        rows = list(csv.DictReader(out.splitlines()))
        self.assertEqual(len(rows), 1)
        return rows[0]

    def assert_letters(self, image, line, expected):
        _, readings = self.gui.exact_line(image, line, expected)
        letters = re.sub(r"\s+", "", expected)
        self.assertTrue(any(letters in re.sub(r"\s+", "", r) for r in readings),
                        f"OCR never read {expected!r} in {line.text!r}; readings: {readings}")

    def test_1_calls_table(self):
        want = self.csv_row()
        self.assertEqual(want["diagnosis"], "one_way_media")
        rows = diagnosis_table(self.gui.ts, self.gui.capture, "calls")
        self.assertEqual(len(rows), 1)
        row = rows[0]
        # What tshark prints for the table the window shows: the CSV's diagnosis and figures.
        self.assertEqual((row["Chẩn đoán"], row["Tiêu đề"]), ("one_way_media", TITLE))
        self.assertEqual([row[c] for c in MEDIA_COLUMNS],
                         ["0", "", "", "", want["rtp_to_callee_packets"], "0.0",
                          f"{float(want['rtp_to_callee_mean_jitter_ms']):.1f}/"
                          f"{float(want['rtp_to_callee_max_jitter_ms']):.1f}",
                          want["rtp_to_callee_mos"]])
        dialog = views.open_diagnosis_table(self.gui, CALLS_TABLE)
        try:
            # The row as the user first sees it: first frame, title, code, …, diagnosis.
            columns = ["Tiêu đề", "Mã", "Bên gọi", "Bên được gọi", "Khung bằng chứng", "Chẩn đoán"]
            lines, image = self.gui.read_until(
                "media-table", self.gui.geometry(dialog),
                lambda ls: views.diagnosis_row(ls, row, columns) is not None,
                "the one-way call's row", scale=3, psm=6)
            self.assert_letters(image, views.diagnosis_row(lines, row, columns),
                                f"{row['Khung đầu']} {TITLE} 200")
            self.gui.save_doc("gui-media-table", dialog)
            # The media columns are the last ones: scrolled to the right end (horizontal wheel),
            # the row shows the callee's figures under their headers (the caller's columns,
            # empty but for its 0 packets, are left of them).
            x, y, w, h = self.gui.geometry(dialog)
            self.gui.hover(x + w // 2, y + h // 3)
            self.gui.xdotool("click", "--repeat", "400", "--delay", "5", "7")
            media = [row[c] for c in MEDIA_COLUMNS[4:]]

            # (The last column keeps Qt's default width, too narrow for its whole header.)
            def figures(ls):
                return views.find(ls, MEDIA_COLUMNS[-2]) is not None and \
                    next((l for l in ls if holds_all(l.text, media)), None)
            lines, image = self.gui.read_until(
                "media-table-figures", self.gui.geometry(dialog), figures,
                f"the header {MEDIA_COLUMNS[-2]} and the cells {media} on one line",
                scale=3, psm=6)
            self.gui.save_doc("gui-media-table-figures", dialog)
        finally:
            self.gui.close_with(dialog, "Close", "the calls table")

    def test_2_expert_information(self):
        # tshark with a tree lists the item (test_media.py); the window's Expert Information
        # lists it in the group of failed calls, once.
        dialog = views.open_expert_dialog(self.gui)
        try:
            lines, image = self.gui.read_until(
                "media-expert", self.gui.geometry(dialog), views.failed_calls_row,
                f"the group row {views.FAILED_CALL_GROUP}", scale=3, psm=6)
            row, count = views.failed_calls_row(lines)
            self.assertEqual(count, 1, row.text)
            self.save_and_open_group(dialog, row)
        finally:
            self.gui.close_with(dialog, "Close", "the Expert Information dialog")

    def save_and_open_group(self, dialog, row):
        # Opened, the group lists the item's packet: the frame where the diagnosis became certain
        # (the CSV's certain_frame, the 200 answering the BYE), which a double click shows.
        frame = self.csv_row()["certain_frame"]
        self.assertEqual(frame, "406")
        # (Not gui.click: its mousemove --sync waits for a move that never comes when the pointer
        # is there already.)
        x, y = row.center
        self.gui.xdotool("mousemove", str(x), str(y))
        self.gui.xdotool("click", "1")
        self.gui.key("Right")
        wanted = f"{frame} Status: 200 OK (BYE)"
        self.gui.read_until(
            "media-expert-open", self.gui.geometry(dialog),
            lambda ls: views.find(ls, wanted) is not None, f"the item's packet {wanted}", scale=3,
            psm=6)
        self.gui.save_doc("gui-media-expert", dialog)

    def test_3_packet_details(self):
        want = self.csv_row()
        frame = int(want["certain_frame"])
        views.go_to_packet(self.gui, frame)
        wanted = f"Chẩn đoán cuộc gọi: {TITLE}"
        lines, image = views.screen_lines(self.gui, "media-details",
                                          lambda ls: views.find(ls, wanted) is not None,
                                          f"the item {wanted} in frame {frame}'s details")
        self.assertEqual(frame, 406)   # the 200 answering the BYE
        self.assert_letters(image, views.find(lines, wanted), wanted)
        # Opened, the item shows the call's media fields (sipvi.call.*, then one subtree per
        # direction).
        views.expand_details_subtree(self.gui, wanted)
        views.screen_lines(self.gui, "media-details-open",
                           lambda ls: views.find(ls, "Bên kết thúc: caller") is not None and
                           views.find(ls, "Âm thanh tới bên gọi") is not None,
                           "the call's fields under the opened item")
        self.gui.save_doc("gui-media-details")


def holds_all(text, cells):
    """Every cell appears in the line, in order, compared without spaces."""
    s = re.sub(r"\s+", "", text)
    at = 0
    for c in cells:
        i = s.find(re.sub(r"\s+", "", c), at)
        if i < 0:
            return False
        at = i + len(c)
    return True


if __name__ == "__main__":
    unittest.main()
