"""Runs the real tshark with the freshly built sipvi plugin, for the tests.

Wireshark ignores WIRESHARK_PLUGIN_DIR and the personal plugin folder when it runs as root, and CI
runs as root: there tshark is started as the unprivileged user 65534 through setpriv. The plugin
and the captures are copied into a private world-readable folder first, because the build tree
may sit where that user cannot read (e.g. under /root). Every tshark run fails the test if the
sipvi plugin was not loaded or if tshark wrote anything to stderr.

Settings come from the environment that CTest sets (see tests/CMakeLists.txt):
  SIPVI_PLUGIN      path of the built sipvi.so
  SIPVI_WS_SERIES   Wireshark major.minor the plugin was built for, e.g. 4.0
  SIPVI_TSHARK      tshark to run
  SIPVI_SOURCE_DIR  the source tree (data/, tests/captures/)
  SIPVI_SANITIZE    1 when the plugin was built with ASan/UBSan: their runtimes are preloaded
"""

import atexit
import os
import shutil
import subprocess
import tempfile
import unittest

UNPRIVILEGED = 65534  # nobody / nogroup

SOURCE_DIR = os.environ.get("SIPVI_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA_DIR = os.path.join(SOURCE_DIR, "data")
CAPTURE_DIR = os.path.join(SOURCE_DIR, "tests", "captures")


def require_env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run the tests through ctest (see README)")
    return value


def _sanitizer_preload():
    libs = []
    for name in ("libasan.so", "libubsan.so"):
        path = subprocess.run(["cc", f"-print-file-name={name}"], capture_output=True, text=True,
                              check=True).stdout.strip()
        if not os.path.isabs(path):
            raise RuntimeError(f"SIPVI_SANITIZE=1 but the compiler has no {name}")
        libs.append(path)
    return ":".join(libs)


class Tshark:
    """One private plugin folder, home and capture folder for a test module."""

    def __init__(self):
        self.plugin = require_env("SIPVI_PLUGIN")
        self.series = require_env("SIPVI_WS_SERIES")
        self.tshark = require_env("SIPVI_TSHARK")
        self.sanitize = os.environ.get("SIPVI_SANITIZE") == "1"
        self.root = tempfile.mkdtemp(prefix="sipvi-test-")
        atexit.register(shutil.rmtree, self.root, True)
        os.chmod(self.root, 0o755)
        self.plugin_dir = os.path.join(self.root, "plugins")
        epan = os.path.join(self.plugin_dir, self.series, "epan")
        os.makedirs(epan)
        self.loaded_plugin = os.path.join(epan, "sipvi.so")
        shutil.copy2(self.plugin, self.loaded_plugin)
        self.home = os.path.join(self.root, "home")
        os.makedirs(os.path.join(self.home, ".config"))
        self.captures = os.path.join(self.root, "captures")
        os.makedirs(self.captures)
        for dirpath, _, _ in os.walk(self.root):
            os.chmod(dirpath, 0o755)
        os.chmod(self.loaded_plugin, 0o755)
        self.as_root = os.geteuid() == 0
        if self.as_root:
            for dirpath, _, _ in os.walk(self.home):
                os.chown(dirpath, UNPRIVILEGED, UNPRIVILEGED)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home,
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "WIRESHARK_PLUGIN_DIR": self.plugin_dir,
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
        }
        if self.sanitize:
            self.env["LD_PRELOAD"] = _sanitizer_preload()
            # tshark's own allocations live until exit; the plugin's are checked by ASan's
            # memory errors and by valgrind, not by leak reports of the host program.
            self.env["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=1"
            self.env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"

    def command(self, args):
        cmd = [self.tshark] + list(args)
        if self.as_root:
            cmd = ["setpriv", f"--reuid={UNPRIVILEGED}", f"--regid={UNPRIVILEGED}",
                   "--clear-groups", "--"] + cmd
        return cmd

    def run(self, args, expect_rc=0):
        """Runs tshark; returns stdout. Any stderr output or unexpected exit code fails."""
        proc = subprocess.run(self.command(args), env=self.env, capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=600)
        stdout = proc.stdout.decode("utf-8")
        stderr = proc.stderr.decode("utf-8", "replace")
        if proc.returncode != expect_rc or stderr.strip():
            raise AssertionError(
                f"tshark {' '.join(args)} exited {proc.returncode} (expected {expect_rc})\n"
                f"stderr:\n{stderr}\nstdout (first 2000 chars):\n{stdout[:2000]}")
        return stdout

    def capture(self, name, source_dir=CAPTURE_DIR):
        """A copy of a capture where the unprivileged user can read it."""
        dest = os.path.join(self.captures, os.path.basename(name))
        if not os.path.exists(dest):
            shutil.copyfile(os.path.join(source_dir, name), dest)
            os.chmod(dest, 0o644)
        return dest

    def assert_plugin_loaded(self):
        """tshark -G plugins must list exactly our freshly built copy."""
        listing = self.run(["-G", "plugins"])
        rows = [line.split("\t") for line in listing.splitlines() if line.startswith("sipvi.so")]
        paths = [row[-1].strip() for row in rows]
        if paths != [self.loaded_plugin]:
            raise AssertionError(
                f"tshark did not load the built plugin {self.loaded_plugin}; sipvi rows: {rows}\n"
                f"full listing:\n{listing}")


_shared = None


def tshark():
    """The module-wide Tshark, created (and its plugin proven loaded) on first use."""
    global _shared
    if _shared is None:
        _shared = Tshark()
        _shared.assert_plugin_loaded()
    return _shared


class PluginTestCase(unittest.TestCase):
    """Base class: proves that tshark lists the built plugin before any test of the class runs."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.ts = tshark()
