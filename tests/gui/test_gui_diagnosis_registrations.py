"""The diagnosis of each registration in the Wireshark window, on the recorded diagnosis captures
merged into one (tests/captures/diagnosis/all-diagnoses.pcapng): the table Telephony → Chẩn đoán
đăng ký (sipvi) holds the rows tshark prints for the same table (-z sipvi,registrations,table,
whose cells tests/test_diagnosis_table.py proves equal to -z sipvi,registrations,csv), in frame
order, with the Vietnamese title of a failed registration read exactly."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expected import diagnosis_table  # noqa: E402
import guiharness  # noqa: E402
import views  # noqa: E402

REGISTRATIONS_TABLE = "Chẩn đoán đăng ký (sipvi)"
READ_COLUMNS = ["Tiêu đề", "Mã", "Địa chỉ đăng ký (AOR)", "Khung bằng chứng", "Chẩn đoán",
                "Call-ID"]


@unittest.skipIf(os.environ.get("SIPVI_GUI_EDITION") == "lua",
                 "the diagnosis is the C plugin's only (lua/README.md)")
class RegistrationsWindowTest(guiharness.GuiTestCase):

    CAPTURE = "diagnosis/all-diagnoses.pcapng"

    def test_registrations_table(self):
        rows = diagnosis_table(self.gui.ts, self.gui.capture, "registrations")
        self.assertEqual([r["Chẩn đoán"] for r in rows],
                         ["reg_ok"] * 2 + ["reg_auth_failed"] * 2 + ["reg_rejected"] * 4
                         + ["reg_no_response"] * 2)
        dialog = views.open_diagnosis_table(self.gui, REGISTRATIONS_TABLE)
        try:
            def all_rows(lines):
                return all(views.diagnosis_row(lines, r, READ_COLUMNS) for r in rows)
            lines, image = self.gui.read_until("registrations-table", self.gui.geometry(dialog),
                                               all_rows, f"the {len(rows)} rows of the table",
                                               scale=3, psm=6)
            found = [views.diagnosis_row(lines, r, READ_COLUMNS) for r in rows]
            tops = [l.box[1] for l in found]
            self.assertEqual(tops, sorted(tops), "rows out of frame order")
            self.assertEqual(len(set(tops)), len(rows), "two rows read on one line")
            failed = next(i for i, r in enumerate(rows) if r["Chẩn đoán"] == "reg_auth_failed")
            title = rows[failed]["Tiêu đề"]
            self.assertEqual(title, "Xác thực đăng ký thất bại")
            expected = f"{rows[failed]['Khung đầu']} {title} 401"
            _, readings = self.gui.exact_line(image, found[failed], expected)
            letters = re.sub(r"\s+", "", expected)
            self.assertTrue(any(letters in re.sub(r"\s+", "", r) for r in readings),
                            f"OCR never read {expected!r}; readings: {readings}")
            self.gui.save_doc("gui-diagnosis-registrations", dialog)
        finally:
            self.gui.close_with(dialog, "Close", "the registrations table")


if __name__ == "__main__":
    unittest.main()
