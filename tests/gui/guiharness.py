"""Drives the real Wireshark window with the freshly built sipvi plugin, for the GUI tests.

Each test file gets one private X server (Xvfb, a free display chosen by the server itself), one
private plugin folder and home (tests/harness.py: as root, Wireshark runs as user 65534, which
reads WIRESHARK_PLUGIN_DIR) and one Wireshark instance. The tests act as a user does: keys and
menus through xdotool, mouse clicks where a user clicks; they read what the window shows from
screenshots (ImageMagick `import`) with tesseract. Vietnamese text is compared exactly where OCR
reads it reliably and otherwise without diacritics (each assertion says which).

Every font the window draws with comes from the packages in FONT_PACKAGES (installed by name by
scripts/deps), through a private fontconfig that knows no other font of the machine; the profile
sets the packet panes' font. A machine with more or fewer fonts shows the same pixels.

Every wait polls with a timeout (SIPVI_GUI_TIMEOUT seconds, default 90: the machine is shared);
nothing is judged after a fixed sleep. Screenshots and Wireshark's stderr of a failing run stay in
<build>/gui-artifacts/<ctest name>/ (SIPVI_GUI_TEST, set by tests/gui/CMakeLists.txt); the pictures
for the README go to <build>/gui-artifacts/docs/. tests/README.md: "GUI fonts and artefacts".
"""

import atexit
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import harness  # noqa: E402

TIMEOUT = float(os.environ.get("SIPVI_GUI_TIMEOUT", "90"))
# ImageMagick 7 (Debian unstable) calls it magick and warns on convert; 6 (Debian 12) has convert.
CONVERT = "magick" if shutil.which("magick") else "convert"
SCREEN = (1600, 1000)
# The only fonts the window may use: these packages' font files (scripts/deps installs them by
# name). DejaVu covers Vietnamese; its Sans is the application font (menus, dialogs, tooltips),
# its Sans Mono the packet panes' font.
FONT_PACKAGES = ("fonts-dejavu-core",)
# Debian 13 moved DejaVu Sans Mono into its own package (scripts/deps installs it there).
OPTIONAL_FONT_PACKAGES = ("fonts-dejavu-mono",)
APP_FONT, FIXED_FONT, SERIF_FONT = "DejaVu Sans", "DejaVu Sans Mono", "DejaVu Serif"
# Packet list, details and bytes in one column; a large font so that OCR keeps the diacritics.
PREFERENCES = f"""\
gui.qt.font_name: {FIXED_FONT},15,-1,5,50,0,0,0,0,0
gui.update.enabled: FALSE
gui.ask_unsaved: FALSE
gui.layout_type: 1
gui.layout_content_1: PLIST
gui.layout_content_2: PDETAILS
gui.layout_content_3: PBYTES
gui.column.format: "No.", "%m", "Protocol", "%p", "Info", "%i"
gui.recent_files_count.max: 0
gui.auto_scroll_on_expand: FALSE
"""
RECENT_COMMON = """\
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: 1600
gui.geometry_main_height: 1000
gui.geometry_main_maximized: FALSE
privs.warn_if_elevated: FALSE
sys.warn_if_no_capture: FALSE
"""
RECENT = """\
gui.geometry_main_upper_pane: 230
gui.geometry_main_lower_pane: 520
"""
# What fails a run in Wireshark's stderr (Qt's own warnings do not).
STDERR_FAILURES = re.compile(r"AddressSanitizer|runtime error:|Dissector bug|sipvi.*(?:bug|assert)"
                             r"|Segmentation fault|Aborted|core dumped", re.I)


