"""The Lua edition (build/<variant>/lua/sipvi.lua) against the C plugin, both in the real tshark:
on every capture under tests/, tshark -T fields of every sipvi field, the Info column and -z expert
must be the same. The C run loads only sipvi.so, the Lua run only sipvi.lua (harness.tshark proves
it with tshark -G plugins).

Cost: tshark's start (≈ 0.2 s CPU) outweighs dissecting most captures, so each capture, pass and
edition gets five runs, each a different dissection condition, and every check reads what it needs
from them: -T fields of every sipvi field (a tree, sipvi's fields referenced) and -T fields of the
expert fields only (a tree, no sipvi field referenced), each with -z expert in the same run (the
report follows the rows); -V (a visible tree); the Info column (no tree); -q -z expert (no tree
asked for: the C plugin's tree hook). Frame 1's Reason/Warning items come from the expert-fields
run. The captures of every set are kept (the real-world corpus has SIP shapes the recorded ones lack).

Documented exceptions, asserted here as they are:
- The Protocol column of -z expert (and of the GUI's Expert Information) reads "SIPVI" for the Lua
  edition: Wireshark's Lua API registers a protocol's short name in capitals (Proto.new in
  epan/wslua/wslua_proto.c). The filter name, fields and expert fields are the same.
- The diagnosis of each call and registration (issue 12: the sipvi.diagnosis.* fields and the
  Sequence-group expert items "Chẩn đoán cuộc gọi: …" / "Chẩn đoán đăng ký: …") is the C plugin's
  only: it keeps per-file call state, which the Lua edition does not. The C plugin's output is
  compared with them taken out (without_diagnosis), and test_diagnosis_is_c_only asserts that
  this takes out exactly them.
- tshark -q -z expert without a filter, in one pass: the C plugin cannot list the Reason and
  Warning items of the capture's first frame (it is dissected before sipvi can give the pass a
  tree: README, "Expert info"; with -2 its second pass has one, docs/media.md); the Lua edition's field extractors make a tree from the first frame, so it
  does. test_expert_plain_run takes those items of frame 1 out of the Lua edition's list, and
  asserts that only diagnosis/f01-first_frame_486-udp.pcapng has any.
- A response of severity Chat (1xx, 2xx, a 401/407 challenge) raises its expert item without a
  line in the C plugin's tree (docs/reference.md, "Chat items are not lines of the packet
  details": Wireshark's five labelled items per expert line cost more than sipvi's tree budget on
  ordinary traffic). Lua's API has no such call (TreeItem:add_proto_expert_info hangs the item on
  a tree item), so the Lua edition's -V and _ws.expert fields also show them:
  without_chat_response_lines / _rows take exactly them out of the Lua edition's output, and
  test_chat_response_exception asserts what they take. Both editions list them alike in -z expert.
- The site overrides come from a file (the profile's sipvi_overrides, or the preference
  sipvi.overrides_file): the Lua API has no UAT, so -o uat:sipvi_overrides:… is the C plugin's only.
"""

import glob
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))


def all_captures():
    """Every capture under tests/, new ones included."""
    return sorted(glob.glob(os.path.join(TESTS_DIR, "**", "*.pcap*"), recursive=True))


class Lenient:
    """A Tshark whose run() lets tshark write to stderr (some captures make Wireshark's own
    dissectors warn) and keeps what it wrote, without the process id and time, so that both
    editions can be required to write the same."""

    def __init__(self, ts):
        self.ts = ts
        self.errors = []

    def __getattr__(self, name):
        return getattr(self.ts, name)

    def run(self, args):
        rc, out, err = self.ts.run_full(args)
        if rc != 0:
            raise AssertionError(f"tshark {' '.join(args)} exited {rc}:\n{err}")
        self.errors.append(re.sub(r"\(tshark:\d+\) [0-9:.]+ ", "", err))
        return out


CAPTURES = all_captures()
# Preferences whose effect both editions must show alike, each on the captures it changes most.
PREFERENCE_RUNS = [
    ["-o", "sipvi.english_reason:TRUE"],
    ["-o", "sipvi.expert_min_class:4"],
    ["-o", "sipvi.info_column:FALSE"],
    ["-o", "sipvi.expert_info:FALSE"],
]
PREFERENCE_CAPTURES = ["synthetic.pcap", "triage/all-calls.pcapng", "triage/t14-warning.pcapng"]
STEP_ASIDE = ("tshark: sipvi.lua: Wireshark đã nạp sipvi (plugin C sipvi.so hoặc một bản sipvi.lua "
              "khác), nên bản Lua này không chạy; hãy gỡ một trong hai bản. (sipvi is already "
              "loaded, by the C plugin or another sipvi.lua: this Lua edition steps aside.)\n")


