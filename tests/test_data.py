"""The data files are well formed, cover every required code, and are what the build compiled."""

import os
import subprocess
import sys
import unicodedata
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from datafile import Data  # noqa: E402
from harness import DATA_DIR, require_env  # noqa: E402

# The whole IANA SIP Response Codes registry, and the codes of both seed documents.
IANA = [100, 180, 181, 182, 183, 199, 200, 202, 204, 300, 301, 302, 305, 380, 400, 401, 402, 403,
        404, 405, 406, 407, 408, 410, 412, 413, 414, 415, 416, 417, 420, 421, 422, 423, 424, 425,
        428, 429, 430, 433, 436, 437, 438, 439, 440, 469, 470, 480, 481, 482, 483, 484, 485, 486,
        487, 488, 489, 491, 493, 494, 500, 501, 502, 503, 504, 505, 513, 555, 580, 600, 603, 604,
        606, 607, 608]
NON_STANDARD = [409, 411, 473, 475, 476, 477, 478, 479, 700]
# The Q.850 causes support staff meet most, which must be there among all Q.850 defines.
Q850_REQUIRED = [1, 16, 17, 18, 19, 21, 27, 28, 31, 34, 38, 41, 42, 47, 58, 65, 79, 88, 102, 111, 127]
WARN_CODES = [300, 301, 302, 303, 304, 305, 306, 307, 308, 330, 331, 370, 380, 381, 392, 399]
DATA_FILES = ("status_codes.tsv", "status_classes.tsv", "q850_causes.tsv", "warning_codes.tsv",
              "reason_sip_cancel.tsv", "diagnoses.tsv")


class DataFileTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.data = Data(DATA_DIR)

    def test_every_required_code_is_present(self):
        self.assertEqual(sorted(set(IANA + NON_STANDARD) - set(self.data.codes)), [])

    def test_registered_column_matches_the_iana_registry(self):
        for code, row in self.data.codes.items():
            with self.subTest(code=code):
                self.assertEqual(row["registered"], "iana" if code in IANA else "non-standard")

    def test_text_is_nfc_and_tab_free(self):
        for name in DATA_FILES:
            with open(os.path.join(DATA_DIR, name), encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    with self.subTest(file=name, line=number):
                        self.assertTrue(unicodedata.is_normalized("NFC", line))

    def test_q850_and_warning_coverage(self):
        self.assertEqual(sorted(set(Q850_REQUIRED) - set(self.data.q850)), [])
        self.assertTrue(all(1 <= c <= 127 for c in self.data.q850))
        self.assertEqual(sorted(self.data.warnings), WARN_CODES)
        self.assertEqual(self.data.q850[16]["name"], "Normal call clearing")
        self.assertEqual(self.data.q850[17]["meaning"], "Máy bận")
        for cause, row in self.data.q850.items():
            with self.subTest(cause=cause):
                self.assertIn("Kiểm tra:", row["detail"])

    def test_details_say_what_to_check(self):
        for code, row in self.data.codes.items():
            with self.subTest(code=code):
                self.assertIn("Kiểm tra:", row["detail"])

    def test_seed_errors_are_not_repeated(self):
        meaning = {code: row["meaning"].lower() for code, row in self.data.codes.items()}
        self.assertNotIn("kết nối", meaning[183])         # 183 is progress, not "connected"
        self.assertIn("sdp", meaning[488])                # 488 concerns the offered media
        self.assertNotIn("bất hợp pháp", meaning[488])
        self.assertTrue("cấm" in meaning[403] or "từ chối" in meaning[403])

    def test_review_errors_are_not_repeated(self):
        """Issue 11: wording a review found wrong against the RFCs, Q.850 and the stacks' sources."""
        codes, q850 = self.data.codes, self.data.q850
        self.assertEqual(codes[202]["meaning"], "Đã chấp nhận")        # still the answer to REFER
        self.assertIn("message/sipfrag", codes[202]["detail"])
        self.assertIn("RFC 7647", codes[202]["reference"])
        self.assertIn("không hợp lệ", codes[502]["meaning"])           # RFC 3261: an invalid response
        self.assertIn("cause 27", codes[502]["detail"])                 # RFC 3398 maps 27 to 502
        self.assertNotIn("dự phòng", codes[402]["meaning"])             # reserved, not backup
        self.assertIn("dành riêng", codes[402]["meaning"])
        self.assertIn("Info-Package", codes[469]["detail"])
        self.assertNotIn("Hay gặp khi gửi DTMF", codes[469]["detail"])
        self.assertIn("bị gọi", codes[484]["meaning"])
        for code in (477, 478):
            self.assertNotIn("module tm", codes[code]["detail"])
            self.assertIn(f"({code}/SL)", codes[code]["detail"])
        for code, cause in ((408, "fr_inv_timer"), (480, "NO_ANSWER")):
            # the most common case comes first: it rang and nobody answered
            self.assertLess(codes[code]["detail"].index(cause), codes[code]["detail"].index("Ngoài ra"))
        self.assertNotIn("dứt khoát", self.data.classes[6]["description"])
        self.assertIn("§21.6", self.data.classes[6]["description"])
        self.assertIn("không rõ", codes[700]["detail"])
        self.assertIn("tiền tố trung kế", q850[5]["meaning"])
        self.assertNotIn("bỏ qua", q850[5]["detail"])
        self.assertIn("không phải thành viên của nhóm", q850[87]["detail"])
        for code, stack in ((473, "OpenSIPS"), (475, "OpenSIPS"), (476, "OpenSIPS"), (479, "Kamailio")):
            self.assertEqual((codes[code]["registered"], codes[code]["reference"]),
                             ("non-standard", stack))
        self.assertIn("ngoài sổ IANA", self.data.warnings[392]["meaning"])

    def test_severity_overrides_are_only_where_triage_calls_for_them(self):
        overrides = {code: row["severity"] for code, row in self.data.codes.items()
                     if row["severity"] != "-"}
        self.assertEqual(overrides, {401: "chat", 407: "chat", 422: "note", 423: "note",
                                     487: "note", 491: "note"})


class CompiledTableTest(unittest.TestCase):
    """sipvi-table-dump prints the table the plugin links: it must equal the data file."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.data = Data(DATA_DIR)
        cls.dump = require_env("SIPVI_TABLE_DUMP")

    def run_dump(self, *args):
        out = subprocess.run([self.dump, *args], capture_output=True, check=True).stdout
        lines = out.decode("utf-8").rstrip("\n").split("\n")
        return [line.split("\t") for line in lines[1:]]

    def test_codes(self):
        expected = [[str(code), str(code // 100), self.data.severity(code), row["registered"],
                     row["reason"], row["meaning"], row["detail"], row["reference"]]
                    for code, row in sorted(self.data.codes.items())]
        self.assertEqual(self.run_dump("codes"), expected)

    def test_classes(self):
        got = self.run_dump("classes")
        self.assertEqual([[r[0], r[1], r[2], r[5]] for r in got],
                         [[str(k), c["name"], c["severity"], c["description"]]
                          for k, c in sorted(self.data.classes.items())])
        self.assertEqual([int(r[3]) for r in got], [183, 200, 300, 400, 500, 600, 0])

    def test_q850_and_warnings(self):
        self.assertEqual(self.run_dump("q850"),
                         [[str(c), r["name"], r["meaning"], r["detail"]]
                          for c, r in sorted(self.data.q850.items())])
        self.assertEqual(self.run_dump("warnings"),
                         [[str(c), r["text"], r["meaning"]] for c, r in sorted(self.data.warnings.items())])

    def test_cancel_reasons(self):
        self.assertEqual(self.run_dump("cancel_reasons"),
                         [[str(c), r["meaning"]] for c, r in sorted(self.data.cancel_reasons.items())])
        self.assertEqual(self.data.cancel_reasons[200]["meaning"], "Cuộc gọi đã được trả lời ở máy khác")

    def test_resolution_of_unknown_and_invalid_codes(self):
        probes = [0, 99, 100, 150, 199, 299, 399, 499, 599, 699, 799, 800, 999, 1000]
        got = self.run_dump("resolve", *map(str, probes))
        for row, code in zip(got, probes):
            want = self.data.expected(code)
            with self.subTest(code=code):
                if want["class"] is None:
                    self.assertEqual(row, [str(code), "invalid", "false", "none", ""])
                else:
                    self.assertEqual(row[:3], [str(code), str(want["class"]),
                                               "true" if want["known"] else "false"])
                    self.assertEqual(row[4], want["meaning"])


if __name__ == "__main__":
    unittest.main()
