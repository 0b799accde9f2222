"""Call-failure triage on calls recorded with sipp and kamailio (tests/captures/triage/): Reason
(Q.850 and SIP causes) and Warning headers explained, -z sipvi,calls (text and CSV) and
-z sipvi,tree, in one-pass and two-pass runs.

Each row of the calls report is checked twice: against outcomes written out by hand here, and
against a second reading of the SIP dissector's own fields (with sipvi disabled) that applies the
report's rules independently."""

import itertools
import os
import re
import sys
import unicodedata
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

TRIAGE = os.path.join(harness.CAPTURE_DIR, "triage")
PASSES = harness.PASSES
YES, NO = harness.boolean_text(True), harness.boolean_text(False)
# Only what the capture shows: timer B stops at the first provisional response (RFC 3261
# §17.1.1.2), so no 408 of the caller's own is assumed (issue 22).
NO_FINAL = "Bản ghi không có phản hồi cuối cho INVITE"

# Call-ID -> (final code, meaning, class, class name, Q.850 cause, Q.850 meaning), by hand.
OUTCOMES = {
    "sipvi-triage-t01-1@127.0.0.1": ("200", "Thành công", "2", "Thành công", "16",
                                     "Kết thúc cuộc gọi bình thường"),
    "sipvi-triage-t02-1@127.0.0.1": ("486", "Máy bận", "4", "Yêu cầu thất bại", "17", "Máy bận"),
    "sipvi-triage-t03-1@127.0.0.1": ("480", "Tạm thời không liên lạc được", "4", "Yêu cầu thất bại",
                                     "19", "Không trả lời (đã đổ chuông)"),
    "sipvi-triage-t04-1@127.0.0.1": ("408", "Hết thời gian chờ", "4", "Yêu cầu thất bại", "18",
                                     "Thuê bao không phản hồi"),
    "sipvi-triage-t05-1@127.0.0.1": ("487", "Yêu cầu đã bị hủy", "4", "Yêu cầu thất bại", "", ""),
    "sipvi-triage-t06-1@127.0.0.1": ("200", "Thành công", "2", "Thành công", "", ""),
    "sipvi-triage-t07-1@127.0.0.1": ("603", "Bên được gọi từ chối cuộc gọi", "6", "Thất bại toàn cục",
                                     "21", "Cuộc gọi bị từ chối"),
    "sipvi-triage-t08-1@127.0.0.1": ("503", "Dịch vụ tạm thời không khả dụng", "5", "Lỗi máy chủ",
                                     "34", "Hết kênh/trunk"),
    "sipvi-triage-t09-1@127.0.0.1": ("302", "Thuê bao tạm chuyển sang địa chỉ khác", "3",
                                     "Chuyển hướng", "", ""),
    "sipvi-triage-t09b-1@127.0.0.1": ("200", "Thành công", "2", "Thành công", "", ""),
    "sipvi-triage-t10-1@127.0.0.1": ("", NO_FINAL, "", "", "", ""),
    "sipvi-triage-t11-1@127.0.0.1": ("404", "Không tìm thấy thuê bao", "4", "Yêu cầu thất bại", "", ""),
    "sipvi-triage-t12-1@127.0.0.1": ("483", "Quá nhiều chặng", "4", "Yêu cầu thất bại", "", ""),
    "sipvi-triage-t13-1@127.0.0.1": ("200", "Thành công", "2", "Thành công", "", ""),
    "sipvi-triage-t14-1@127.0.0.1": ("488", "Không chấp nhận media (SDP) đề nghị", "4",
                                     "Yêu cầu thất bại", "", ""),
}
CAPTURES = sorted(f for f in os.listdir(TRIAGE) if f.startswith("t") and f.endswith(".pcapng"))
CSV_HEADER = ["start_s", "caller", "callee", "final_code", "meaning", "class", "class_name",
              "q850_cause", "q850_meaning", "time_to_final_ms", "call_id"]


def parse_csv(text):
    import csv
    rows = list(csv.reader(text.splitlines()))
    return rows[0], rows[1:]


def display_width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)


