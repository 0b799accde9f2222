"""tshark with the sipvi plugin under valgrind memcheck, for a plain (not sanitized) build.

Each run writes valgrind's XML report; the test fails on any error whose stacks (where it
happened, and where the memory was allocated or freed) pass through the plugin: sipvi.so,
packet-sipvi.c, plugin.c or the status table (sipvi_table*). Invalid reads and writes, use of
uninitialised values, bad frees and definitely lost blocks are all errors to memcheck here.
tshark and GLib have errors of their own (definitely lost blocks at exit, mostly): those are
counted and ignored, without a suppression file that would need keeping up with every
Wireshark release.

Plugins are unloaded before valgrind looks for leaks; --keep-debuginfo=yes keeps the plugin's
symbols so that its leaks are still attributed to it.

Wireshark's wmem pools are switched to plain malloc/free (WIRESHARK_DEBUG_WMEM_OVERRIDE=simple)
and GLib's slices too (G_SLICE=always-malloc), so that memcheck sees each block the plugin
allocates, as Wireshark's own tools/valgrind-wireshark.sh does.
"""

import concurrent.futures
import os
import shutil
import subprocess
import sys
import time
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import harness  # noqa: E402

VALGRIND_EXIT = 99  # valgrind's exit status when it found errors (--error-exitcode)
SIPVI_SOURCES = ("packet-sipvi", "sipvi_")  # packet-sipvi.c, sipvi_table*.c, sipvi_*.h
# (capture, source folder, extra tshark arguments)
RUNS = [
    ("call-407-200.pcapng", harness.CAPTURE_DIR, ["-V"]),
    ("call-407-200.pcapng", harness.CAPTURE_DIR, ["-2", "-V"]),
    ("hostile.pcap", HERE, ["-V"]),
    ("hostile.pcap", HERE, ["-2", "-V"]),
]
# More valgrind options, e.g. SIPVI_VALGRIND_EXTRA=--track-origins=yes to see where an
# uninitialised value came from (about twice as slow).
EXTRA_OPTIONS = os.environ.get("SIPVI_VALGRIND_EXTRA", "").split()


def frame_text(frame):
    fn = frame.findtext("fn") or "???"
    where = frame.findtext("file")
    if where:
        where = f"{where}:{frame.findtext('line') or '?'}"
    else:
        where = os.path.basename(frame.findtext("obj") or "?")
    return f"{fn} ({where})"


def frame_is_sipvi(frame):
    """The plugin's own code: sipvi.so (the table is linked into it) or its sources. A frame
    valgrind could not place in any object also counts: with --keep-debuginfo=yes that only
    happens for code it never saw mapped, and the plugin is the code under test."""
    obj = os.path.basename(frame.findtext("obj") or "")
    source = frame.findtext("file") or ""
    return obj in ("sipvi.so", "") or source.startswith(SIPVI_SOURCES)


def errors_of(xml_path):
    """[(kind, what, [[frame text]] per stack, involves sipvi)] of one valgrind XML report."""
    root = ET.parse(xml_path).getroot()
    found = []
    for error in root.findall("error"):
        kind = error.findtext("kind")
        what = error.findtext("what") or error.findtext("xwhat/text") or ""
        stacks = error.findall("stack")
        sipvi = any(frame_is_sipvi(f) for s in stacks for f in s.findall("frame"))
        found.append((kind, what, [[frame_text(f) for f in s.findall("frame")] for s in stacks],
                      sipvi))
    return found


class ValgrindTest(harness.PluginTestCase):

    @classmethod
    def setUpClass(cls):
        if os.environ.get("SIPVI_SANITIZE") == "1":
            raise unittest.SkipTest("valgrind cannot run a plugin built with AddressSanitizer")
        cls.valgrind = shutil.which("valgrind")
        if not cls.valgrind:
            raise RuntimeError("valgrind is not installed (scripts/deps installs it)")
        super().setUpClass()
        cls.reports = os.path.join(cls.ts.root, "valgrind")
        os.makedirs(cls.reports)
        os.chmod(cls.reports, 0o777)  # tshark runs as the unprivileged user and writes here

    def memcheck(self, index, capture, extra):
        xml_path = os.path.join(self.reports, f"run{index}.xml")
        cmd = self.ts.command(["-n", "-r", self.ts.capture(capture, self.source_of(capture)),
                               *extra])
        at = cmd.index(self.ts.tshark)
        cmd[at:at] = [self.valgrind, "--tool=memcheck", "-q", f"--error-exitcode={VALGRIND_EXIT}",
                      "--leak-check=full", "--show-leak-kinds=definite",
                      "--errors-for-leak-kinds=definite", "--num-callers=50",
                      # tshark unloads its plugins before the leak check: keep their symbols
                      "--keep-debuginfo=yes",
                      "--child-silent-after-fork=yes", "--xml=yes", f"--xml-file={xml_path}",
                      *EXTRA_OPTIONS]
        env = dict(self.ts.env, WIRESHARK_DEBUG_WMEM_OVERRIDE="simple", G_SLICE="always-malloc")
        start = time.monotonic()
        proc = subprocess.run(cmd, env=env, capture_output=True, stdin=subprocess.DEVNULL,
                              timeout=900)
        return proc, xml_path, time.monotonic() - start

    @staticmethod
    def source_of(capture):
        return next(src for name, src, _ in RUNS if name == capture)

    def test_no_memory_error_in_sipvi(self):
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            jobs = [pool.submit(self.memcheck, i, capture, extra)
                    for i, (capture, _, extra) in enumerate(RUNS)]
            results = [job.result() for job in jobs]
        for (capture, _, extra), (proc, xml_path, seconds) in zip(RUNS, results):
            label = f"tshark -n -r {capture} {' '.join(extra)}"
            with self.subTest(run=label):
                stderr = proc.stderr.decode("utf-8", "replace")
                stdout = proc.stdout.decode("utf-8", "replace")
                self.assertIn(proc.returncode, (0, VALGRIND_EXIT),
                              f"{label} under valgrind exited {proc.returncode}\n{stderr}")
                self.assertEqual(stderr.strip(), "", f"{label} wrote to stderr")
                self.assertIn("Trạng thái SIP tiếng Việt: ", stdout,
                              f"{label}: no sipvi tree in the output")
                errors = errors_of(xml_path)
                if (proc.returncode == VALGRIND_EXIT) != bool(errors):
                    self.fail(f"{label}: exit {proc.returncode} but {len(errors)} errors in "
                              f"{xml_path}")
                ours = [e for e in errors if e[3]]
                print(f"{label}: {seconds:.0f} s under valgrind, {len(errors)} errors outside "
                      f"sipvi ignored" if not ours else f"{label}: {len(ours)} sipvi errors",
                      flush=True)
                if ours:
                    lines = []
                    for kind, what, stacks, _ in ours:
                        lines.append(f"{kind}: {what}")
                        for n, stack in enumerate(stacks):
                            lines.append("  " + ("at" if n == 0 else "and"))
                            lines += [f"    {frame}" for frame in stack[:25]]
                    self.fail(f"{label}: memcheck errors in sipvi:\n" + "\n".join(lines))


if __name__ == "__main__":
    unittest.main()
