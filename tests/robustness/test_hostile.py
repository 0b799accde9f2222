"""The plugin on hostile input (tests/robustness/hostile.pcap, made by gen_hostile.py): status
codes outside 100-799, codes with letters or too many digits, status lines cut across TCP
segments, streams and a file that end in the middle of a message, hundreds of headers, 100
responses in one segment, broken Reason and Warning headers.

What the SIP dissector makes of each line decides what sipvi sees, so the test first pins that
down (sip.Status-Code per frame, observed identical with tshark 4.0.17, 4.4.18 and 4.6.9), then
asserts sipvi's fields, expert items and tree on every frame, in one-pass and two-pass runs.
harness.Tshark fails any run that exits non-zero or writes to stderr (sanitizer reports
included). The expected values are written out by hand, not derived from data/."""

import os
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
import harness  # noqa: E402
import gen_hostile  # noqa: E402

CAPTURE = "hostile.pcap"
PASSES = harness.PASSES

# What tshark's SIP dissector shows as sip.Status-Code for each case (empty: no response seen).
# Three digits after "SIP/2.0 " are a status line whatever they are (000, 099, 800, 999 pass);
# anything else (more digits, letters, a sign, a tab, no code) is not SIP at all over UDP, and
# is taken as the continuation of the previous message over TCP. A TCP message whose headers or
# body never end is not dissected.
SIP_CODES = {
    "code-000": [0],
    "code-099": [99],
    "code-100": [100],
    "code-799": [799],
    "code-800": [800],
    "code-999": [999],
    "many-headers": [486],
    "tcp-cut-in-code": [180],                # 180, then "SIP/2.0 4" ...
    "tcp-cut-in-reason": [486],              # ... "86 Busy Here", reassembled; then "SIP/2.0 603 Dec"
    "tcp-rest-and-one-more": [603, 200],     # ... "line", reassembled, and one more response
    "tcp-hundred": [gen_hostile.HUNDRED_CYCLE[i % len(gen_hostile.HUNDRED_CYCLE)]
                    for i in range(gen_hostile.HUNDRED)],
    "tcp-invalid-between": [200],            # 1000, 4x6, 99999999999 and 486 become "Continuation"
    "tcp-ends-cut": [183],                   # then "SIP/2.0 20" and FIN
    "tcp-file-ends-in-headers": [100],       # then 60 bytes of a response, end of file
    "tcp-file-ends-in-body": [100],          # then a response promising 500 bytes of body
}
for _case, _code, _ in gen_hostile.BAD_HEADERS:
    SIP_CODES[_case] = [_code]

# Codes with their own entry in sipvi's table (every IANA code is there, and 700); 799 is a
# valid 7xx code that is not.
KNOWN = {100, 180, 183, 200, 302, 401, 404, 480, 486, 487, 500, 503, 603, 606, 700}
INVALID_MESSAGE = "{}: mã trạng thái không hợp lệ, phải nằm trong khoảng 100–799"
TREE_PREFIX = "Trạng thái SIP tiếng Việt: "


def frames():
    """[(frame number, case, sip codes)] of the whole capture."""
    return [(i, case, SIP_CODES.get(case, []))
            for i, (_, case, _) in enumerate(gen_hostile.build().frames, 1)]


def valid(code):
    return 100 <= code <= 799