def _fontconfig_file(root):
    """A fontconfig configuration of our own, in root, for Wireshark (FONTCONFIG_FILE): it reads
    no system configuration (/etc/fonts) and no font folder of the machine, only links to the
    font files of FONT_PACKAGES; every family name, the generic ones and any other, resolves to
    DejaVu; rendering (antialiasing, hinting) is fixed here instead of by the machine's conf.d.
    Returns (path of the file, the font files)."""
    fonts = os.path.join(root, "fonts")
    os.makedirs(fonts)
    os.chmod(fonts, 0o755)  # whatever the umask: Wireshark runs as user 65534
    files = []
    for package in FONT_PACKAGES + OPTIONAL_FONT_PACKAGES:
        proc = subprocess.run(["dpkg-query", "-L", package], capture_output=True, text=True)
        listed = [f for f in proc.stdout.splitlines() if f.endswith((".ttf", ".otf"))
                  and os.path.isfile(f)] if proc.returncode == 0 else []
        if not listed and package not in OPTIONAL_FONT_PACKAGES:
            raise AssertionError(f"the GUI tests draw with the fonts of {package}, which is not "
                                 f"installed: run scripts/deps")
        files += listed
    for f in files:
        os.symlink(f, os.path.join(fonts, os.path.basename(f)))
    cache = os.path.join(root, "fontconfig-cache")
    os.makedirs(cache)
    if os.geteuid() == 0:
        os.chown(cache, harness.UNPRIVILEGED, harness.UNPRIVILEGED)

    def alias(names, family):
        return "".join(f"  <alias binding=\"same\"><family>{n}</family>"
                       f"<prefer><family>{family}</family></prefer></alias>\n" for n in names)
    conf = os.path.join(root, "fonts.conf")
    with open(conf, "w", encoding="utf-8") as f:
        f.write(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by tests/gui/guiharness.py: only the fonts of {", ".join(FONT_PACKAGES)}. -->
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
{alias(("sans-serif", "Sans Serif", "Sans", "system-ui", "Helvetica", "Arial"), APP_FONT)}\
{alias(("monospace", "Monospace", "Courier", "Courier New"), FIXED_FONT)}\
{alias(("serif", "Serif", "Times", "Times New Roman"), SERIF_FONT)}\
  <match target="pattern">
    <edit name="family" mode="append_last"><string>{APP_FONT}</string></edit>
  </match>
  <match target="font">
    <edit name="antialias" mode="assign"><bool>true</bool></edit>
    <edit name="hinting" mode="assign"><bool>true</bool></edit>
    <edit name="hintstyle" mode="assign"><const>hintslight</const></edit>
    <edit name="autohint" mode="assign"><bool>false</bool></edit>
    <edit name="rgba" mode="assign"><const>none</const></edit>
    <edit name="lcdfilter" mode="assign"><const>lcdnone</const></edit>
    <edit name="embeddedbitmap" mode="assign"><bool>false</bool></edit>
  </match>
</fontconfig>
""")
    os.chmod(conf, 0o644)
    return conf, files


def check_fontconfig(conf, files, as_user=()):
    """Proves the private fontconfig before Wireshark uses it, as the user Wireshark runs as
    (as_user: the setpriv prefix): it lists exactly the chosen font files, and the application,
    fixed and Vietnamese-needing requests resolve to the chosen families (a machine's own fonts
    or configuration leaking in, or a font that user cannot read, fails here, by name)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "FONTCONFIG_FILE": conf,
           "HOME": os.path.dirname(conf), "LC_ALL": "C.UTF-8"}
    listed = set(run([*as_user, "fc-list", "--format", "%{file}\n"], env=env).split())
    want = {os.path.join(os.path.dirname(conf), "fonts", os.path.basename(f)) for f in files}
    if listed != want:
        raise AssertionError(f"the private fontconfig {conf} lists {sorted(listed)}, not only "
                             f"{sorted(want)}")
    for request, family in (("Sans Serif", APP_FONT), ("sans-serif", APP_FONT),
                            ("Noto Sans", APP_FONT), (FIXED_FONT, FIXED_FONT),
                            ("monospace", FIXED_FONT), (f"{APP_FONT}:lang=vi", APP_FONT)):
        got = run([*as_user, "fc-match", "--format", "%{family[0]}", request], env=env).strip()
        if got != family:
            raise AssertionError(f"the private fontconfig gives {got!r} for {request!r}, "
                                 f"not {family!r}")