EXPERT_FIELDS = ["_ws.expert.message", "_ws.expert.severity", "_ws.expert.group"]
# The diagnosis fields, and the call's media figures on the diagnosis item (docs/media.md).
DIAGNOSIS_PREFIX = ("sipvi.diagnosis", "sipvi.media.", "sipvi.call.")
DIAGNOSIS_SUMMARIES = ("Chẩn đoán cuộc gọi: ", "Chẩn đoán đăng ký: ")


def without_items(lines, starts_item):
    """tshark -V lines without the items whose line starts_item(line) accepts, and the lines
    indented under each."""
    kept, depth = [], None
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        if depth is not None and indent > depth:
            continue
        depth = None
        if starts_item(line):
            depth = indent
            continue
        kept.append(line)
    return kept


def without_expert(rows, drops):
    """-T fields rows of frame.number, _ws.expert.message, .severity, .group (occurrences joined
    with '|' in the same order in each column), without the items drops(message, severity, group)
    accepts."""
    kept = []
    for frame, *columns in rows:
        parts = [c.split("|") if c else [] for c in columns]
        keep = [i for i in range(len(parts[0])) if not drops(*(p[i] for p in parts))]
        kept.append([frame] + ["|".join(p[i] for i in keep) for p in parts])
    return kept


def without_diagnosis_details(lines):
    """tshark -V lines without the diagnosis items: a top-level line starting with one of
    DIAGNOSIS_SUMMARIES and the indented lines under it."""
    return without_items(lines, lambda line: line.startswith(DIAGNOSIS_SUMMARIES))


def without_diagnosis_expert(rows):
    """-T fields expert rows without the diagnosis items."""
    return without_expert(rows, lambda message, *_: message.startswith(DIAGNOSIS_SUMMARIES))


# _ws.expert.severity and .group of a Chat item in the Response group, as -T fields prints them.
CHAT, RESPONSE = "2097152", "50331648"
CHAT_RESPONSE_LINE = re.compile(r"^ *\[Expert Info \(Chat/Response\): \d{3} .*\]$")


def without_chat_response_lines(lines):
    """The Lua edition's tshark -V lines without its Chat response expert items: the line
    "[Expert Info (Chat/Response): 200 …]" and the lines under it (a Reason's "Reason SIP 200: …"
    item keeps its line in both editions)."""
    return without_items(lines, CHAT_RESPONSE_LINE.match)


def without_chat_response_rows(rows):
    """The Lua edition's -T fields expert rows without its Chat response expert items."""
    return without_expert(rows, lambda message, severity, group: bool(
        re.match(r"^\d{3} ", message)) and severity == CHAT and group == RESPONSE)


def registered(ts, what):
    """tshark -G fields / protocols: the rows of sipvi's fields / protocols."""
    rows = []
    for line in ts.run(["-G", what]).splitlines():
        cols = line.split("\t")
        if what == "fields" and cols[0] == "F" and cols[4] == "sipvi":
            rows.append(cols)
        elif what == "protocols" and cols[2].startswith("sipvi"):
            rows.append(cols[:3])  # 4.4 adds columns after the filter name
    return rows


class LuaParityTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.c = harness.tshark("c")
        cls.lua = harness.tshark("lua")
        # Every field sipvi registers that can hold a value (the expert fields cannot).
        cls.fields = [row[2] for row in registered(cls.c, "fields")
                      if row[3] != "FT_NONE" and not row[2].startswith(DIAGNOSIS_PREFIX)]
        cls.runs = {}
        cls.captures = {}
        for path in CAPTURES:
            name = os.path.relpath(path, os.path.join(TESTS_DIR, "captures")) \
                if "captures" in path else os.path.basename(path)
            cls.captures[name] = (cls.c.capture(path, ""), cls.lua.capture(path, ""))
        if len(set(os.path.basename(p) for p in CAPTURES)) != len(CAPTURES):
            raise AssertionError("two captures under tests/ share a name: the private copies would clash")

    def both(self, run, name, extra=()):
        """run on the C plugin and on the Lua edition; they must also write the same to stderr."""
        c_path, lua_path = self.captures[name]
        c, lua = Lenient(self.c), Lenient(self.lua)
        results = run(c, c_path, list(extra)), run(lua, lua_path, list(extra))
        self.assertEqual(lua.errors, c.errors)
        return results

    @staticmethod
    def fields_of(fields):
        """-T fields of frame.number and these fields, with -z expert in the same run: the rows,
        and the expert tap's items of a run with a tree (the -T fields make one). tshark prints
        the -z report after the rows, behind an empty line (no row is empty: frame.number)."""
        def run(ts, capture, extra):
            args = ["-n", "-r", capture, *extra, "-T", "fields", "-E", "separator=/t",
                    "-E", "occurrence=a", "-E", "aggregator=|", "-z", "expert"]
            for field in ["frame.number"] + fields:
                args += ["-e", field]
            out = ts.run(args)
            rows, _, report = out.partition("\n\n")
            protocol = "SIPVI" if ts.edition == "lua" else "sipvi"
            return ([line.split("\t") for line in rows.rstrip("\n").split("\n")] if rows.strip() else [],
                    harness.expert_entries(report, protocol))
        return run

    def cached(self, what, name, mode):
        """One run per capture, pass and edition for the checks that share it (setUpClass fills
        nothing: a test run alone still makes only the runs it needs)."""
        key = (what, name, mode)
        if key not in self.runs:
            fields = self.fields if what == "fields" else EXPERT_FIELDS
            self.runs[key] = self.both(self.fields_of(fields), name, harness.PASSES[mode])
        return self.runs[key]

    @staticmethod
    def details(ts, capture, extra):
        return ts.run(["-n", "-r", capture, *extra, "-V"]).splitlines()

    @staticmethod
    def info(ts, capture, extra):
        return harness.info_column(ts, capture, extra)

    @staticmethod
    def expert(ts, capture, extra):
        protocol = "SIPVI" if ts.edition == "lua" else "sipvi"
        out = ts.run(["-n", "-r", capture, "-q", "-z", "expert", *extra])
        return harness.expert_entries(out, protocol)

    def test_captures_found(self):
        # Fails when captures move: the parity runs must cover every one of them.
        self.assertGreaterEqual(len(CAPTURES), 24)
        self.assertIn("wireshark-warning.pcap", self.captures)
        self.assertIn("hostile.pcap", self.captures)
        self.assertIn("triage/t14-warning.pcapng", self.captures)

    def test_same_fields_registered(self):
        c_fields = [r for r in registered(self.c, "fields") if not r[2].startswith(DIAGNOSIS_PREFIX)]
        self.assertEqual(registered(self.lua, "fields"), c_fields)
        self.assertIn("sipvi.q850.cause", self.fields)
        self.assertIn("sipvi.warning.text", self.fields)

    def test_protocol_short_name_exception(self):
        c_rows = registered(self.c, "protocols")
        lua_rows = registered(self.lua, "protocols")
        self.assertIn(["Trạng thái SIP tiếng Việt", "sipvi", "sipvi"], c_rows)
        self.assertEqual(lua_rows, [["Trạng thái SIP tiếng Việt", "SIPVI", "sipvi"]])

    def test_same_preferences(self):
        def prefs(ts):
            out = ts.run(["-G", "defaultprefs"])
            return sorted(line.split(":")[0].lstrip("#") for line in out.splitlines()
                          if line.startswith("#sipvi."))
        c_prefs, lua_prefs = prefs(self.c), prefs(self.lua)
        # The media diagnosis (and its thresholds) is the C plugin's only (docs/media.md).
        c_prefs = [p for p in c_prefs if not p.startswith("sipvi.media_")]
        self.assertEqual([p for p in lua_prefs if p != "sipvi.overrides_file"], c_prefs)
        self.assertIn("sipvi.overrides_file", lua_prefs)

    def test_fields(self):
        for name in self.captures:
            for mode in harness.PASSES:
                with self.subTest(capture=name, mode=mode):
                    (c_rows, _), (lua_rows, _) = self.cached("fields", name, mode)
                    self.assertEqual(lua_rows, c_rows)

    def test_expert_fields(self):
        # Only Wireshark's expert fields asked for: the Lua edition then builds the expert items
        # alone (no sipvi field is referenced), which must still print as the C plugin's do.
        for name in self.captures:
            for mode in harness.PASSES:
                with self.subTest(capture=name, mode=mode):
                    (c_rows, _), (lua_rows, _) = self.cached("expert", name, mode)
                    self.assertEqual(without_chat_response_rows(lua_rows),
                                     without_diagnosis_expert(c_rows))

    def test_diagnosis_is_c_only(self):
        # The exception takes out what the C plugin adds for issue 12, and nothing else.
        c_path, _ = self.captures["call-486.pcapng"]
        diag = [r[2] for r in registered(self.c, "fields") if r[2].startswith(DIAGNOSIS_PREFIX)]
        self.assertIn("sipvi.diagnosis", diag)
        self.assertFalse([r for r in registered(self.lua, "fields") if r[2].startswith(DIAGNOSIS_PREFIX)])
        lines = self.details(self.c, c_path, [])
        removed = [line for line in lines if line not in without_diagnosis_details(lines)]
        self.assertEqual(removed[0], "Chẩn đoán cuộc gọi: Máy bận")
        self.assertTrue(all(line.startswith("    ") for line in removed[1:]))
        self.assertIn("    [Chẩn đoán: busy]", removed)
        rows = harness.field_rows(self.c, c_path, ["frame.number", "_ws.expert.message",
                                                   "_ws.expert.severity", "_ws.expert.group"], [])
        self.assertEqual(without_diagnosis_expert(rows)[2][1], "486 Máy bận")
        self.assertEqual(rows[2][1], "486 Máy bận|Chẩn đoán cuộc gọi: Máy bận")

    def test_chat_response_exception(self):
        # The exception takes out the Lua edition's Chat response items, and only them: a 100,
        # 180 and 200 of call-200, not the 486 of call-486 nor a Reason item.
        for name, taken, kept in [("call-200.pcapng", ["100 Đang xử lý", "180 Đang đổ chuông",
                                                       "200 Thành công", "200 Thành công"], []),
                                  ("call-486.pcapng", ["100 Đang xử lý"], ["486 Máy bận"]),
                                  ("triage/t02-486-q850.pcapng", ["100 Đang xử lý"],
                                   ["486 Máy bận", "Q.850 17: Máy bận"])]:
            with self.subTest(capture=name):
                (c_rows, _), (lua_rows, _) = self.cached("expert", name, "one-pass")
                messages = lambda rows: [m for r in rows if r[1] for m in r[1].split("|")]
                removed = messages(lua_rows)
                for m in messages(without_chat_response_rows(lua_rows)):
                    removed.remove(m)
                self.assertEqual(removed, taken)
                self.assertFalse([m for m in messages(c_rows) if m in taken])
                for m in kept:
                    self.assertIn(m, messages(c_rows))
                c_text, lua_text = self.both(self.details, name, [])
                lines = [l for l in lua_text if l not in without_chat_response_lines(lua_text)]
                self.assertEqual([l.strip() for l in lines if "Expert Info" in l],
                                 [f"[Expert Info (Chat/Response): {m}]" for m in taken])
                self.assertFalse([l for l in c_text if "Expert Info (Chat/Response): 1" in l
                                  or "Expert Info (Chat/Response): 2" in l])

    def test_packet_details(self):
        # tshark -V prints the packet details as the GUI shows them: the sipvi subtrees (labels,
        # generated marks, the detail's lines, expert items) and everything around them.
        annotated = set()
        for name in self.captures:
            for mode, extra in harness.PASSES.items():
                with self.subTest(capture=name, mode=mode):
                    c_text, lua_text = self.both(self.details, name, extra)
                    self.assertEqual(without_chat_response_lines(lua_text),
                                     without_diagnosis_details(c_text))
                    if any(line.startswith("Trạng thái SIP tiếng Việt: ") for line in lua_text):
                        annotated.add(name)
        # Only the captures with no SIP response at all (an unanswered INVITE or REGISTER, such as
        # the real webex REGISTER that times out) have no sipvi subtree: the comparison above is not between two empty outputs. The real SBC
        # trunk carries SIP on TCP 6060, which Wireshark reads as X11 without the Decode As that
        # real.corpus gives it (tests/captures/real/SOURCES.tsv, decode_as).
        self.assertEqual(sorted(set(self.captures) - annotated),
                         ["diagnosis/d13-no_response-tcp.pcapng", "diagnosis/d13-no_response-udp.pcapng",
                          "diagnosis/d24-reg_no_response-tcp.pcapng",
                          "diagnosis/d24-reg_no_response-udp.pcapng",
                          "real/heplify-sbc-tcp6060-trunk.pcap",
                          "real/ndpi-webex-register-timeout.pcap"])

    def test_info_column(self):
        for name in self.captures:
            for mode, extra in harness.PASSES.items():
                with self.subTest(capture=name, mode=mode):
                    c_info, lua_info = self.both(self.info, name, extra)
                    self.assertEqual(lua_info, c_info)

    def test_expert_with_tree(self):
        # -z expert in the two -T fields runs above, which dissect with a protocol tree (as
        # -Y frame did before, one run per capture less): with every sipvi field referenced, and
        # with only the expert fields.
        for name in self.captures:
            for mode in harness.PASSES:
                for what in ("fields", "expert"):
                    with self.subTest(capture=name, mode=mode, run=what):
                        (_, c_items), (_, lua_items) = self.cached(what, name, mode)
                        self.assertEqual(lua_items, c_items)

    def test_expert_plain_run(self):
        # No tree asked for: the C plugin gives the expert tap's pass a tree, and Lua field
        # extractors always make one. Both list the Reason and Warning items.
        first_frame_items = set()
        for name in self.captures:
            for mode, extra in harness.PASSES.items():
                with self.subTest(capture=name, mode=mode):
                    c_items, lua_items = self.both(self.expert, name, extra)
                    # With -2 the C plugin's second pass has a tree from frame 1 too: its
                    # expert path's media listeners, registered in the first pass, ask for one.
                    header_items = self.first_frame_header_items(name, mode) \
                        if mode == "one-pass" else []
                    for message in header_items:
                        first_frame_items.add(name)
                        lua_items = [(s, n - 1 if t == message else n, g, t)
                                     for s, n, g, t in lua_items]
                        lua_items = [e for e in lua_items if e[1]]
                    self.assertEqual(lua_items, c_items)
        self.assertEqual(first_frame_items, {"diagnosis/f01-first_frame_486-udp.pcapng"})
        lua_plain = self.expert(self.lua, self.captures["triage/t02-486-q850.pcapng"][1], [])
        self.assertIn(("Chats", 1, "Response", "Q.850 17: Máy bận"), lua_plain)

    def first_frame_header_items(self, name, mode):
        """The expert items of frame 1 made from SIP's header tree (Reason, Warning), as the C
        plugin lists them with a tree: its row of frame 1 in the expert fields run."""
        (c_rows, _), _ = self.cached("expert", name, mode)
        first = [row for row in c_rows if row[0] == "1"]
        messages = first[0][1].split("|") if first and first[0][1] else []
        return [m for m in messages if m.startswith(("Q.850 ", "Reason SIP ", "Warning "))]

    def test_preferences(self):
        for extra in PREFERENCE_RUNS:
            for name in PREFERENCE_CAPTURES:
                with self.subTest(capture=name, preference=extra[1]):
                    (c_rows, c_items), (lua_rows, lua_items) = self.both(
                        self.fields_of(self.fields), name, extra)
                    self.assertEqual(lua_rows, c_rows)
                    self.assertEqual(lua_items, c_items)
                    c_info, lua_info = self.both(self.info, name, extra)
                    self.assertEqual(lua_info, c_info)

    def test_expert_min_class_out_of_range(self):
        args = ["-q", "-z", "expert", "-o", "sipvi.expert_min_class:9", "-Y", "frame"]
        c_rc, c_out, c_err = self.c.run_full(["-n", "-r", self.captures["call-486.pcapng"][0], *args])
        lua_rc, lua_out, lua_err = self.lua.run_full(["-n", "-r", self.captures["call-486.pcapng"][1],
                                                      *args])
        self.assertEqual((lua_rc, lua_err), (c_rc, c_err))
        self.assertEqual(lua_err, "tshark: sipvi.expert_min_class: 9 không hợp lệ, phải từ 1 đến 7; "
                                  "dùng 1 (must be 1-7; using 1)\n")
        self.assertEqual(harness.expert_entries(lua_out, "SIPVI"), harness.expert_entries(c_out))