class HostileCaptureTest(harness.PluginTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.capture = cls.ts.capture(CAPTURE, HERE)
        cls.frames = frames()

    def test_capture_is_up_to_date(self):
        with tempfile.TemporaryDirectory() as tmp:
            new = os.path.join(tmp, CAPTURE)
            subprocess.run([sys.executable, os.path.join(HERE, "gen_hostile.py"), new],
                           check=True, capture_output=True)
            with open(new, "rb") as a, open(os.path.join(HERE, CAPTURE), "rb") as b:
                self.assertTrue(a.read() == b.read(),
                                f"{CAPTURE} is stale: run tests/robustness/gen_hostile.py "
                                "tests/robustness/hostile.pcap")

    def test_every_case_is_in_the_capture(self):
        cases = {case for _, case, _ in self.frames}
        self.assertEqual(set(SIP_CODES) - cases, set())
        self.assertLessEqual({c for c, _ in gen_hostile.STATUS_LINES}, cases)

    def test_sip_dissector_codes(self):
        """The premise of every other test: what the SIP dissector hands to sipvi."""
        for name, extra in PASSES.items():
            with self.subTest(mode=name):
                got = harness.field_rows(self.ts, self.capture,
                                         ["frame.number", "sip.Status-Code"], extra)
                self.assertEqual(got, [[str(f), "|".join(str(c) for c in codes)]
                                       for f, _, codes in self.frames])

    def test_fields(self):
        def row(frame, codes):
            return [str(frame),
                    "|".join(str(c) for c in codes),
                    "|".join(str(c // 100) for c in codes if valid(c)),
                    "|".join(harness.boolean_text(c in KNOWN) for c in codes)]

        expected = [row(f, codes) for f, _, codes in self.frames]
        for name, extra in PASSES.items():
            with self.subTest(mode=name):
                got = harness.field_rows(self.ts, self.capture, ["frame.number", "sipvi.code",
                                                                 "sipvi.class", "sipvi.known"],
                                         extra)
                self.assertEqual(got, expected)

    def test_invalid_codes_get_the_expert_item(self):
        expected = [[str(f), "|".join(INVALID_MESSAGE.format(c) for c in codes if not valid(c))]
                    for f, _, codes in self.frames]
        flagged = [str(f) for f, _, codes in self.frames if any(not valid(c) for c in codes)]
        self.assertEqual(flagged, ["1", "2", "5", "6", str(self.frame_of("tcp-hundred"))])
        for name, extra in PASSES.items():
            with self.subTest(mode=name):
                got = harness.field_rows(self.ts, self.capture,
                                         ["frame.number", "_ws.expert.message"], extra)
                got = [[f, "|".join(m for m in messages.split("|")
                                    if m.endswith("phải nằm trong khoảng 100–799"))]
                       for f, messages in got]
                self.assertEqual(got, expected)
                got = harness.field_rows(self.ts, self.capture, ["frame.number"],
                                         [*extra, "-Y", "sipvi.invalid"])
                self.assertEqual([r[0] for r in got], flagged)

    def test_tree(self):
        """-V: one sipvi subtree per response, headed by its code (Reason and Warning frames
        included), and nothing for the frames without a response."""
        expected = {f: [TREE_PREFIX + str(c) for c in codes] for f, _, codes in self.frames}
        for name, extra in PASSES.items():
            with self.subTest(mode=name):
                got = harness.sipvi_tree_headers(self.ts.run(["-n", "-r", self.capture, "-V",
                                                              *extra]))
                got = {f: [h[:len(TREE_PREFIX)] + h[len(TREE_PREFIX):].split(" ")[0]
                           for h in headers] for f, headers in got.items()}
                self.assertEqual(got, expected)

    def test_subtrees_cover_the_status_code_bytes(self):
        """Also for codes that only exist in a reassembled TCP buffer."""
        for name, extra in PASSES.items():
            with self.subTest(mode=name):
                pdml = ET.fromstring(self.ts.run(["-n", "-r", self.capture, "-T", "pdml", *extra]))
                for packet in pdml.iter("packet"):
                    frame = packet.find("proto[@name='geninfo']/field[@name='num']").get("show")
                    codes = [(f.get("pos"), f.get("size"))
                             for f in packet.iter("field") if f.get("name") == "sip.Status-Code"]
                    ours = [(p.get("pos"), p.get("size"))
                            for p in packet.findall("proto[@name='sipvi']")]
                    self.assertEqual(ours, codes, f"frame {frame}")

    def sipvi_statistics(self):
        """The plugin's -z statistics (sipvi,...), as tshark -z help lists them on stderr."""
        proc = subprocess.run(self.ts.command(["-z", "help"]), env=self.ts.env,
                              capture_output=True, stdin=subprocess.DEVNULL, timeout=600)
        listing = (proc.stdout + proc.stderr).decode("utf-8", "replace").split()
        return [["-q", "-z", name] for name in listing if name.startswith("sipvi,")]

    def test_info_column_after_a_continuation(self):
        """SIP ends its Info text with " | " only after a message it parsed; after a TCP
        continuation the meaning still gets its separator."""
        frames = {str(f) for f, case, _ in self.frames if case == "tcp-invalid-between"}
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                info = [text for f, text in harness.info_column(self.ts, self.capture, extra)
                        if f in frames and text.startswith("Status:")]
                self.assertEqual(info, ["Status: 200 OK (INVITE) | Continuation | Thành công"])

    def test_other_outputs_run_clean(self):
        for name, extra in PASSES.items():
            for output in ([], ["-x"], ["-T", "json"], ["-T", "ek"], ["-q", "-z", "expert"],
                           ["-O", "sipvi", "-V"], *self.sipvi_statistics()):
                with self.subTest(mode=name, output=output):
                    self.assertTrue(self.ts.run(["-n", "-r", self.capture, *extra, *output]))

    def frame_of(self, case):
        return next(f for f, c, _ in self.frames if c == case)


if __name__ == "__main__":
    unittest.main()
