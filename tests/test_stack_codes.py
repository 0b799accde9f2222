"""Codes and headers that proxies put on the wire outside the registries (Kamailio 477-479,
OpenSIPS 473-477, warn-code 392 of sip_warning) and the Reason SIP cause whose meaning depends on
the request: shown by the real tshark on a capture generated here (pcapwrite, fixed bytes)."""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import pcapwrite  # noqa: E402
from datafile import Data  # noqa: E402

VIA = "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-sipvi-{n}\r\n"
HEADERS = ("From: <sip:alice@127.0.0.1>;tag=a{n}\r\nTo: <sip:bob@127.0.0.1>{to_tag}\r\n"
           "Call-ID: sipvi-stack-{n}@127.0.0.1\r\nCSeq: 1 {method}\r\n")
NOISY = ('Warning: 392 127.0.0.1:5060 "Noisy feedback tells:  pid=4242 req_src_ip=127.0.0.1 '
         'req_src_port=5070 in_uri=sip:bob@127.0.0.1 out_uri=sip:bob@127.0.0.1 via_cnt==1"\r\n')


def response(n, status, method, extra=""):
    return (f"SIP/2.0 {status}\r\n" + VIA.format(n=n) +
            HEADERS.format(n=n, to_tag=";tag=b" + str(n), method=method) + extra +
            "Content-Length: 0\r\n\r\n")


def request(n, method, extra=""):
    return (f"{method} sip:bob@127.0.0.1:5060 SIP/2.0\r\n" + VIA.format(n=n) + "Max-Forwards: 70\r\n" +
            HEADERS.format(n=n, to_tag="", method=method) + extra + "Content-Length: 0\r\n\r\n")


MESSAGES = [  # (from the proxy, SIP message)
    (True, response(1, "200 OK", "REGISTER", NOISY)),
    (True, response(2, "479 Regretfully, we were not able to process the URI (479/SL)", "INVITE")),
    (True, response(3, "473 Filtered destination (473/SL)", "INVITE")),
    (True, response(4, "477 Unfortunately error on sending to next hop occurred (477/TM)", "INVITE",
                    'Warning: 350 127.0.0.1 "not a registered warn-code"\r\n')),
    (False, request(5, "BYE", 'Reason: SIP;cause=200;text="OK"\r\n')),
    (False, request(6, "CANCEL", 'Reason: SIP;cause=200;text="Call completed elsewhere"\r\n')),
]


def write_capture(path):
    frames = []
    for i, (from_proxy, text) in enumerate(MESSAGES):
        ports = (5060, 5070) if from_proxy else (5070, 5060)
        frames.append(pcapwrite.ethernet(from_proxy, 0x0800, pcapwrite.ipv4(
            i + 1, 17, pcapwrite.udp(*ports, text.encode("ascii")))))
    pcapwrite.write_pcap(path, frames, 1_700_000_000, 1000)


class StackCodesTest(harness.PluginTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = Data(harness.DATA_DIR)
        work = tempfile.mkdtemp(prefix="sipvi-stack-")
        try:
            write_capture(os.path.join(work, "stack-codes.pcap"))
            cls.capture = cls.ts.capture("stack-codes.pcap", work)
        finally:
            shutil.rmtree(work)

    def test_codes_outside_the_registry(self):
        for mode, extra in harness.PASSES.items():
            with self.subTest(mode=mode):
                got = harness.field_rows(self.ts, self.capture,
                                         ["frame.number", "sipvi.code", "sipvi.meaning", "sipvi.reason",
                                          "sipvi.reference"], [*extra, "-Y", "sipvi.code >= 400"])
                self.assertEqual(got, [
                    ["2", "479", "Không xử lý được URI đích",
                     "Regretfully, we were not able to process the URI", "Kamailio"],
                    ["3", "473", "Đích bị chặn bởi bộ lọc", "Filtered destination", "OpenSIPS"],
                    ["4", "477", "Lỗi gửi tới chặng kế tiếp",
                     "Unfortunately error on sending to next hop occurred", "Kamailio, OpenSIPS"]])
                for code in (473, 477, 479):
                    self.assertEqual(self.data.codes[code]["registered"], "non-standard")

    def test_tree_marks_them_outside_the_registry(self):
        # The subtree's label is "<protocol name>: <code> <meaning>[ (ngoài sổ IANA)]"; the name is
        # read from tshark, so that renaming the protocol does not touch this test.
        names = [line.split("\t")[0] for line in self.ts.run(["-G", "protocols"]).splitlines()
                 if line.split("\t")[2:3] == ["sipvi"]]
        self.assertEqual(len(names), 1, names)
        out = self.ts.run(["-n", "-r", self.capture, "-V"])
        tops = [line[len(names[0]) + 2:] for line in out.splitlines()
                if line.startswith(names[0] + ": ")]
        self.assertEqual(tops, ["200 Thành công",
                                "479 Không xử lý được URI đích (ngoài sổ IANA)",
                                "473 Đích bị chặn bởi bộ lọc (ngoài sổ IANA)",
                                "477 Lỗi gửi tới chặng kế tiếp (ngoài sổ IANA)",
                                "BYE", "CANCEL"])

    def test_warn_codes_392_and_unknown(self):
        for mode, extra in harness.PASSES.items():
            with self.subTest(mode=mode):
                got = harness.field_rows(self.ts, self.capture,
                                         ["frame.number", "sipvi.warning.code", "sipvi.warning.meaning"],
                                         [*extra, "-Y", "sipvi.warning.code"])
                self.assertEqual(got, [["1", "392", self.data.warnings[392]["meaning"]],
                                       ["4", "350", "Mã Warning chưa có trong bảng"]])
                self.assertIn("(ngoài sổ IANA; Kamailio, OpenSIPS)", got[0][2])

    def test_reason_sip_200_means_answered_elsewhere_only_in_a_cancel(self):
        for mode, extra in harness.PASSES.items():
            with self.subTest(mode=mode):
                got = harness.field_rows(self.ts, self.capture,
                                         ["frame.number", "sipvi.method", "sipvi.reason_sip.cause",
                                          "sipvi.reason_sip.meaning"],
                                         [*extra, "-Y", "sipvi.reason_sip.cause"])
                self.assertEqual(got, [["5", "BYE", "200", "Thành công"],
                                       ["6", "CANCEL", "200", "Cuộc gọi đã được trả lời ở máy khác"]])


if __name__ == "__main__":
    unittest.main()
