"""The plugin on real calls recorded with sipp on loopback. The expected values are written out
by hand here (not derived from the data file), so that a wrong table or a wrong lookup both fail."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

PASSES = harness.PASSES

# frame -> (sipvi.code, sipvi.class, sipvi.meaning, sipvi.severity, sipvi.known); frames without a
# response have no sipvi fields at all.
YES = harness.boolean_text(True)
TRYING = ("100", "1", "Đang xử lý", "1", YES)
RINGING = ("180", "1", "Đang đổ chuông", "1", YES)
OK = ("200", "2", "Thành công", "1", YES)
CALLS = {
    "call-200.pcapng": {2: TRYING, 3: RINGING, 4: OK, 7: OK},
    "call-486.pcapng": {2: TRYING, 3: ("486", "4", "Máy bận", "3", YES)},
    "call-404.pcapng": {2: ("404", "4", "Không tìm thấy thuê bao", "3", YES)},
    "call-407-200.pcapng": {2: ("407", "4", "Proxy yêu cầu xác thực", "1", YES),
                            5: TRYING, 6: RINGING, 7: OK, 10: OK},
    "call-487-cancel.pcapng": {2: TRYING, 3: RINGING, 5: OK,
                               6: ("487", "4", "Yêu cầu đã bị hủy", "2", YES)},
    "call-503.pcapng": {2: ("503", "5", "Dịch vụ tạm thời không khả dụng", "4", YES)},
}
FRAMES = {"call-200.pcapng": 7, "call-486.pcapng": 4, "call-404.pcapng": 3,
          "call-407-200.pcapng": 10, "call-487-cancel.pcapng": 7, "call-503.pcapng": 3}

# tshark -q -z expert: (section, frequency, group, summary) of sipvi's items.
EXPERT = {
    "call-200.pcapng": [("Chats", 1, "Response", "100 Đang xử lý"),
                        ("Chats", 1, "Response", "180 Đang đổ chuông"),
                        ("Chats", 2, "Response", "200 Thành công")],
    "call-486.pcapng": [("Chats", 1, "Response", "100 Đang xử lý"),
                        ("Warns", 1, "Response", "486 Máy bận")],
    "call-404.pcapng": [("Warns", 1, "Response", "404 Không tìm thấy thuê bao")],
    "call-407-200.pcapng": [("Chats", 1, "Response", "100 Đang xử lý"),
                            ("Chats", 1, "Response", "180 Đang đổ chuông"),
                            ("Chats", 2, "Response", "200 Thành công"),
                            ("Chats", 1, "Response", "407 Proxy yêu cầu xác thực")],
    "call-487-cancel.pcapng": [("Chats", 1, "Response", "100 Đang xử lý"),
                               ("Chats", 1, "Response", "180 Đang đổ chuông"),
                               ("Chats", 1, "Response", "200 Thành công"),
                               ("Notes", 1, "Response", "487 Yêu cầu đã bị hủy")],
    "call-503.pcapng": [("Errors", 1, "Response", "503 Dịch vụ tạm thời không khả dụng")],
}


class RecordedCallsTest(harness.PluginTestCase):

    def test_fields(self):
        for name, responses in CALLS.items():
            capture = self.ts.capture(name)
            expected = [[str(f), *responses.get(f, ("", "", "", "", ""))]
                        for f in range(1, FRAMES[name] + 1)]
            for mode, extra in PASSES.items():
                with self.subTest(capture=name, mode=mode):
                    got = harness.field_rows(self.ts, capture,
                                             ["frame.number"] + harness.SIPVI_FIELDS, extra)
                    self.assertEqual(got, expected)

    def test_expert_info(self):
        for name, expected in EXPERT.items():
            capture = self.ts.capture(name)
            for mode, extra in PASSES.items():
                with self.subTest(capture=name, mode=mode):
                    got = harness.expert_entries(self.ts.run(["-n", "-r", capture, "-q", "-z",
                                                              "expert", *extra]))
                    self.assertEqual(got, sorted(expected))

    def test_failures_filter(self):
        """The support engineer's first question: which responses are warnings or worse?"""
        expected = {"call-486.pcapng": ["3"], "call-404.pcapng": ["2"], "call-503.pcapng": ["2"]}
        for name in CALLS:
            capture = self.ts.capture(name)
            for mode, extra in PASSES.items():
                with self.subTest(capture=name, mode=mode):
                    got = harness.field_rows(self.ts, capture, ["frame.number"],
                                             [*extra, "-Y", "sipvi.severity >= 3"])
                    self.assertEqual([r[0] for r in got], expected.get(name, []))

    def test_info_column(self):
        capture = self.ts.capture("call-486.pcapng")
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                got = harness.info_column(self.ts, capture, extra)
                self.assertEqual(got, [["1", "Request: INVITE sip:bob@127.0.0.1:5060 | "],
                                       ["2", "Status: 100 Trying | Đang xử lý"],
                                       ["3", "Status: 486 Busy Here | Máy bận"],
                                       ["4", "Request: ACK sip:bob@127.0.0.1:5060 | "]])

    def test_tree_detail(self):
        capture = self.ts.capture("call-503.pcapng")
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                text = self.ts.run(["-n", "-r", capture, "-V", "-Y", "frame.number == 2", *extra])
                tree = text[text.index("Trạng thái SIP tiếng Việt"):].split("\n")
                self.assertEqual(tree[0], "Trạng thái SIP tiếng Việt: 503 Dịch vụ tạm thời không khả dụng")
                self.assertEqual(tree[1:4], ["    Mã trạng thái: 503",
                                             "    [Lớp: Lỗi máy chủ (5)]",
                                             "    [Ý nghĩa: Dịch vụ tạm thời không khả dụng]"])
                # Lines of at most 100 characters (not bytes), cut at spaces; the first in the
                # item's label, readable with the item closed.
                self.assertEqual(tree[4], "    [Chi tiết: Máy chủ tạm thời không xử lý được do quá "
                                          "tải hoặc bảo trì; có thể kèm header Retry-After, bên gửi]")
                self.assertEqual(tree[5:8], [
                    "        nên thử máy chủ dự phòng. Thực tế proxy/PBX cũng trả 503 khi không còn "
                    "tuyến hay trunk nào dùng",
                    "        được. Kiểm tra: trunk hết kênh hoặc mất đăng ký, tải máy chủ, header "
                    "Retry-After, tuyến dự phòng,",
                    "        DNS SRV."])
                self.assertEqual(tree[8:13], ["    [Mức độ: Lỗi (Error) (4)]",
                                             "    [Có trong bảng: Có]",
                                             "    [Cụm lý do (tiếng Anh): Service Unavailable]",
                                             "    [Tài liệu: RFC 3261]",
                                             "    [Expert Info (Error/Response): 503 Dịch vụ tạm "
                                             "thời không khả dụng]"])


if __name__ == "__main__":
    unittest.main()