class LuaOverridesTest(unittest.TestCase):
    """The C plugin's sipvi_overrides file of the profile, read by both editions."""

    maxDiff = None

    def editions(self, content):
        editions = []
        for edition in ("c", "lua"):
            ts = harness.Tshark(edition)
            ts.assert_plugin_loaded()
            ts.profile_file("sipvi_overrides", content)
            editions.append(ts)
        return editions

    def test_same_overrides(self):
        content = ('# sipvi site overrides\n"486","Bận (theo nhà mạng)","","note"\n'
                   '"499","Nhà mạng từ chối: hết cước","Mã riêng của nhà mạng X.","error"\n'
                   '"100","Đang x\\xe1\\xbb\\xad lý (ghi đè)","",""\n'
                   # Severity words in Vietnamese, in any case, as the C plugin takes them.
                   '"180","Đổ chuông (ghi đè)",""," Cảnh Báo "\n"200","Xong (ghi đè)","","LỖI (ERROR)"\n').encode()
        c, lua = self.editions(content)
        fields = ["sipvi.code", "sipvi.meaning", "sipvi.detail", "sipvi.severity", "sipvi.known",
                  "sipvi.override"]
        for name in ("call-486.pcapng", "synthetic.pcap", "call-200.pcapng"):
            with self.subTest(capture=name):
                c_path, lua_path = c.capture(name), lua.capture(name)
                c_rows = harness.field_rows(c, c_path, fields)
                self.assertEqual(harness.field_rows(lua, lua_path, fields), c_rows)
                self.assertEqual(harness.info_column(lua, lua_path), harness.info_column(c, c_path))
                args = ["-q", "-z", "expert", "-Y", "frame"]
                self.assertEqual(
                    harness.expert_entries(lua.run(["-n", "-r", lua_path, *args]), "SIPVI"),
                    harness.expert_entries(c.run(["-n", "-r", c_path, *args])))
        rows = harness.field_rows(lua, lua.capture("call-486.pcapng"),
                                  ["frame.number", "sipvi.meaning", "sipvi.severity"], ["-Y", "sipvi"])
        self.assertEqual(rows, [["2", "Đang xử lý (ghi đè)", "1"], ["3", "Bận (theo nhà mạng)", "2"]])
        rows = harness.field_rows(lua, lua.capture("call-200.pcapng"), ["sipvi.code", "sipvi.severity"],
                                  ["-Y", "sipvi.code >= 180"])
        self.assertIn(["180", "3"], rows)
        self.assertIn(["200", "4"], rows)

    def test_refused_entries(self):
        # The same refusals, with the same message, as the C plugin's table loaded from the file.
        entries = ['"800","x","",""', '"486","","",""', '"486","x","","fatal"',
                   '"486","M\\xe1y","",""', '"486","M\\x09y","",""']
        for entry in entries:
            with self.subTest(entry=entry):
                c, lua = self.editions((entry + "\n").encode())
                c_rc, c_out, c_err = c.run_full(["-n", "-r", c.capture("call-486.pcapng")])
                lua_rc, lua_out, lua_err = lua.run_full(["-n", "-r", lua.capture("call-486.pcapng")])
                self.assertTrue(c_err.startswith("tshark: Error loading table 'Ghi đè tại chỗ của sipvi (sipvi overrides)': "
                                                 "sipvi_overrides, mã "), c_err)
                self.assertEqual((lua_rc, lua_err), (c_rc, c_err))
                self.assertEqual(lua_out, c_out)


class LuaStepsAsideTest(unittest.TestCase):
    """With the C plugin loaded too, the Lua edition says so once and does nothing else."""

    def test_steps_aside(self):
        both = harness.Tshark("both")
        _, paths = both.plugin_listing()
        self.assertEqual(paths, {"sipvi.so": [both.loaded_plugin], "sipvi.lua": [both.loaded_lua]})
        c = harness.tshark("c")
        capture = both.capture("call-486.pcapng")
        for args in (["-n", "-r", capture], ["-n", "-r", capture, "-q", "-z", "expert"],
                     ["-n", "-r", capture, "-V"]):
            with self.subTest(args=args[3:]):
                rc, out, err = both.run_full(args)
                self.assertEqual((rc, err), (0, STEP_ASIDE))
                self.assertEqual(out, c.run([*args[:2], c.capture("call-486.pcapng"), *args[3:]]))


if __name__ == "__main__":
    unittest.main()
