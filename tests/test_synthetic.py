"""The plugin on the generated capture: one response for every code of the data file, three
responses in one TCP segment, IPv6, an empty reason phrase, unknown and malformed codes.
Every frame's values are checked against an independent reading of the data file, in one-pass
and two-pass runs, as fields, as the packet tree, through display filters and as expert info."""

import os
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from datafile import Data  # noqa: E402

CAPTURE = "synthetic.pcap"
MANIFEST = os.path.join(harness.CAPTURE_DIR, "synthetic.manifest.tsv")
PASSES = harness.PASSES


def read_manifest():
    with open(MANIFEST, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    return {int(frame): ([int(c) for c in codes.split(",")] if codes else [], case)
            for frame, codes, case in rows}


class SyntheticCaptureTest(harness.PluginTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = Data(harness.DATA_DIR)
        cls.manifest = read_manifest()
        cls.capture = cls.ts.capture(CAPTURE)

    def codes_of(self, predicate=lambda code: True):
        return [(frame, codes) for frame, (codes, _) in sorted(self.manifest.items())
                if codes and any(predicate(c) for c in codes)]

    def test_capture_is_up_to_date_with_the_data_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            pcap, manifest = os.path.join(tmp, "s.pcap"), os.path.join(tmp, "s.tsv")
            subprocess.run([sys.executable, os.path.join(harness.CAPTURE_DIR, "gen_synthetic.py"),
                            os.path.join(harness.DATA_DIR, "status_codes.tsv"), pcap, manifest],
                           check=True, capture_output=True)
            for new, committed in ((pcap, os.path.join(harness.CAPTURE_DIR, CAPTURE)),
                                   (manifest, MANIFEST)):
                with open(new, "rb") as a, open(committed, "rb") as b:
                    self.assertTrue(a.read() == b.read(),
                                    f"{committed} is stale: run tests/captures/gen_synthetic.py "
                                    "data/status_codes.tsv tests/captures/synthetic.pcap "
                                    "tests/captures/synthetic.manifest.tsv")

    def test_every_code_of_the_data_file_has_a_frame(self):
        single = [codes[0] for _, (codes, case) in sorted(self.manifest.items()) if case == "code"]
        self.assertEqual(single, sorted(self.data.codes))

    def test_sip_dissector_reads_the_manifest_codes(self):
        rows = harness.field_rows(self.ts, self.capture, ["frame.number", "sip.Status-Code"])
        got = {int(r[0]): [int(c) for c in r[1].split("|")] if r[1] else [] for r in rows}
        self.assertEqual(got, {f: codes for f, (codes, _) in self.manifest.items()})

    def test_fields_of_every_frame(self):
        expected = [[str(frame)] + harness.expected_field_row(self.data, codes)
                    for frame, (codes, _) in sorted(self.manifest.items())]
        for name, extra in PASSES.items():
            with self.subTest(mode=name):
                got = harness.field_rows(self.ts, self.capture,
                                         ["frame.number"] + harness.SIPVI_FIELDS, extra)
                self.assertEqual(got, expected)

    def test_detail_and_reference_of_known_codes(self):
        rows = harness.field_rows(self.ts, self.capture,
                                  ["sipvi.code", "sipvi.detail", "sipvi.reference"], ["-2"])
        seen = {}
        for code, detail, reference in rows:
            if code and "|" not in code and int(code) in self.data.codes:
                seen[int(code)] = (detail, reference)
        self.assertEqual(seen, {code: (row["detail"], row["reference"])
                                for code, row in self.data.codes.items()})

    def test_packet_tree(self):
        expected = {frame: [harness.expected_tree_header(self.data, c) for c in codes]
                    for frame, (codes, _) in self.manifest.items()}
        for name, extra in PASSES.items():
            with self.subTest(mode=name):
                got = harness.sipvi_tree_headers(self.ts.run(["-n", "-r", self.capture, "-V", *extra]))
                self.assertEqual(got, expected)

    def test_packet_tree_shows_the_whole_detail(self):
        known = {frame: [self.data.codes[c]["detail"] for c in codes]
                 for frame, (codes, _) in self.manifest.items()
                 if codes and all(c in self.data.codes for c in codes)}
        for name, extra in PASSES.items():
            with self.subTest(mode=name):
                got = harness.sipvi_tree_details(self.ts.run(["-n", "-r", self.capture, "-V", *extra]))
                self.assertEqual({f: got[f] for f in known}, known)
                self.assertTrue(all(len(d) == len(self.manifest[f][0]) for f, d in got.items()
                                    if self.manifest[f][0] and min(self.manifest[f][0]) >= 100
                                    and max(self.manifest[f][0]) <= 799))

    def test_subtree_covers_the_status_code_bytes(self):
        for name, extra in PASSES.items():
            with self.subTest(mode=name):
                pdml = ET.fromstring(self.ts.run(["-n", "-r", self.capture, "-T", "pdml", *extra]))
                for packet in pdml.iter("packet"):
                    frame = int(packet.find("proto[@name='geninfo']/field[@name='num']").get("show"))
                    codes = [(f.get("pos"), f.get("size"))
                             for f in packet.iter("field") if f.get("name") == "sip.Status-Code"]
                    ours = [(p.get("pos"), p.get("size"))
                            for p in packet.findall("proto[@name='sipvi']")]
                    self.assertEqual(ours, codes, f"frame {frame}")
                    self.assertTrue(all(size == "3" for _, size in ours), f"frame {frame}")

    def test_display_filters(self):
        filters = {
            "sipvi.class == 4": lambda w: w["class"] == 4,
            "sipvi.class >= 5": lambda w: w["class"] is not None and w["class"] >= 5,
            "sipvi.severity >= 3": lambda w: w["severity"] is not None and w["severity"] >= 3,
            "sipvi.known == 0": lambda w: w["known"] == 0,
            "sipvi.code == 486": lambda w: w["code"] == 486,
            'sipvi.meaning contains "bận"': lambda w: w["meaning"] is not None and "bận" in w["meaning"],
            "sipvi && !sipvi.class": lambda w: w["class"] is None,
        }
        for flt, predicate in filters.items():
            expected = [str(frame) for frame, codes in self.codes_of()
                        if any(predicate(self.data.expected(c)) for c in codes)]
            self.assertTrue(expected, flt)
            for name, extra in PASSES.items():
                with self.subTest(filter=flt, mode=name):
                    got = harness.field_rows(self.ts, self.capture, ["frame.number"],
                                             [*extra, "-Y", flt])
                    self.assertEqual([r[0] for r in got], expected)

    def test_expert_info(self):
        all_codes = [c for _, (codes, _) in sorted(self.manifest.items()) for c in codes]
        expected = harness.expected_expert_entries(self.data, all_codes)
        for name, extra in PASSES.items():
            with self.subTest(mode=name):
                got = harness.expert_entries(self.ts.run(["-n", "-r", self.capture, "-q",
                                                          "-z", "expert", *extra]))
                self.assertEqual(got, expected)

    def test_info_column(self):
        def info(*extra):
            return harness.info_column(self.ts, self.capture, extra)

        def suffix(codes):
            meanings = [self.data.expected(c)["meaning"] or "mã không hợp lệ" for c in codes]
            if len(codes) == 1:
                return meanings[0]
            return "; ".join(f"{c}: {m}" for c, m in zip(codes, meanings))

        for name, extra in PASSES.items():
            with self.subTest(mode=name):
                base = info(*extra, "--disable-protocol", "sipvi")
                self.assertEqual(info(*extra, "-o", "sipvi.info_column:FALSE"), base)
                expected = [[frame, text + (suffix(self.manifest[int(frame)][0])
                                            if self.manifest[int(frame)][0] else "")]
                            for frame, text in base]
                self.assertEqual(info(*extra), expected)

    def test_plain_runs_without_a_tree(self):
        for name, extra in PASSES.items():
            with self.subTest(mode=name):
                out = self.ts.run(["-n", "-r", self.capture, *extra])
                self.assertEqual(len(out.rstrip("\n").split("\n")), len(self.manifest))


if __name__ == "__main__":
    unittest.main()