class TriageTest(harness.PluginTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.all_calls = cls.ts.capture("all-calls.pcapng", TRIAGE)
        cls.captures = {name: cls.ts.capture(name, TRIAGE) for name in CAPTURES}

    def oracle(self, capture):
        """The calls report's rows, computed from the SIP dissector's fields alone."""
        rows = harness.field_rows(self.ts, capture, [
            "frame.time_relative", "sip.Call-ID", "sip.Method", "sip.CSeq.method", "sip.Status-Code",
            "sip.from.addr", "sip.to.addr", "sip.resend", "sip.reason_cause_q850"],
            ["--disable-protocol", "sipvi", "-Y", "sip"])
        calls, order = {}, []
        for t, call_id, method, cseq_method, code, frm, to, resend, q850 in rows:
            if resend in ("1", "True"):
                continue
            call = calls.get(call_id)
            if method == "INVITE" and call is None:
                calls[call_id] = {"start": float(t), "caller": frm, "callee": to, "code": None,
                                  "final_q850": "", "ending_q850": "", "established": False}
                order.append(call_id)
                continue
            if call is None:
                continue
            if code and cseq_method == "INVITE" and int(code) >= 200 and not call["established"]:
                call.update(code=code, time=float(t), final_q850=q850,
                            established=200 <= int(code) < 300)
            elif method in ("BYE", "CANCEL") and q850 and not call["ending_q850"]:
                call["ending_q850"] = q850
        return [(call_id, calls[call_id]) for call_id in order]

    def check_report(self, capture, csv_text):
        header, rows = parse_csv(csv_text)
        # The diagnosis columns that follow are checked by test_diagnosis.py.
        self.assertEqual(header[:len(CSV_HEADER)], CSV_HEADER)
        oracle = self.oracle(capture)
        self.assertEqual([r[10] for r in rows], [call_id for call_id, _ in oracle])
        for row, (call_id, call) in zip(rows, oracle):
            with self.subTest(call=call_id):
                self.assertEqual(row[0], f"{call['start']:.3f}")
                self.assertEqual(row[1:3], [call["caller"], call["callee"]])
                self.assertEqual(row[3], call["code"] or "")
                self.assertEqual(row[7], call["final_q850"] or call["ending_q850"])
                if call["code"]:
                    self.assertAlmostEqual(float(row[9]), (call["time"] - call["start"]) * 1000,
                                           delta=0.051)
                else:
                    self.assertEqual(row[9], "")
                self.assertEqual((row[3], row[4], row[5], row[6], row[7], row[8]), OUTCOMES[call_id])

    def test_calls_report_csv_of_every_capture(self):
        for name, capture in self.captures.items():
            for mode, extra in PASSES.items():
                with self.subTest(capture=name, mode=mode):
                    self.check_report(capture, self.ts.run(["-n", "-r", capture, "-q", *extra,
                                                            "-z", "sipvi,calls,csv"]))

    def test_calls_report_csv_of_the_whole_capture(self):
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                out = self.ts.run(["-n", "-r", self.all_calls, "-q", *extra, "-z", "sipvi,calls,csv"])
                self.check_report(self.all_calls, out)
                self.assertEqual(sorted(r[10] for r in parse_csv(out)[1]), sorted(OUTCOMES))

    def test_calls_report_text_is_aligned(self):
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                out = self.ts.run(["-n", "-r", self.all_calls, "-q", *extra, "-z", "sipvi,calls"])
                lines = out.strip("\n").split("\n")
                self.assertEqual(lines[1], "sipvi: các cuộc gọi và kết quả (SIP calls in Vietnamese)")
                self.assertEqual(lines[2], "Số cuộc gọi: 15")
                # The table, then the diagnosis of each call (test_diagnosis.py).
                table = lines[4:lines.index("=" * 67, 4)]
                self.assertEqual(len(table), 16)
                self.assertEqual(re.split(r"  +", table[0].strip()),
                                 ["Bắt đầu (s)", "Bên gọi", "Bên được gọi", "Mã", "Ý nghĩa", "Lớp", "Q.850",
                                  "Thời gian tới phản hồi cuối (ms)", "Chẩn đoán", "Call-ID"])
                starts = []
                for line in table:
                    cells = [m.start() for m in re.finditer(r"(?<=  )\S", line)]
                    starts.append([display_width(line[:i]) for i in cells])
                self.assertEqual(len(starts[0]), 9)
                self.assertTrue(all(s == starts[0] for s in starts), starts)
                no_final = [line for line in table if "sipvi-triage-t10-1" in line][0]
                self.assertIn(NO_FINAL, no_final)
                self.assertIn("  —  ", no_final)

    def test_calls_report_bad_option(self):
        rc, _, err = self.ts.run_full(["-n", "-r", self.all_calls, "-q", "-z", "sipvi,calls,xml"])
        self.assertIn("-z sipvi,calls,xml: không hiểu tùy chọn; dùng -z sipvi,calls hoặc "
                      "-z sipvi,calls,csv (unknown option)", err)

    def parse_tree(self, text):
        nodes = {}
        for line in text.splitlines():
            m = re.match(r"^( *)(\S.*?) +(\d+) +\d", line)
            if m and not line.startswith("Topic"):
                nodes[(len(m.group(1)), m.group(2))] = int(m.group(3))
        return nodes

    def sip_stat_codes(self, capture):
        out = self.ts.run(["-n", "-r", capture, "-q", "-z", "sip,stat"])
        return {m.group(1): int(m.group(2))
                for m in re.finditer(r"^  SIP (\d{3}) .*?:\s+(\d+) Packets$", out, re.M)}

    def test_stats_tree_matches_sip_stat(self):
        expected_codes = self.sip_stat_codes(self.all_calls)
        self.assertEqual(sum(expected_codes.values()), 43)
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                nodes = self.parse_tree(self.ts.run(["-n", "-r", self.all_calls, "-q", *extra,
                                                     "-z", "sipvi,tree"]))
                self.assertEqual(nodes[(0, "Phản hồi SIP theo lớp và mã")], 43)
                codes = {name.split()[0]: n for (depth, name), n in nodes.items()
                         if depth == 2 and name[:3].isdigit()}
                self.assertEqual(codes, expected_codes)
                for klass, name in ((1, "Tạm thời"), (2, "Thành công"), (3, "Chuyển hướng"),
                                    (4, "Yêu cầu thất bại"), (5, "Lỗi máy chủ"), (6, "Thất bại toàn cục")):
                    self.assertEqual(nodes[(1, f"{klass}xx {name}")],
                                     sum(n for c, n in expected_codes.items() if c[0] == str(klass)))
                self.assertEqual(nodes[(2, "486 Máy bận")], 1)
                # Under the second root, whose children are codes (class nodes read "4xx …").
                failed = {name: n for (depth, name), n in nodes.items()
                          if depth == 1 and name[:3].isdigit()}
                self.assertEqual(nodes[(0, "Cuộc gọi thất bại theo mã cuối")], 10)
                self.assertEqual(failed, {
                    "302 Thuê bao tạm chuyển sang địa chỉ khác": 1, "404 Không tìm thấy thuê bao": 1,
                    "408 Hết thời gian chờ": 1, "480 Tạm thời không liên lạc được": 1,
                    "483 Quá nhiều chặng": 1, "486 Máy bận": 1, "487 Yêu cầu đã bị hủy": 1,
                    "488 Không chấp nhận media (SDP) đề nghị": 1,
                    "503 Dịch vụ tạm thời không khả dụng": 1, "603 Bên được gọi từ chối cuộc gọi": 1})

    def test_q850_in_a_response_and_in_a_bye(self):
        fields = ["frame.number", "sipvi.code", "sipvi.method", "sipvi.final", "sipvi.q850.cause",
                  "sipvi.q850.meaning"]
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                got = harness.field_rows(self.ts, self.captures["t02-486-q850.pcapng"], fields,
                                         [*extra, "-Y", "sipvi"])
                self.assertEqual(got, [["2", "100", "INVITE", NO, "", ""],
                                       ["3", "486", "INVITE", YES, "17", "Máy bận"]])
                got = harness.field_rows(self.ts, self.captures["t01-200.pcapng"], fields,
                                         [*extra, "-Y", "sipvi.q850.cause"])
                self.assertEqual(got, [["6", "", "BYE", "", "16", "Kết thúc cuộc gọi bình thường"]])

    def test_causes_without_a_filter(self):
        """No filter: tshark builds a tree for -T fields but primes no SIP field, and with -2 the
        first pass builds none. sipvi keeps SIP's fields built in every tree, frame after frame."""
        fields = ["frame.number", "sipvi.code", "sipvi.method", "sipvi.q850.cause"]
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                got = harness.field_rows(self.ts, self.captures["t01-200.pcapng"], fields, extra)
                self.assertEqual(got, [["1", "", "", ""], ["2", "100", "INVITE", ""],
                                       ["3", "180", "INVITE", ""], ["4", "200", "INVITE", ""],
                                       ["5", "", "", ""], ["6", "", "BYE", "16"],
                                       ["7", "200", "BYE", ""]])

    def test_info_column_holds_status_codes_only(self):
        """Reason and Warning stay out of the Info column: a plain run has no protocol tree, so SIP
        parses no header, and a frame's Info must not change when a filter makes a tree."""
        capture = self.captures["t02-486-q850.pcapng"]
        for mode, extra in PASSES.items():
            for tree in ([], ["-Y", "frame"]):
                with self.subTest(mode=mode, tree=tree):
                    info = dict(harness.info_column(self.ts, capture, [*extra, *tree]))
                    self.assertEqual(info["3"], "Status: 486 Busy Here | Máy bận")
                    info = dict(harness.info_column(self.ts, self.captures["t01-200.pcapng"],
                                                    [*extra, *tree]))
                    self.assertEqual(info["6"], "Request: BYE sip:bob@127.0.0.1:5060 | ")

    def test_sip_cause_in_a_cancel(self):
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                got = harness.field_rows(self.ts, self.captures["t05-487-cancel.pcapng"],
                                         ["frame.number", "sipvi.method", "sipvi.reason_sip.cause",
                                          "sipvi.reason_sip.meaning"],
                                         [*extra, "-Y", "sipvi.reason_sip.cause"])
                self.assertEqual(got, [["4", "CANCEL", "200", "Cuộc gọi đã được trả lời ở máy khác"]])
                got = harness.field_rows(self.ts, self.captures["t05-487-cancel.pcapng"],
                                         ["frame.number", "sipvi.code", "sipvi.method", "sipvi.final"],
                                         [*extra, "-Y", "sipvi.code"])
                self.assertEqual(got, [["2", "100", "INVITE", NO], ["3", "180", "INVITE", NO],
                                       ["5", "200", "CANCEL", YES], ["6", "487", "INVITE", YES]])

    def test_warning_headers(self):
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                got = harness.field_rows(self.ts, self.captures["t14-warning.pcapng"],
                                         ["frame.number", "sipvi.warning.code", "sipvi.warning.meaning",
                                          "sipvi.warning.text"], [*extra, "-Y", "sipvi.warning.code"])
                self.assertEqual(got, [["2", "305|370",
                                        "Định dạng media (codec) trong SDP không tương thích: hai bên "
                                        "không có codec chung.|Không đủ băng thông cho phiên: băng "
                                        "thông khai báo trong SDP hoặc codec cần vượt mức hiện có.",
                                        '127.0.0.1 "Incompatible media format"|127.0.0.1 "Insufficient '
                                        'bandwidth"']])

    def test_expert_info_lists_causes(self):
        # With or without a display filter (which makes a tree): the same causes
        # (tests/test_expert.py checks every capture).
        for (mode, extra), display_filter in itertools.product(PASSES.items(), ([], ["-Y", "sip"])):
            with self.subTest(mode=mode, filter=display_filter):
                entries = harness.expert_entries(self.ts.run(["-n", "-r", self.all_calls, "-q", *extra,
                                                              *display_filter, "-z", "expert"]))
                causes = [e for e in entries if e[3].startswith(("Q.850", "Warning", "Reason"))]
                self.assertEqual(causes, [
                    ("Chats", 1, "Response", "Q.850 16: Kết thúc cuộc gọi bình thường"),
                    ("Chats", 1, "Response", "Q.850 17: Máy bận"),
                    ("Chats", 1, "Response", "Q.850 18: Thuê bao không phản hồi"),
                    ("Chats", 1, "Response", "Q.850 19: Không trả lời (đã đổ chuông)"),
                    ("Chats", 1, "Response", "Q.850 21: Cuộc gọi bị từ chối"),
                    ("Chats", 1, "Response", "Q.850 34: Hết kênh/trunk"),
                    ("Chats", 1, "Response", "Reason SIP 200: Cuộc gọi đã được trả lời ở máy khác"),
                    ("Notes", 1, "Response", "Warning 305: Định dạng media (codec) trong SDP không "
                                             "tương thích: hai bên không có codec chung."),
                    ("Notes", 1, "Response", "Warning 370: Không đủ băng thông cho phiên: băng thông "
                                             "khai báo trong SDP hoặc codec cần vượt mức hiện có."),
                ])


if __name__ == "__main__":
    unittest.main()
