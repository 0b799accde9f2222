"""Every diagnosis in the Wireshark window, on the recorded diagnosis captures merged into one
(tests/captures/diagnosis/all-diagnoses.pcapng: every id, UDP and TCP): the tables Telephony →
Chẩn đoán cuộc gọi (sipvi) and Telephony → Chẩn đoán đăng ký (sipvi) hold the rows tshark prints
for the same tables (-z sipvi,calls_table and -z sipvi,registrations_table, whose cells
tests/test_diagnosis_table.py proves equal to the CSV reports), in frame order, with the
Vietnamese title of a failed call and of a failed registration read exactly."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expected import diagnosis_table  # noqa: E402
import guiharness  # noqa: E402
import views  # noqa: E402

CALLS_TABLE = "Chẩn đoán cuộc gọi (sipvi)"
REGISTRATIONS_TABLE = "Chẩn đoán đăng ký (sipvi)"
# The calls' Call-IDs are cut at the window's edge (ack_missing's evidence frames make that
# column wide): test_gui_diagnosis.py reads them on the triage calls.
CALL_COLUMNS = ["Tiêu đề", "Mã", "Bên gọi", "Bên được gọi", "Khung bằng chứng", "Chẩn đoán"]
REG_COLUMNS = ["Tiêu đề", "Mã", "Địa chỉ đăng ký (AOR)", "Khung bằng chứng", "Chẩn đoán",
               "Call-ID"]
CALL_IDS = {"answered", "auth_failed", "busy", "no_answer", "caller_cancelled",
            "answered_elsewhere", "rejected", "number_invalid", "codec_mismatch",
            "downstream_failure", "redirected", "loop", "no_response", "capture_ended",
            "ack_missing", "invite_missing", "bye_failed"}


@unittest.skipIf(os.environ.get("SIPVI_GUI_EDITION") == "lua",
                 "the diagnosis is the C plugin's only (lua/README.md)")
class DiagnosisTablesWindowTest(guiharness.GuiTestCase):

    CAPTURE = "diagnosis/all-diagnoses.pcapng"

    def check_table(self, label, menu_item, rows, columns, exact_id, exact_title, exact_code):
        dialog = views.open_diagnosis_table(self.gui, menu_item)
        try:
            def all_rows(lines):
                return all(views.diagnosis_row(lines, r, columns) for r in rows)
            lines, image = self.gui.read_until(label, self.gui.geometry(dialog), all_rows,
                                               f"the {len(rows)} rows of {menu_item}",
                                               scale=3, psm=6)
            found = [views.diagnosis_row(lines, r, columns) for r in rows]
            tops = [l.box[1] for l in found]
            self.assertEqual(tops, sorted(tops), "rows out of frame order")
            self.assertEqual(len(set(tops)), len(rows), "two rows read on one line")
            failed = next(i for i, r in enumerate(rows) if r["Chẩn đoán"] == exact_id)
            self.assertEqual(rows[failed]["Tiêu đề"], exact_title)
            expected = f"{rows[failed]['Khung đầu']} {exact_title} {exact_code}"
            _, readings = self.gui.exact_line(image, found[failed], expected)
            letters = re.sub(r"\s+", "", expected)
            self.assertTrue(any(letters in re.sub(r"\s+", "", r) for r in readings),
                            f"OCR never read {expected!r}; readings: {readings}")
            self.gui.save_doc(f"gui-{label}", dialog)
        finally:
            self.gui.close_with(dialog, "Close", menu_item)

    def test_1_calls_table(self):
        rows = diagnosis_table(self.gui.ts, self.gui.capture, "calls")
        self.assertEqual(len(rows), 43)
        self.assertEqual({r["Chẩn đoán"] for r in rows}, CALL_IDS)
        self.check_table("diagnosis-all-calls", CALLS_TABLE, rows, CALL_COLUMNS,
                         "downstream_failure", "Lỗi ở chặng sau", "503")

    def test_2_registrations_table(self):
        rows = diagnosis_table(self.gui.ts, self.gui.capture, "registrations")
        self.assertEqual([r["Chẩn đoán"] for r in rows],
                         ["reg_ok"] * 2 + ["reg_auth_failed"] * 2 + ["reg_forbidden"] * 2
                         + ["reg_rejected"] * 2 + ["reg_no_response", "reg_capture_ended"])
        self.check_table("diagnosis-registrations", REGISTRATIONS_TABLE, rows, REG_COLUMNS,
                         "reg_auth_failed", "Xác thực đăng ký thất bại", "401")


if __name__ == "__main__":
    unittest.main()