def plain(text):
    """Text without diacritics, for comparing with OCR that may drop them (đ reads as d)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def squash(text):
    """Plain text without spaces or case, for finding a line whatever OCR did to its spacing."""
    return re.sub(r"\s+", "", plain(text)).lower()


class Line:
    """One line of text read off the screen, with its box in screen coordinates."""

    def __init__(self, text, box, words=()):
        self.text, self.box, self.words = text, box, list(words)

    def word_center(self, word):
        """Where a word of the line is on the screen (e.g. a button's label), or None."""
        for text, (x, y, w, h) in self.words:
            if re.fullmatch(r"\W*" + re.escape(word) + r"\W*", text, re.I):
                return x + w // 2, y + h // 2
        return None

    @property
    def center(self):
        x, y, w, h = self.box
        return x + w // 2, y + h // 2

    def __repr__(self):
        return f"Line({self.text!r}, {self.box})"


def run(cmd, env=None, timeout=120, check=True):
    proc = subprocess.run(cmd, env=env, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {proc.returncode}: "
                             f"{proc.stderr.decode('utf-8', 'replace')}")
    return proc.stdout.decode("utf-8", "replace")


def netpbm(data):
    """(width, height, pixel bytes) of a binary PGM or PPM with 8-bit samples."""
    m = re.match(rb"P[56]\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not m or m.group(3) != b"255":
        raise AssertionError("ImageMagick did not write an 8-bit PGM/PPM")
    return int(m.group(1)), int(m.group(2)), data[m.end():]


def _die_with_parent():
    """Runs in a child before exec: the X server and Wireshark end with the test process, even
    when ctest kills it on a timeout."""
    import ctypes
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _exit_on_sigterm(signum, frame):
    raise SystemExit(f"killed by signal {signum}")


def require_programs():
    """A GUI test without its tools fails (scripts/deps installs them); it never passes silently."""
    missing = [p for p in ("wireshark", "Xvfb", "xdotool", "import", CONVERT, "tesseract", "setpriv",
                           "fc-list", "fc-match", "dpkg-query")
               if shutil.which(p) is None]
    if missing:
        raise AssertionError(f"the GUI tests need {', '.join(missing)}: run scripts/deps")
    langs = run(["tesseract", "--list-langs"])
    if "vie" not in langs.split():
        raise AssertionError("tesseract has no Vietnamese data (tesseract-ocr-vie): run scripts/deps")


class Gui:
    """One Xvfb, one Wireshark as the unprivileged user on a private profile, one artefact folder."""

    def __init__(self, name):
        require_programs()
        # One folder per ctest test: gui.call and gui.lua.call run the same file, and each must
        # keep its own screenshots when it fails. Run by hand, a file uses its own name.
        self.name = os.environ.get("SIPVI_GUI_TEST") or name
        binary_dir = harness.require_env("SIPVI_BINARY_DIR")
        self.artifacts_root = os.path.join(binary_dir, "gui-artifacts")
        self.artifacts = os.path.join(self.artifacts_root, self.name)
        shutil.rmtree(self.artifacts, ignore_errors=True)
        os.makedirs(self.artifacts)
        self.shot_count = 0
        self.failed = False
        # A root made of digits only: the About dialog shows the plugin's path and OCR reads it.
        root = f"/tmp/sipvi-gui-{os.getpid()}"
        shutil.rmtree(root, ignore_errors=True)  # left by an earlier process of the same id
        os.mkdir(root)
        # SIPVI_GUI_EDITION=lua runs the suite against the Lua edition (sipvi.lua) instead.
        self.ts = harness.Tshark(edition=os.environ.get("SIPVI_GUI_EDITION", "c"), root=root)
        self.ts.assert_plugin_loaded()
        self.fontconfig, font_files = _fontconfig_file(root)
        check_fontconfig(self.fontconfig, font_files, self.ts.command([])[:-1])
        self.config = os.path.join(self.ts.home, ".config", "wireshark")
        for fname, text in (("preferences", PREFERENCES), ("recent_common", RECENT_COMMON),
                            ("recent", RECENT)):
            self.ts.profile_file(fname, text.encode())
        if self.ts.as_root:
            os.chown(self.config, harness.UNPRIVILEGED, harness.UNPRIVILEGED)
            for fname in os.listdir(self.config):
                os.chown(os.path.join(self.config, fname), harness.UNPRIVILEGED, harness.UNPRIVILEGED)
        self.xvfb = None
        self.wireshark = None
        atexit.register(self.stop)
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        self._start_xvfb()

    # --- processes ---------------------------------------------------------------------------

    def _start_xvfb(self):
        read_fd, write_fd = os.pipe()
        with open(os.path.join(self.artifacts, "xvfb.log"), "wb") as log:
            self.xvfb = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
                 "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_fd,), stdout=subprocess.DEVNULL, preexec_fn=_die_with_parent,
                stderr=log)
        os.close(write_fd)
        number = b""
        deadline = time.monotonic() + TIMEOUT
        with os.fdopen(read_fd, "rb") as pipe:
            while not number.endswith(b"\n") and time.monotonic() < deadline:
                chunk = pipe.read(1)
                if not chunk:
                    break
                number += chunk
        if not number.strip().isdigit():
            raise AssertionError(f"Xvfb did not start (see {self.artifacts}/xvfb.log)")
        self.display = f":{number.strip().decode()}"
        # xdotool types Vietnamese only in a UTF-8 locale.
        self.xenv = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DISPLAY": self.display,
                     "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}

    def start(self, capture, extra_args=()):
        """Starts Wireshark on a capture (name under tests/captures), with extra command-line
        arguments, and waits for its rows."""
        self.capture = self.ts.capture(capture)
        self.title = os.path.basename(capture)
        env = dict(self.ts.env)
        # Qt's own font choices (the application font of menus, dialogs and tooltips, and any
        # fallback) go through fontconfig: ours. No platform theme of the machine (GTK, KDE)
        # may choose fonts or sizes either: Qt's generic one, "Sans Serif" 9 pt at 120 dpi.
        env.update({"DISPLAY": self.display, "QT_FONT_DPI": "120", "QT_QPA_PLATFORM": "xcb",
                    "FONTCONFIG_FILE": self.fontconfig, "QT_QPA_PLATFORMTHEME": "generic",
                    "QT_STYLE_OVERRIDE": "Fusion",
                    "XDG_RUNTIME_DIR": os.path.join(self.ts.root, "runtime"),
                    "QT_ACCESSIBILITY": "0", "NO_AT_BRIDGE": "1"})
        os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
        if self.ts.as_root:
            os.chown(env["XDG_RUNTIME_DIR"], harness.UNPRIVILEGED, harness.UNPRIVILEGED)
        cmd = ["wireshark", *extra_args, "-r", self.capture]
        self.ts.check_files(cmd[1:])
        if self.ts.as_root:
            cmd = ["setpriv", f"--reuid={harness.UNPRIVILEGED}", f"--regid={harness.UNPRIVILEGED}",
                   "--clear-groups", "--pdeathsig", "TERM", "--"] + cmd
        self.stderr_path = os.path.join(self.artifacts, "wireshark.stderr")
        with open(os.path.join(self.artifacts, "wireshark.stdout"), "wb") as out, \
                open(self.stderr_path, "wb") as err:
            self.wireshark = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL,
                                              preexec_fn=_die_with_parent, stdout=out, stderr=err)
        self.main = self.wait(self._main_window, "the Wireshark main window")
        self.focus(self.main)
        self._wake_pointer()

    def _wake_pointer(self):
        """In the first trixie run (Wireshark 4.4, Qt 6) the first menu click of two of the
        three windows did nothing while every later click worked; the cause was not pinned
        down (a first pointer event lost by Qt 6 fits). A user's pointer has long been moving
        when they first click: move it in and out of the window and click the empty screen
        beside it (the root window, which no application reads). click_until and close_with
        also click again when a click changed nothing."""
        mx, my, mw, mh = self.geometry(self.main)
        outside = (min(SCREEN[0] - 2, mx + mw + 20), min(SCREEN[1] - 2, my + mh + 20))
        if outside[0] < mx + mw or outside[1] < my + mh:
            outside = (SCREEN[0] - 2, SCREEN[1] - 2)
        self.hover(mx + mw // 2, my + mh // 2)
        self.hover(*outside)
        self.xdotool("click", "1")
        self.hover(mx + mw // 2 + 5, my + mh // 2 + 5)
        self.focus(self.main)

    def _main_window(self):
        self.check_alive()
        for wid in self.windows(re.escape(self.title)):
            if self.window_name(wid).startswith(self.title):
                return wid
        return None

    def check_alive(self):
        if self.wireshark is not None and self.wireshark.poll() is not None:
            rc = self.wireshark.returncode
            self.wireshark = None
            raise AssertionError(f"Wireshark exited ({rc}) during the test:\n{self.stderr_text()}")

    def stderr_text(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def check_stderr(self):
        bad = [line for line in self.stderr_text().splitlines() if STDERR_FAILURES.search(line)]
        if bad:
            raise AssertionError("Wireshark reported errors:\n" + "\n".join(bad))

    def quit(self):
        """Closes Wireshark as a user does (Ctrl+Q) and checks how it ended."""
        if self.wireshark is None:
            return
        self.focus(self.main)
        self.key("ctrl+q")
        try:
            rc = self.wireshark.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.wireshark.kill()
            self.wireshark.wait()
            self.wireshark = None
            raise AssertionError("Wireshark did not quit on Ctrl+Q")
        self.wireshark = None
        self.check_stderr()
        if rc != 0:
            raise AssertionError(f"Wireshark exited {rc}:\n{self.stderr_text()}")

    def stop(self):
        for proc in (self.wireshark, self.xvfb):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.wireshark = self.xvfb = None

    def finish(self, failed):
        """Ends the run: a passing run leaves no screenshots behind, a failing one keeps them.
        After a failure a dialog may still hold the window: Wireshark is stopped, not quit."""
        try:
            if not failed:
                self.quit()
            else:
                self.screenshot("at-end")
                self.stop()
                self.check_stderr()
        finally:
            self.stop()
            if not failed:
                shutil.rmtree(self.artifacts, ignore_errors=True)
            else:
                sys.stderr.write(f"\nGUI screenshots of this run: {self.artifacts}\n")

    # --- X: windows, keys, mouse ----------------------------------------------------------------

    def xdotool(self, *args, check=True):
        return run(["xdotool", *args], env=self.xenv, check=check)

    def windows(self, name_regex):
        out = self.xdotool("search", "--onlyvisible", "--name", name_regex, check=False)
        return [w for w in out.split()]

    def window_name(self, wid):
        return self.xdotool("getwindowname", wid, check=False).strip()

    def geometry(self, wid):
        out = self.xdotool("getwindowgeometry", "--shell", wid)
        vals = dict(line.split("=", 1) for line in out.split())
        return int(vals["X"]), int(vals["Y"]), int(vals["WIDTH"]), int(vals["HEIGHT"])

    def top_windows(self):
        return set(self.xdotool("search", "--onlyvisible", "--maxdepth", "1", "--name", "",
                                check=False).split())

    def focus(self, wid):
        self.xdotool("windowfocus", "--sync", wid, check=False)

    def key(self, *keys):
        self.check_alive()
        self.xdotool("key", "--delay", "80", *keys)

    def type(self, text):
        self.check_alive()
        self.xdotool("type", "--delay", "60", text)

    def click(self, x, y, button=1):
        self.xdotool("mousemove", "--sync", str(x), str(y))
        self.xdotool("click", str(button))

    def hover(self, x, y):
        self.xdotool("mousemove", "--sync", str(x), str(y))

    def click_until(self, at, done, what, attempts=3, settle=5.0):
        """Clicks at a point, arriving there as a pointer does (from beside it), until done()
        holds; clicks again, as a user does, when the click had no effect within settle seconds
        (Qt 6 may drop a click: see _wake_pointer). Fails with what if it never takes."""
        x, y = at
        for _ in range(attempts):
            self.hover(x - 6, y)
            self.click(x, y)
            try:
                self.wait(lambda: done() or None, what, timeout=settle, shot=False)
                return
            except AssertionError:
                pass
        self.wait(lambda: done() or None, what)

    def wait_window(self, name_regex, what=None):
        """Waits for a window whose title matches; returns its id (the newest one)."""
        def find():
            self.check_alive()
            wins = self.windows(name_regex)
            return wins[-1] if wins else None
        return self.wait(find, what or f"a window titled /{name_regex}/")

    def wait_gone(self, wid, what):
        self.wait(lambda: wid not in self.top_windows() or None, f"{what} to close")

    # --- screen ---------------------------------------------------------------------------------

    def screenshot(self, label, window="root"):
        self.shot_count += 1
        path = os.path.join(self.artifacts, f"{self.shot_count:02d}-{label}.png")
        run(["import", "-display", self.display, "-window", window, path], timeout=120)
        return path

    def save_doc(self, label, window="root"):
        """A picture for the README, taken by the suite (copied to docs/ by tests/gui/update-docs)."""
        folder = os.path.join(self.artifacts_root, "docs")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{label}.png")
        run(["import", "-display", self.display, "-window", window, path], timeout=120)
        return path

    def ocr(self, image, box=None, scale=3, lang="vie", psm=None, variant=""):
        """The lines tesseract reads in a region of a screenshot, with screen coordinates."""
        x0, y0 = (box[0], box[1]) if box else (0, 0)
        prepared = image[:-4] + f"-ocr{self.shot_count}{variant}.png"
        cmd = [CONVERT, image]
        if box:
            cmd += ["-crop", f"{box[2]}x{box[3]}+{box[0]}+{box[1]}", "+repage"]
        # Brightness (HSB's B, the largest of R, G and B) rather than grey: black text stays black
        # on the coloured rows of expert severities (red, yellow, cyan, blue), where grey loses it.
        cmd += ["-colorspace", "HSB", "-channel", "B", "-separate", "+channel",
                "-resize", f"{scale * 100}%"]
        if variant == "saturation":
            # A selected row is white on blue, which is light on light in brightness; in
            # saturation its text is black on grey, and everything unselected is blank.
            cmd = cmd[:cmd.index("-colorspace")] + ["-colorspace", "HSB", "-channel", "G",
                                                    "-separate", "+channel",
                                                    "-resize", f"{scale * 100}%"]
        elif variant == "threshold":
            cmd += ["-threshold", "55%"]
        run(cmd + [prepared])
        tcmd = ["tesseract", prepared, "stdout", "-l", lang]
        if psm:
            tcmd += ["--psm", str(psm)]
        # One thread: on a loaded machine tesseract's OpenMP threads make it several times slower.
        tsv = run(tcmd + ["tsv"], env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                                       "OMP_THREAD_LIMIT": "1"}, timeout=300)
        os.unlink(prepared)
        lines, order = {}, []
        for row in tsv.splitlines()[1:]:
            cols = row.split("\t")
            if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
                continue
            key = (cols[2], cols[3], cols[4])
            left, top, width, height = (int(c) for c in cols[6:10])
            if key not in lines:
                lines[key] = [[], [left, top, left + width, top + height], []]
                order.append(key)
            words, b, boxes = lines[key]
            words.append(cols[11])
            boxes.append((cols[11], (x0 + left // scale, y0 + top // scale, width // scale,
                                     height // scale)))
            b[0], b[1] = min(b[0], left), min(b[1], top)
            b[2], b[3] = max(b[2], left + width), max(b[3], top + height)
        result = []
        for key in order:
            words, (l, t, r, btm), boxes = lines[key]
            result.append(Line(" ".join(words), (x0 + l // scale, y0 + t // scale,
                                                 (r - l) // scale, (btm - t) // scale), boxes))
        return result

    def wait(self, probe, what, timeout=None, shot=True):
        """Polls probe() until it returns something other than None/False; fails with what
        (after a screenshot unless shot is False)."""
        deadline = time.monotonic() + (timeout or TIMEOUT)
        last_error = None
        while True:
            try:
                value = probe()
                if value not in (None, False):
                    return value
            except AssertionError:
                raise
            except Exception as exc:  # a transient X error while a window changes
                last_error = exc
            if time.monotonic() > deadline:
                if shot:
                    self.screenshot("timeout")
                raise AssertionError(f"timed out after {timeout or TIMEOUT:.0f} s waiting for {what}"
                                     + (f" (last error: {last_error})" if last_error else ""))
            time.sleep(0.5)

    def read_until(self, label, box_fn, predicate, what, window="root", selected=False,
                   timeout=None, shot=True, **ocr_args):
        """Screenshots and OCR until predicate(lines) holds; returns (lines, image). With
        selected, the lines of a selected row (white on blue) are read too and added. The last
        reading is part of the failure message."""
        seen = {"lines": []}

        def probe():
            self.check_alive()
            image = self.screenshot(label, window)
            box = box_fn() if callable(box_fn) else box_fn
            lines = self.ocr(image, box, **ocr_args)
            if selected:
                args = dict(ocr_args, psm=7)
                for band in self.selected_bands(image, box):
                    lines += self.ocr(image, band, variant="saturation", **args)
            seen["lines"] = lines
            if predicate(lines):
                return lines, image
            os.unlink(image)
            return None
        try:
            return self.wait(probe, what, timeout=timeout, shot=shot)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\nlast OCR reading:\n" +
                                 "\n".join(l.text for l in seen["lines"])) from None

    def selected_bands(self, image, box=None):
        """The horizontal bands of a region where rows are selected (or coloured): rows whose
        pixels are largely saturated. Each is read on its own, in saturation."""
        x, y, w, h = box or (0, 0, SCREEN[0], SCREEN[1])
        # One grey value per pixel row: the share of its pixels that are saturated (binary PGM,
        # the same output from ImageMagick 6 and 7).
        data = subprocess.run([CONVERT, image, "-crop", f"{w}x{h}+{x}+{y}", "+repage",
                               "-colorspace", "HSB", "-channel", "G", "-separate", "+channel",
                               "-threshold", "40%", "-scale", f"1x{h}!", "-depth", "8", "pgm:-"],
                              capture_output=True, check=True).stdout
        width, height, body = netpbm(data)
        rows = [row for row, value in enumerate(body[:width * height]) if value > 40]
        bands = []
        for row in rows:
            # Text leaves fewer saturated pixels in its rows: close gaps of a line's height.
            if bands and row - bands[-1][1] <= 12:
                bands[-1][1] = row
            else:
                bands.append([row, row])
        return [(x, y + max(0, b0 - 3), w, b1 - b0 + 7) for b0, b1 in bands if b1 - b0 >= 9]

    def exact_line(self, image, line, expected, lang="vie"):
        """Reads one line again, cropped to itself, at several scales; True if any reading holds
        the expected text exactly (with its diacritics). The crop keeps a margin above and
        below the line, then a thin one: Qt 6's item views (4.4, 4.6) draw rows closer together,
        and slivers of the neighbouring rows' letters in the margin make tesseract 5.5 read
        nothing at all in page mode 7."""
        x, y, w, h = line.box
        readings = []
        for margin in (6, 2):
            box = (max(0, x - 8), max(0, y - margin), w + 16 + 200, h + 2 * margin)
            for scale, variant in ((3, ""), (4, ""), (2, ""), (3, "threshold"), (3, "saturation"),
                                   (4, "saturation")):
                text = " ".join(l.text for l in self.ocr(image, box, scale=scale, lang=lang, psm=7,
                                                         variant=variant))
                readings.append(text)
                if expected in text:
                    return True, readings
        return False, readings

    # --- user actions -------------------------------------------------------------------------------

    def open_menu(self, mnemonic, *items):
        """Opens a menu bar menu with its Alt+letter, then clicks each item in turn, found by
        reading the menu that popped up (items are compared without diacritics)."""
        self.focus(self.main)
        before = self.top_windows()
        self.key(f"alt+{mnemonic}")
        for index, item in enumerate(items):
            popup = self.wait(lambda: self._new_popup(before), f"the menu holding '{item}'")
            geo = self.geometry(popup)
            target = squash(item)
            lines, _ = self.read_until(
                "menu", geo, lambda ls: any(target in squash(l.text) for l in ls),
                f"the menu item '{item}'", scale=2)
            line = next(l for l in lines if target in squash(l.text))
            before = self.top_windows()
            # A second click on an item whose first click took but whose menu is slow to close
            # (a loaded machine) opens its dialog twice: gui.triage then read the wrong one.
            # So wait longer than for other clicks before clicking again.
            self.click_until(line.center, lambda: popup not in self.top_windows()
                             or (index < len(items) - 1 and self._new_popup(before) is not None),
                             f"the menu item '{item}' to act", settle=15.0)

    def click_button(self, window, label):
        """Clicks a dialog's button by its label. Buttons carry icons beside their text; OCR
        reads "Cancel" reliably, and a short label like OK best alone on the strip of the
        button row left of Cancel, in black and white."""
        def words(image, box, psm, variant, scale=3):
            for line in self.ocr(image, box, scale=scale, lang="eng", psm=psm, variant=variant):
                for text, wbox in line.words:
                    yield text, wbox

        def find(image, box, psm, variant, scale=3):
            for text, (x, y, w, h) in words(image, box, psm, variant, scale):
                # The icon before the label may read as one or two characters ("@OK", "XClose").
                # A word box wider than the label and its icon is not the button: on 4.4
                # tesseract read the overrides dialog's "OK", the disabled "Copy from" and the
                # gap between as one word "OK)", centred on Copy from.
                if re.fullmatch(r".{0,2}" + re.escape(label) + r"\W*", text, re.I) \
                        and w <= h * (len(label) + 3):
                    return x + w // 2, y + h // 2
            return None

        def probe():
            self.check_alive()
            image = self.screenshot("button")
            box = self.geometry(window)
            for variant in ("", "threshold"):
                at = find(image, box, 11, variant)
                if at:
                    return at
                cancel = next(((x, y, w, h) for text, (x, y, w, h) in words(image, box, 11, variant)
                               if re.fullmatch(r"\W*Cancel\W*", text, re.I)), None)
                if cancel:
                    strip = (box[0], cancel[1] - 10, cancel[0] - box[0], cancel[3] + 20)
                    for scale in (3, 4, 2):
                        at = find(image, strip, 7, "threshold", scale)
                        if at:
                            return at
            os.unlink(image)
            return None
        self.click(*self.wait(probe, f"the {label} button"))

    def close_with(self, window, label, what):
        """Clicks a dialog's button (OK, Close) and waits for the dialog to close; clicks again
        when the first click did nothing (Qt 6 may drop one, see _wake_pointer)."""
        def gone():
            return window not in self.top_windows()
        for _ in range(3):
            if gone():
                return
            try:
                self.click_button(window, label)
            except AssertionError:
                if gone():  # it closed, slowly, on the previous click
                    return
                raise
            try:
                self.wait(lambda: gone() or None, f"{what} to close", timeout=10, shot=False)
                return
            except AssertionError:
                pass
        self.wait_gone(window, what)

    def _new_popup(self, before):
        new = self.top_windows() - before
        return sorted(new, key=int)[-1] if new else None


class GuiTestCase(unittest.TestCase):
    """One Wireshark per test file: the class starts it on CAPTURE and ends it after the last test.
    Tests run in name order (test_1_…, test_2_…) on the same window."""

    CAPTURE = None
    EXTRA_ARGS = ()
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        module = sys.modules[cls.__module__].__file__
        cls.gui = Gui(os.path.splitext(os.path.basename(module))[0])
        cls.any_failed = False
        try:
            cls.gui.start(cls.CAPTURE, cls.EXTRA_ARGS)
        except Exception:
            cls.gui.finish(failed=True)
            raise

    @classmethod
    def tearDownClass(cls):
        cls.gui.finish(failed=cls.any_failed)

    def run(self, result=None):
        result = super().run(result)
        if result is not None and (result.failures or result.errors):
            type(self).any_failed = True
        return result

