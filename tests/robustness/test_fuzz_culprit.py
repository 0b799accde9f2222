#!/usr/bin/env python3
"""The fuzz script's culprit, with the real tshark (issue 14): a warning Wireshark writes with and
without the plugin is Wireshark's; one more message from the plugin's run makes it sipvi's.

wireshark-warning.pcap (gen_wireshark_warning.py) makes tshark -2 report a TLS dissector bug of
its own (Wireshark 4.0.17, 4.4.19 and 4.6.9 alike); its frame 1 is a SIP 486 that sipvi
annotates. The test runs the fuzz script's own Fuzzer.check on it, every mode, then checks what
it decided and what it kept. The comparison itself: test_failure_compare.py.
"""

import importlib.machinery
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import harness  # noqa: E402

CAPTURE = "wireshark-warning.pcap"
# What tshark -2 writes on it, with and without the plugin; the line of packet-tls.c changes with
# the Wireshark series (2513 on 4.0, 2804 on 4.4, 2871 on 4.6).
TLS_WARNING = re.compile(
    r'^ \*\* \(tshark:\d+\) \d\d:\d\d:\d\d\.\d{6} \[Epan WARNING\] -- Dissector bug, protocol TLS, '
    r'in packet 2: \./epan/dissectors/packet-tls\.c:\d+: failed assertion '
    r'"frag_info && frag_info->offset == 0"$')
BAD_PREFERENCE = b"sipvi.expert_min_class: 9\n"
SIPVI_PREFERENCE_MESSAGE = ("tshark: sipvi.expert_min_class: 9 không hợp lệ, phải từ 1 đến 7; "
                            "dùng 1 (must be 1-7; using 1)")


def load_fuzz():
    """tests/robustness/fuzz (a script without .py) as a module."""
    path = os.path.join(HERE, "fuzz")
    loader = importlib.machinery.SourceFileLoader("sipvi_fuzz", path)
    spec = importlib.util.spec_from_loader("sipvi_fuzz", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


fuzz = load_fuzz()


class FuzzCulprit(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.keep = tempfile.mkdtemp(prefix="sipvi-fuzz-culprit-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.keep, True)

    def test_capture_is_current(self):
        with tempfile.TemporaryDirectory() as tmp:
            new = os.path.join(tmp, CAPTURE)
            subprocess.run([sys.executable, os.path.join(HERE, "gen_wireshark_warning.py"), new],
                           check=True)
            with open(new, "rb") as a, open(os.path.join(HERE, CAPTURE), "rb") as b:
                self.assertTrue(a.read() == b.read(),
                                f"{CAPTURE} is stale: run tests/robustness/gen_wireshark_warning.py "
                                f"tests/robustness/{CAPTURE}")

    def fuzzer(self, ts, name):
        keep = os.path.join(self.keep, name)
        return fuzz.Fuzzer(ts, keep), keep, ts.capture(CAPTURE, HERE)

    def test_wireshark_warning_is_wireshark_failure(self):
        ts = harness.tshark()  # the plugin proven loaded
        fuzzer, keep, capture = self.fuzzer(ts, "plain-profile")

        # The premise, with the plugin: sipvi at work on frame 1, and the TLS warning on stderr.
        rc, out, err = ts.run_full(["-2", "-n", "-r", capture, "-T", "fields", "-e", "sipvi.code"])
        self.assertEqual((rc, out), (0, "486\n\n\n"), err)
        self.assertRegex(err.rstrip("\n"), TLS_WARNING)

        failures = fuzzer.check(capture, "wireshark-warning.pcap as it is")
        self.assertEqual([(f[0], f[1], f[3]) for f in failures],
                         [("wireshark", "two-pass", "stderr")],
                         "only -2 warns, and it warns without the plugin too")
        self.assertRegex(failures[0][4].rstrip("\n"), TLS_WARNING)
        self.assertEqual(fuzzer.runs, len(fuzzer.modes) + 1)  # one re-run, without the plugin
        self.assertEqual((fuzzer.wireshark_failures, fuzzer.sipvi_failures),
                         ([os.path.join(keep, "wireshark", CAPTURE)], []))
        self.assertEqual(sorted(os.listdir(keep)), ["wireshark"])
        with open(os.path.join(keep, "wireshark", CAPTURE), "rb") as a, open(capture, "rb") as b:
            self.assertTrue(a.read() == b.read())
        with open(os.path.join(keep, "wireshark", CAPTURE + ".txt"), encoding="utf-8") as f:
            note = f.read().rstrip("\n").splitlines()
        self.assertEqual(note[:3], ["wireshark-warning.pcap as it is", "mode: two-pass",
                                    "outcome: stderr (also without the plugin)"])
        self.assertRegex(note[-1], TLS_WARNING)

    def test_extra_message_of_the_plugin_run_is_sipvi_failure(self):
        # A preference out of range: sipvi says so on stderr; the same preferences file makes
        # tshark without the plugin warn of an unknown preference instead. Both runs print the TLS
        # warning too, which must not hide the difference.
        ts = harness.Tshark()
        ts.assert_plugin_loaded()  # before the preference: it fails on any stderr
        ts.profile_file("preferences", BAD_PREFERENCE)
        fuzzer, keep, capture = self.fuzzer(ts, "bad-preference")
        fuzzer.modes = {"two-pass": fuzz.MODES["two-pass"]}
        failures = fuzzer.check(capture, "wireshark-warning.pcap, sipvi.expert_min_class: 9")
        self.assertEqual([(f[0], f[1], f[3]) for f in failures], [("sipvi", "two-pass", "stderr")])
        self.assertEqual(fuzzer.wireshark_failures, [])
        self.assertEqual(sorted(os.listdir(keep)), ["sipvi"])
        detail = failures[0][4].splitlines()
        self.assertEqual(detail[0], SIPVI_PREFERENCE_MESSAGE)
        self.assertRegex(detail[1], TLS_WARNING)
        # The note shows what the run without the plugin wrote, for whoever reads it.
        self.assertEqual(detail[2], "--- without the plugin: stderr:")
        self.assertIn('No such preference "sipvi.expert_min_class"', detail[3])
        self.assertRegex(detail[-1], TLS_WARNING)


if __name__ == "__main__":
    unittest.main()
