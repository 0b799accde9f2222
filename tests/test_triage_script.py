"""scripts/triage on a folder of captures: one CSV of all the calls and one of all the
registrations, the rows of each file's own sipvi report, in the order of the file names; a file
tshark cannot read is named and the others are still triaged."""

import csv
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SCRIPT = os.path.join(harness.SOURCE_DIR, "scripts", "triage")
TRIAGE = os.path.join(harness.CAPTURE_DIR, "triage")
EDGE = os.path.join(harness.CAPTURE_DIR, "diagnosis_edge")


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


class TriageScriptTest(harness.PluginTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ts = cls.ts
        # The folder support would triage: two sub-folders, and a file that is no capture.
        cls.folder = os.path.join(ts.captures, "day")
        for sub, source, names in (("a", TRIAGE, ["t02-486-q850.pcapng", "t06-407-200.pcapng",
                                                  "t14-warning.pcapng"]),
                                   ("b", EDGE, ["edge-calls.pcap", "registrations.pcap"])):
            os.makedirs(os.path.join(cls.folder, sub), exist_ok=True)
            for name in names:
                shutil.copyfile(os.path.join(source, name), os.path.join(cls.folder, sub, name))
        with open(os.path.join(cls.folder, "b", "broken.pcap"), "wb") as f:
            f.write(b"not a capture\n")
        for root, dirs, files in os.walk(cls.folder):
            os.chmod(root, 0o755)
            for name in files:
                os.chmod(os.path.join(root, name), 0o644)
        # tshark as the tests run it (unprivileged, the built plugin): a wrapper the script runs.
        cls.wrapper = os.path.join(ts.root, "tshark-wrapper")
        env = " ".join(shlex.quote(f"{k}={v}") for k, v in ts.env.items())
        with open(cls.wrapper, "w") as f:
            f.write(f"#!/bin/sh\nexec env -i {env} {' '.join(shlex.quote(c) for c in ts.command([]))}"
                    ' "$@"\n')
        os.chmod(cls.wrapper, 0o755)

    def own_report(self, rel, what):
        out = self.ts.run(["-n", "-r", os.path.join(self.folder, rel), "-q", "-z",
                           f"sipvi,{what},csv"])
        rows = list(csv.reader(out.splitlines()))
        column = rows[0].index("capture_file")   # the media columns follow it (calls)
        for row in rows[1:]:
            row[column] = rel
        return rows[0], rows[1:]

    def test_folder(self):
        out = tempfile.mkdtemp(prefix="sipvi-triage-out-")
        self.addCleanup(shutil.rmtree, out)
        proc = subprocess.run([sys.executable, SCRIPT, self.folder, "-o", out, "-j", "2",
                               "--tshark", self.wrapper], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 1, proc.stderr)   # broken.pcap
        lines = proc.stderr.splitlines()
        self.assertTrue(any(line.startswith(f"triage: {os.path.join('b', 'broken.pcap')}: ")
                            for line in lines), proc.stderr)
        self.assertNotIn("\r", proc.stderr)   # no progress line when stderr is no terminal
        files = [os.path.join("a", "t02-486-q850.pcapng"), os.path.join("a", "t06-407-200.pcapng"),
                 os.path.join("a", "t14-warning.pcapng"), os.path.join("b", "edge-calls.pcap"),
                 os.path.join("b", "registrations.pcap")]
        for what, name in (("calls", "sipvi-calls.csv"), ("registrations", "sipvi-registrations.csv")):
            with self.subTest(report=what):
                header, rows = read_csv(os.path.join(out, name))
                want = []
                for rel in files:
                    own_header, own_rows = self.own_report(rel, what)
                    self.assertEqual(header, own_header)
                    want += own_rows
                self.assertEqual(rows, want)
                self.assertTrue(rows)
        self.assertEqual(lines[-1], f"triage: 5/6 tệp (files); 12 cuộc gọi (calls) → "
                                    f"{os.path.join(out, 'sipvi-calls.csv')}; 4 lần đăng ký "
                                    f"(registrations) → {os.path.join(out, 'sipvi-registrations.csv')}")

    def test_not_a_folder(self):
        proc = subprocess.run([sys.executable, SCRIPT, os.path.join(self.folder, "nowhere")],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("không phải thư mục (not a folder)", proc.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
