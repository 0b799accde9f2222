"""Preferences (tshark -o sipvi.<name>:<value>) and the site overrides UAT (sipvi_overrides),
given on the command line and as a file of the profile; bad values get a clear message."""

import os
import sys
import unicodedata
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from datafile import Data  # noqa: E402
from test_synthetic import read_manifest  # noqa: E402

PASSES = harness.PASSES
YES = harness.boolean_text(True)
OVERRIDE_486 = 'uat:sipvi_overrides:"486","Thuê bao đang bận máy","Nhà mạng X: máy bận.","error"'


class PreferencesTest(harness.PluginTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = Data(harness.DATA_DIR)
        cls.manifest = read_manifest()
        cls.synthetic = cls.ts.capture("synthetic.pcap")
        cls.call = cls.ts.capture("call-486.pcapng")

    def expert(self, capture, *extra):
        return harness.expert_entries(self.ts.run(["-n", "-r", capture, "-q", "-z", "expert", *extra]))

    def test_expert_info_off(self):
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                self.assertEqual(self.expert(self.synthetic, *extra, "-o", "sipvi.expert_info:FALSE"), [])
                rows = harness.field_rows(self.ts, self.call, ["sipvi.code"],
                                          [*extra, "-o", "sipvi.expert_info:FALSE", "-Y", "sipvi"])
                self.assertEqual(rows, [["100"], ["486"]])

    def test_expert_min_class(self):
        codes = [c for _, (cs, _) in sorted(self.manifest.items()) for c in cs]
        for lowest in (4, 6):
            kept = [c for c in codes if not 100 <= c <= 799 or c // 100 >= lowest]
            for mode, extra in PASSES.items():
                with self.subTest(lowest=lowest, mode=mode):
                    self.assertEqual(self.expert(self.synthetic, *extra, "-o",
                                                 f"sipvi.expert_min_class:{lowest}"),
                                     harness.expected_expert_entries(self.data, kept))

    def test_expert_min_class_out_of_range(self):
        rc, out, err = self.ts.run_full(["-n", "-r", self.call, "-q", "-z", "expert",
                                         "-o", "sipvi.expert_min_class:9"])
        self.assertEqual(rc, 0)
        self.assertEqual(err, "tshark: sipvi.expert_min_class: 9 không hợp lệ, phải từ 1 đến 7; "
                              "dùng 1 (must be 1-7; using 1)\n")
        self.assertEqual(harness.expert_entries(out), [("Chats", 1, "Response", "100 Đang xử lý"),
                                                       ("Warns", 1, "Response", "486 Máy bận")])

    def test_expert_min_class_not_a_number(self):
        rc, _, err = self.ts.run_full(["-n", "-r", self.call, "-o", "sipvi.expert_min_class:4xx"])
        self.assertNotEqual(rc, 0)
        self.assertIn('Invalid -o flag "sipvi.expert_min_class:4xx"', err)

    def test_english_reason(self):
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                self.assertEqual(harness.info_column(self.ts, self.call,
                                                     [*extra, "-o", "sipvi.english_reason:TRUE"]),
                                 [["1", "Request: INVITE sip:bob@127.0.0.1:5060 | "],
                                  # SIP's own text already shows the phrase: not repeated.
                                  ["2", "Status: 100 Trying | Đang xử lý"],
                                  ["3", "Status: 486 Busy Here | Máy bận"],
                                  ["4", "Request: ACK sip:bob@127.0.0.1:5060 | "]])
                self.assertEqual(self.expert(self.call, *extra, "-o", "sipvi.english_reason:TRUE"),
                                 [("Chats", 1, "Response", "100 Đang xử lý (Trying)"),
                                  ("Warns", 1, "Response", "486 Máy bận (Busy Here)")])
                # A code without an entry has no IANA phrase to show.
                unknown = harness.info_column(self.ts, self.synthetic,
                                              [*extra, "-o", "sipvi.english_reason:TRUE",
                                               "-Y", "sip.Status-Code == 499"])
                self.assertEqual(unknown[0][1], "Status: 499 Sipvi Unknown 4xx | Mã chưa có trong "
                                                "bảng — lớp Yêu cầu thất bại, xử lý như 400")

    def test_reason_field(self):
        rows = harness.field_rows(self.ts, self.call, ["sipvi.reason"], ["-Y", "sipvi"])
        self.assertEqual(rows, [["Trying"], ["Busy Here"]])


class OverridesTest(harness.PluginTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call = cls.ts.capture("call-486.pcapng")
        cls.synthetic = cls.ts.capture("synthetic.pcap")

    def fields(self, capture, *extra, display_filter="sipvi"):
        return harness.field_rows(self.ts, capture, ["frame.number", *harness.SIPVI_FIELDS,
                                                     "sipvi.detail", "sipvi.override"],
                                  [*extra, "-Y", display_filter])

    def test_override_replaces_meaning_detail_and_severity(self):
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                rows = self.fields(self.call, *extra, "-o", OVERRIDE_486)
                self.assertEqual(rows[1], ["3", "486", "4", "Thuê bao đang bận máy", "4", YES,
                                           "Nhà mạng X: máy bận.", YES])
                self.assertEqual(rows[0][:6], ["2", "100", "1", "Đang xử lý", "1", YES])
                self.assertEqual(rows[0][7], "")
                expert = harness.expert_entries(self.ts.run(["-n", "-r", self.call, "-q", "-z",
                                                             "expert", *extra, "-o", OVERRIDE_486]))
                self.assertEqual(expert, [("Chats", 1, "Response", "100 Đang xử lý"),
                                          ("Errors", 1, "Response", "486 Thuê bao đang bận máy")])

    def test_severity_in_either_language_any_case(self):
        # What the tree shows ("Lỗi (Error)"), the Vietnamese word alone or the English keyword,
        # in any case and with stray spaces, in NFC or NFD: all name the same severity.
        words = {"lỗi": "4", "LỖI": "4", "Lỗi (Error)": "4", " error ": "4", "ERROR": "4",
                 "cảnh báo": "3", "Cảnh Báo": "3", "warning": "3", "warn": "3",
                 "lưu ý": "2", "Lưu ý (Note)": "2", "note": "2",
                 "thông tin": "1", "Thông tin (Chat)": "1", "chat": "1",
                 unicodedata.normalize("NFD", "Lỗi"): "4"}
        for word, severity in words.items():
            with self.subTest(word=word):
                uat = f'uat:sipvi_overrides:"486","Thuê bao đang bận máy","","{word}"'
                rows = self.fields(self.call, "-o", uat, display_filter="sipvi.code == 486")
                self.assertEqual(rows[0][1:5], ["486", "4", "Thuê bao đang bận máy", severity])

    def test_override_in_the_info_column(self):
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                info = harness.info_column(self.ts, self.call, [*extra, "-o", OVERRIDE_486])
                self.assertEqual(info[1:3], [["2", "Status: 100 Trying | Đang xử lý"],
                                             ["3", "Status: 486 Busy Here | Thuê bao đang bận máy"]])
                info = harness.info_column(self.ts, self.call, [*extra, "-o", OVERRIDE_486, "-o",
                                                                "sipvi.english_reason:TRUE"])
                self.assertEqual(info[2], ["3", "Status: 486 Busy Here | Thuê bao đang bận máy"])

    def test_override_of_an_unknown_code_makes_it_known(self):
        uat = 'uat:sipvi_overrides:"499","Nhà mạng từ chối: hết cước","",""'
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                rows = self.fields(self.synthetic, *extra, "-o", uat, display_filter="sipvi.code == 499")
                self.assertEqual(len(rows), 1)
                # Empty detail and severity keep the class's: 4xx, warn.
                self.assertEqual(rows[0][1:6], ["499", "4", "Nhà mạng từ chối: hết cước", "3", YES])
                self.assertTrue(rows[0][6].startswith("Mã này không có trong bảng của sipvi."))
                self.assertEqual(rows[0][7], YES)

    def test_overrides_file_in_the_profile(self):
        ts = harness.Tshark()
        ts.assert_plugin_loaded()
        ts.profile_file("sipvi_overrides",
                        '# sipvi site overrides\n"486","Bận (theo nhà mạng)","","note"\n'
                        '"777","Tổng đài hết kênh","Mã riêng của tổng đài X.","error"\n'.encode())
        call = ts.capture("call-486.pcapng")
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                rows = harness.field_rows(ts, call, ["sipvi.code", "sipvi.meaning", "sipvi.severity"],
                                          [*extra, "-Y", "sipvi"])
                self.assertEqual(rows, [["100", "Đang xử lý", "1"], ["486", "Bận (theo nhà mạng)", "2"]])

    def test_bad_entries_are_refused_with_a_message(self):
        cases = {
            '"800","x","",""': "sipvi_overrides, mã 800: code nằm ngoài khoảng 100–799 "
                               "(code is outside 100-799)",
            '"99","x","",""': "sipvi_overrides, mã 99: code nằm ngoài khoảng 100–799 "
                              "(code is outside 100-799)",
            '"486","","",""': "sipvi_overrides, mã 486: meaning không được để trống (meaning is empty)",
            '"486","x","","fatal"': "sipvi_overrides, mã 486: severity 'fatal' không hợp lệ, phải là "
                                    "thông tin, lưu ý, cảnh báo, lỗi (hoặc chat, note, warn, error) "
                                    "hoặc để trống (expected chat, note, warn, error or empty)",
            '"486","x","","lỗi nặng"': "sipvi_overrides, mã 486: severity 'lỗi nặng' không hợp lệ, "
                                       "phải là thông tin, lưu ý, cảnh báo, lỗi (hoặc chat, note, "
                                       "warn, error) hoặc để trống (expected chat, note, warn, error "
                                       "or empty)",
            '"486","M\\xe1y","",""': "sipvi_overrides, mã 486: meaning không phải UTF-8 hợp lệ "
                                     "(meaning is not valid UTF-8)",
            '"486","M\\x09y","",""': "sipvi_overrides, mã 486: meaning có ký tự điều khiển "
                                     "(meaning has a control character)",
        }
        for entry, message in cases.items():
            with self.subTest(entry=entry, given="-o"):
                rc, _, err = self.ts.run_full(["-n", "-r", self.call, "-o", f"uat:sipvi_overrides:{entry}"])
                self.assertNotEqual(rc, 0)
                self.assertEqual(err, f'tshark: Invalid -o flag "uat:sipvi_overrides:{entry}": {message}\n')
            with self.subTest(entry=entry, given="file"):
                ts = harness.Tshark()
                ts.assert_plugin_loaded()
                ts.profile_file("sipvi_overrides", (entry + "\n").encode())
                call = ts.capture("call-486.pcapng")
                rc, out, err = ts.run_full(["-n", "-r", call, "-T", "fields", "-e", "sipvi.meaning",
                                            "-Y", "sipvi"])
                self.assertEqual(rc, 0)
                self.assertEqual(err, "tshark: Error loading table 'Ghi đè tại chỗ của sipvi (sipvi "
                                      f"overrides)': {message}\n")
                self.assertEqual(out, "Đang xử lý\nMáy bận\n")   # the compiled table still works

    def test_uat_field_name_is_a_number(self):
        rc, _, err = self.ts.run_full(["-n", "-r", self.call, "-o", 'uat:sipvi_overrides:"4x6","x","",""'])
        self.assertNotEqual(rc, 0)
        self.assertIn('Invalid -o flag "uat:sipvi_overrides:\\"4x6\\"', err.replace('"4x6"', '\\"4x6\\"'))


if __name__ == "__main__":
    unittest.main()
