"""Runs the real tshark with the freshly built sipvi plugin, for the tests.

Wireshark ignores WIRESHARK_PLUGIN_DIR and the personal plugin folder when it runs as root, and CI
runs as root: there tshark is started as the unprivileged user 65534 through setpriv. The plugin
and the captures are copied into a private world-readable folder first, because the build tree
may sit where that user cannot read (e.g. under /root). Every tshark run fails the test if the
sipvi plugin was not loaded or if tshark wrote anything to stderr.

Settings come from the environment that CTest sets (see tests/CMakeLists.txt):
  SIPVI_PLUGIN      path of the built sipvi.so
  SIPVI_LUA         path of the generated Lua edition, sipvi.lua (Tshark(edition="lua"))
  SIPVI_WS_SERIES   Wireshark major.minor the plugin was built for, e.g. 4.0
  SIPVI_TSHARK      tshark to run
  SIPVI_SOURCE_DIR  the source tree (data/, tests/captures/)
  SIPVI_SANITIZE    1 when the plugin was built with ASan/UBSan: their runtimes are preloaded
"""

import atexit
import filecmp
import os
import shutil
import stat
import subprocess
import tempfile
import threading
import unittest

UNPRIVILEGED = 65534  # nobody / nogroup

SOURCE_DIR = os.environ.get("SIPVI_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA_DIR = os.path.join(SOURCE_DIR, "data")
CAPTURE_DIR = os.path.join(SOURCE_DIR, "tests", "captures")
# The trees whose readability depends on where the clone (and its build) is: tshark may read
# nothing there, whoever runs it. SIPVI_BINARY_DIR is unset outside ctest.
CLONE_TREES = [os.path.realpath(d) for d in (SOURCE_DIR, os.environ.get("SIPVI_BINARY_DIR")) if d]


def require_env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run the tests through ctest (see README)")
    return value


def _inside(path, folder):
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def unreadable_reason(path, uid=UNPRIVILEGED, gid=UNPRIVILEGED):
    """Why the user uid (with only the group gid, as setpriv --clear-groups leaves it) cannot
    read path, from the permission bits of the path and every folder above it; None if it can.
    Root's own access says nothing: root reads everything."""
    def allowed(st, owner_bit, group_bit, other_bit):
        if st.st_uid == uid:
            return bool(st.st_mode & owner_bit)
        if st.st_gid == gid:
            return bool(st.st_mode & group_bit)
        return bool(st.st_mode & other_bit)
    path = os.path.realpath(path)
    folder = os.path.dirname(path)
    parts = [os.sep] + [p for p in folder.split(os.sep) if p]
    for i in range(len(parts)):
        d = os.path.join(*parts[:i + 1])
        st = os.stat(d)
        if not allowed(st, stat.S_IXUSR, stat.S_IXGRP, stat.S_IXOTH):
            return f"the folder {d} is mode {stat.filemode(st.st_mode)}, owner {st.st_uid}:{st.st_gid}"
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        need = (stat.S_IRUSR | stat.S_IXUSR, stat.S_IRGRP | stat.S_IXGRP, stat.S_IROTH | stat.S_IXOTH)
    else:
        need = (stat.S_IRUSR, stat.S_IRGRP, stat.S_IROTH)
    if not allowed(st, *need):
        return f"{path} is mode {stat.filemode(st.st_mode)}, owner {st.st_uid}:{st.st_gid}"
    return None


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
    """One private plugin folder, home and capture folder for a test module. edition: "c" puts
    the built sipvi.so into the plugin folder, "lua" the generated sipvi.lua instead, "both"
    both of them (the Lua edition must then step aside)."""

    def __init__(self, edition="c", root=None):
        """root: an empty folder to use instead of a random one (the GUI tests read its path
        back off the screen, so they pick one that OCR reads without doubt)."""
        self.edition = edition
        self.plugin = require_env("SIPVI_PLUGIN")
        self.lua = require_env("SIPVI_LUA") if edition in ("lua", "both") else None
        self.series = require_env("SIPVI_WS_SERIES")
        self.tshark = require_env("SIPVI_TSHARK")
        self.sanitize = os.environ.get("SIPVI_SANITIZE") == "1"
        self.root = root or tempfile.mkdtemp(prefix="sipvi-test-")
        atexit.register(shutil.rmtree, self.root, True)
        os.chmod(self.root, 0o755)
        self.plugin_dir = os.path.join(self.root, "plugins")
        epan = os.path.join(self.plugin_dir, self.series, "epan")
        os.makedirs(epan)
        self.loaded_plugin = os.path.join(epan, "sipvi.so") if edition in ("c", "both") else None
        if self.loaded_plugin:
            shutil.copy2(self.plugin, self.loaded_plugin)
        # Wireshark runs the Lua files of the plugin folder itself, not of <series>/epan.
        self.loaded_lua = os.path.join(self.plugin_dir, "sipvi.lua") if self.lua else None
        if self.loaded_lua:
            shutil.copy2(self.lua, self.loaded_lua)
        self.home = os.path.join(self.root, "home")
        os.makedirs(os.path.join(self.home, ".config"))
        self.captures = os.path.join(self.root, "captures")
        os.makedirs(self.captures)
        # No extcap helpers: tshark starts every one at start-up, they are not under test, and
        # with the sanitizer runtime preloaded they inherit it and hang.
        self.extcap_dir = os.path.join(self.root, "extcap")
        os.makedirs(self.extcap_dir)
        for dirpath, _, _ in os.walk(self.root):
            os.chmod(dirpath, 0o755)
        for loaded in (self.loaded_plugin, self.loaded_lua):
            if loaded:
                os.chmod(loaded, 0o755)
        self.as_root = os.geteuid() == 0
        if self.as_root:
            for dirpath, _, _ in os.walk(self.home):
                os.chown(dirpath, UNPRIVILEGED, UNPRIVILEGED)
            why = unreadable_reason(self.plugin_dir)
            if why:
                raise AssertionError(f"user {UNPRIVILEGED} cannot read the private folder {self.root} "
                                     f"({why}): point TMPDIR at a folder everybody can read")
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home,
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "WIRESHARK_PLUGIN_DIR": self.plugin_dir,
            "WIRESHARK_EXTCAP_DIR": self.extcap_dir,
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

    def check_files(self, args):
        """Fails, naming the file, when an argument is a file tshark (or Wireshark) would read
        from the source or build tree, or that user 65534 cannot read. Such a test passes where
        the clone happens to be readable and fails with tshark's permission errors where it is
        not (a clone under /root, mode 700): copy the file with capture() or private_file().
        Every argument that names an existing file counts, also behind "name:" (-X
        lua_script:FILE, -o uat:...); -r's argument counts even when relative."""
        for i, arg in enumerate(args):
            if not isinstance(arg, str) or not arg:
                continue
            candidates = [arg] + ([arg.split(":", 1)[1]] if ":" in arg else [])
            for candidate in candidates:
                reading = i > 0 and args[i - 1] == "-r" and candidate is arg
                if not (os.path.isabs(candidate) or reading) or not os.path.exists(candidate):
                    continue
                real = os.path.realpath(candidate)
                tree = next((t for t in CLONE_TREES if _inside(real, t)
                             and not _inside(real, os.path.realpath(self.root))), None)
                if tree:
                    raise AssertionError(
                        f"the test hands tshark {candidate}, inside {tree}: where the clone is "
                        f"decides whether user {UNPRIVILEGED} may read it. Copy it into the "
                        f"private folder first (Tshark.capture() / private_file(), tests/README.md)")
                why = unreadable_reason(real) if self.as_root else None
                if why:
                    raise AssertionError(f"the test hands tshark {candidate}, which user "
                                         f"{UNPRIVILEGED} cannot read: {why}")

    def command(self, args):
        self.check_files(list(args))
        cmd = [self.tshark] + list(args)
        if self.as_root:
            cmd = ["setpriv", f"--reuid={UNPRIVILEGED}", f"--regid={UNPRIVILEGED}",
                   "--clear-groups", "--"] + cmd
        return cmd

    def run_full(self, args):
        """Runs tshark; returns (exit code, stdout, stderr) for tests of error messages."""
        proc = subprocess.run(self.command(args), env=self.env, capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=600)
        return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8", "replace")

    def profile_file(self, name, content):
        """Writes a file of the default configuration profile (e.g. a UAT) for tshark to read."""
        folder = os.path.join(self.home, ".config", "wireshark")
        os.makedirs(folder, exist_ok=True)
        os.chmod(folder, 0o755)
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            f.write(content)
        os.chmod(path, 0o644)
        return path

    def run(self, args, expect_rc=0):
        """Runs tshark; returns stdout. Any stderr output or unexpected exit code fails."""
        rc, stdout, stderr = self.run_full(args)
        if rc != expect_rc or stderr.strip():
            raise AssertionError(
                f"tshark {' '.join(args)} exited {rc} (expected {expect_rc})\n"
                f"stderr:\n{stderr}\nstdout (first 2000 chars):\n{stdout[:2000]}")
        return stdout

    def capture(self, name, source_dir=CAPTURE_DIR):
        """A copy of a capture where the unprivileged user can read it. name: relative to
        source_dir, or absolute. Two different files of the same name fail (the copies share
        one folder)."""
        return self.private_file(os.path.join(source_dir, name), self.captures)

    def private_file(self, source, folder=None):
        """A copy of any file tshark or Wireshark is to read (a capture, a Lua script...) in the
        private folder (or a folder of it), readable by the unprivileged user."""
        folder = folder or self.captures
        dest = os.path.join(folder, os.path.basename(source))
        if os.path.exists(dest):
            if not filecmp.cmp(source, dest, shallow=False):
                raise AssertionError(f"{source} and another file of the same name were both "
                                     f"copied to {dest}")
            return dest
        os.makedirs(folder, exist_ok=True)
        os.chmod(folder, 0o755)
        # Threads copy at once (robustness.valgrind): a copy appears under its name complete.
        partial = f"{dest}.{os.getpid()}.{threading.get_ident()}.part"
        shutil.copyfile(source, partial)
        os.chmod(partial, 0o644)
        os.replace(partial, dest)
        return dest

    def plugin_listing(self):
        """tshark -G plugins, and the paths of the sipvi rows in it: {"sipvi.so": [...], ...}."""
        rc, listing, _ = self.run_full(["-G", "plugins"])
        paths = {"sipvi.so": [], "sipvi.lua": []}
        for line in listing.splitlines():
            name = line.split("\t")[0].strip()
            if name in paths:
                paths[name].append(line.split("\t")[-1].strip())
        return listing, paths

    def assert_plugin_loaded(self):
        """tshark -G plugins must list exactly our freshly built copy of the edition under test,
        and no other sipvi: the C run must not load a sipvi.lua, the Lua run no sipvi.so."""
        if self.edition == "both":
            raise AssertionError("both editions loaded: nothing to prove for one")
        listing, paths = self.plugin_listing()
        self.run(["-G", "plugins"])  # and nothing on stderr
        want = {"sipvi.so": [self.loaded_plugin] if self.loaded_plugin else [],
                "sipvi.lua": [self.loaded_lua] if self.loaded_lua else []}
        if paths != want:
            raise AssertionError(
                f"tshark did not load exactly the built {self.edition} edition {want}; sipvi rows: "
                f"{paths}\nfull listing:\n{listing}")


_shared = {}


def tshark(edition="c"):
    """The module-wide Tshark of an edition ("c" or "lua"), created (and that edition proven
    loaded, and the other not) on first use."""
    if edition not in _shared:
        _shared[edition] = Tshark(edition)
        _shared[edition].assert_plugin_loaded()
    return _shared[edition]


class PluginTestCase(unittest.TestCase):
    """Base class: proves that tshark lists the built plugin before any test of the class runs."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.ts = tshark()


# --- Reading tshark's output -------------------------------------------------------------------

# Every behaviour is checked in a one-pass run and in a two-pass one (-2), where tshark primes no
# field on the second pass and the first often builds no tree: sipvi must still read SIP's fields.
PASSES = {"one-pass": [], "two-pass": ["-2"]}

SIPVI_FIELDS = ["sipvi.code", "sipvi.class", "sipvi.meaning", "sipvi.severity", "sipvi.known"]


def boolean_text(value):
    """How tshark -T fields prints a boolean: 1/0 up to 4.2, True/False from 4.4 on."""
    major, minor = (int(x) for x in require_env("SIPVI_WS_SERIES").split("."))
    if (major, minor) >= (4, 4):
        return "True" if value else "False"
    return "1" if value else "0"
EXPERT_SECTIONS = {1: "Chats", 2: "Notes", 3: "Warns", 4: "Errors"}
_AGGREGATOR = "|"


def field_rows(ts, capture, fields, extra=()):
    """tshark -T fields: one list per frame, each field's occurrences joined by '|'."""
    args = ["-n", "-r", capture, *extra, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
            "-E", f"aggregator={_AGGREGATOR}"]
    for field in fields:
        args += ["-e", field]
    out = ts.run(args)
    return [line.split("\t") for line in out.rstrip("\n").split("\n")] if out.strip() else []


def info_column(ts, capture, extra=()):
    """The Info column as tshark prints it: [frame, info] per frame. Read from the summary lines
    and not from the _ws.col.Info field, which Wireshark 4.4+ fills before post-dissectors run."""
    out = ts.run(["-n", "-r", capture, *extra, "-T", "tabs",
                  "-o", 'gui.column.format:"No.","%m","Info","%i"'])
    return [[frame.strip(), info] for frame, info in
            (line.split("\t", 1) for line in out.rstrip("\n").split("\n"))]


def expected_field_row(data, codes):
    """The sipvi fields tshark must print for a frame holding these status codes, in order."""
    want = [data.expected(code) for code in codes]

    def join(key):
        return _AGGREGATOR.join(boolean_text(w[key]) if key == "known" else str(w[key])
                                for w in want if w[key] is not None)
    return [join("code"), join("class"), join("meaning"), join("severity"), join("known")]


def expert_entries(text, protocol="sipvi", diagnoses=False):
    """tshark -q -z expert: (section, frequency, group, summary) of one protocol's items. The
    diagnosis of each failed call (group Sequence, test_diagnosis.py) only when diagnoses is
    true: the other tests are about the items of each message."""
    import re
    entries, section = [], None
    for line in text.splitlines():
        head = re.match(r"^(Errors|Warns|Notes|Chats|Comments) \(\d+\)$", line)
        if head:
            section = head.group(1)
            continue
        row = re.match(r"^\s+(\d+)\s+(\S+)\s+(\S+)\s+(.*)$", line)
        if row and section and row.group(3) == protocol and (diagnoses or row.group(2) != "Sequence"):
            entries.append((section, int(row.group(1)), row.group(2), row.group(4)))
    return sorted(entries)


def expected_expert_entries(data, codes):
    """What -z expert must list for these status codes (each once per occurrence)."""
    from collections import Counter
    counts = Counter()
    for code in codes:
        want = data.expected(code)
        if want["class"] is None:
            counts[("Errors", f"{code}: mã trạng thái không hợp lệ, phải nằm trong khoảng 100–799")] += 1
        else:
            counts[(EXPERT_SECTIONS[want["severity"]], f"{code} {want['meaning']}")] += 1
    return sorted((section, n, "Response", summary) for (section, summary), n in counts.items())


def sipvi_tree_headers(text):
    """tshark -V: frame number -> the 'Trạng thái SIP tiếng Việt: …' lines of that frame."""
    import re
    frames, current = {}, None
    for line in text.splitlines():
        m = re.match(r"^Frame (\d+): ", line)
        if m:
            current = int(m.group(1))
            frames[current] = []
        elif line.startswith("Trạng thái SIP tiếng Việt") and current is not None:
            frames[current].append(line)
    return frames


def expected_tree_header(data, code):
    want = data.expected(code)
    if want["class"] is None:
        return f"Trạng thái SIP tiếng Việt: {code} (mã không hợp lệ)"
    suffix = ""
    if want["known"] and data.codes[code]["registered"] == "non-standard":
        suffix = " (ngoài sổ IANA)"
    return f"Trạng thái SIP tiếng Việt: {code} {want['meaning']}{suffix}"


def sipvi_tree_details(text):
    """tshark -V: frame number -> the detail texts of the frame, each joined back from its
    wrapped lines: the first in the "[Chi tiết: …]" item's label, the others below it."""
    import re
    frames, current, lines = {}, None, None
    for line in text.splitlines():
        m = re.match(r"^Frame (\d+): ", line)
        if m:
            current = int(m.group(1))
            frames[current] = []
            lines = None
        elif line.startswith("    [Chi tiết: ") and line.endswith("]") and current is not None:
            lines = [line[len("    [Chi tiết: "):-1]]
            frames[current].append(lines)
        elif lines is not None and line.startswith("        ") and not line.startswith("         "):
            lines.append(line[8:])
        else:
            lines = None
    return {frame: [" ".join(parts) for parts in details] for frame, details in frames.items()}
