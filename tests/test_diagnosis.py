"""The diagnosis of each call and registration, in tshark: -z sipvi,calls[,csv] and
-z sipvi,registrations[,csv], one pass and two passes (-2).

Captures: the fifteen recorded triage calls (tests/captures/triage/), and the generated dialogs of
tests/captures/diagnosis_edge/ (generate.py: what a recording cannot give on demand, and bad
input). Every row is asserted exactly: diagnosis id, final code, evidence frames, the frame where
the diagnosis became certain; the explanations are checked against the templates of
data/diagnoses.tsv filled in by hand."""

import csv
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from datafile import Data, _rows  # noqa: E402

TRIAGE = os.path.join(harness.CAPTURE_DIR, "triage")
EDGE = os.path.join(harness.CAPTURE_DIR, "diagnosis_edge")
PASSES = harness.PASSES

CALLS_HEADER = ["start_s", "caller", "callee", "final_code", "meaning", "class", "class_name",
                "q850_cause", "q850_meaning", "time_to_final_ms", "call_id", "diagnosis",
                "diagnosis_title", "explanation", "check", "evidence_frames", "certain_frame",
                "capture_file", "setup_ms", "duration_s", "ended_by"] + [
                f"rtp_{d}_{f}" for d in ("to_caller", "to_callee")
                for f in ("packets", "lost_pct", "max_jitter_ms", "mean_jitter_ms",
                          "reported_lost_pct", "mos")]
REGS_HEADER = ["start_s", "aor", "final_code", "meaning", "register_transactions", "call_id",
               "diagnosis", "diagnosis_title", "explanation", "check", "evidence_frames",
               "certain_frame", "capture_file"]

# all-calls.pcapng: Call-ID -> (diagnosis, final code, evidence frames, certain frame), by hand
# from the frame tables of tests/captures/triage/README.md.
TRIAGE_CALLS = {
    "sipvi-triage-t01-1@127.0.0.1": ("answered", "200", "4 5", ""),          # 200, ACK
    "sipvi-triage-t02-1@127.0.0.1": ("busy", "486", "10", "10"),
    "sipvi-triage-t03-1@127.0.0.1": ("no_answer", "480", "14 15", "15"),     # 180, 480
    "sipvi-triage-t04-1@127.0.0.1": ("unreachable", "408", "19", "19"),      # Q.850 18, no 180
    "sipvi-triage-t05-1@127.0.0.1": ("answered_elsewhere", "487", "24 26", "24"),  # CANCEL, 487
    "sipvi-triage-t06-1@127.0.0.1": ("answered", "200", "37 39", ""),        # B>P 200, A>P ACK
    "sipvi-triage-t07-1@127.0.0.1": ("rejected", "603", "48", "48"),
    "sipvi-triage-t08-1@127.0.0.1": ("capacity", "503", "51", "51"),
    "sipvi-triage-t09-1@127.0.0.1": ("redirected", "302", "54", "54"),
    "sipvi-triage-t09b-1@127.0.0.1": ("answered", "200", "57 58", ""),
    # INVITE, 180, and the capture ends 1 s later: before timer C, nothing to blame.
    "sipvi-triage-t10-1@127.0.0.1": ("capture_ended", "", "61 63", ""),
    "sipvi-triage-t11-1@127.0.0.1": ("number_invalid", "404", "65", "65"),
    "sipvi-triage-t12-1@127.0.0.1": ("loop", "483", "68", "68"),
    "sipvi-triage-t13-1@127.0.0.1": ("answered", "200", "76 78", ""),
    "sipvi-triage-t14-1@127.0.0.1": ("codec_mismatch", "488", "84 85", "85"),  # offer, 488
}
# Where each single-call capture's frames start inside all-calls.pcapng (its README).
TRIAGE_OFFSETS = {"t01-200.pcapng": 0, "t02-486-q850.pcapng": 7, "t03-480-noanswer.pcapng": 11,
                  "t04-408.pcapng": 16, "t05-487-cancel.pcapng": 20, "t06-407-200.pcapng": 27,
                  "t07-603-decline.pcapng": 44, "t08-503-retry.pcapng": 49,
                  "t09-302-redirect.pcapng": 52, "t10-no-final.pcapng": 60,
                  "t11-404-unknown-user.pcapng": 63, "t12-483-too-many-hops.pcapng": 66,
                  "t13-retransmission.pcapng": 69, "t14-warning.pcapng": 83}

EDGE_CALLS = [
    ("sipvi-edge-e01-auth", "auth_failed", "407", "4 5", "5"),  # INVITE with credentials, 407
    ("sipvi-edge-e02-cancel", "caller_cancelled", "487", "9 11", "9"),  # CANCEL, 487
    ("sipvi-edge-e04-noack", "ack_missing", "200", "15 16 17 18 19 20", "20"),  # 200 ×5, BYE
    ("sipvi-edge-e05-noinvite", "invite_missing", "408", "22 23 24", "22"),
    ("sipvi-edge-e07-bye481", "bye_failed", "200", "28 29", "29"),  # BYE, 481
    # 200 with c=192.168.1.20 from 127.0.0.1: no NAT evidence on loopback (issue 22).
    ("sipvi-edge-e08-nat", "answered", "200", "31 32", ""),
    ("sipvi-edge-e09-415", "not_implemented", "415", "36", "36"),
    # Certain at the 7th transmission (SIPVI_GIVE_UP_TRANSMISSIONS).
    ("sipvi-edge-e03-silent", "no_response", "", "38 39 40 41 42 43 44", "44"),
    # The BYE eight times, certain at the 7th.
    ("sipvi-edge-e06-byesilent", "bye_failed", "200", "48 49 50 51 52 53 54 55", "54"),
]
BAD_INPUT_CALLS = [
    # call, diagnosis, final code, Q.850 cause of the report, evidence, certain
    ("sipvi-bad-b01-list", "downstream_failure", "404", "41", "2", "2"),
    ("sipvi-bad-b02-garbage", "busy", "486", "", "5", "5"),
    ("sipvi-bad-b03-no-m", "codec_mismatch", "488", "", "7 8", "8"),
    ("sipvi-bad-b04-reused", "answered", "200", "", "11 12", ""),
    ("sipvi-bad-b04-reused", "busy", "486", "", "16", "16"),
]
REGISTRATIONS = [
    # Call-ID, diagnosis, final code, REGISTER transactions, evidence, certain
    ("sipvi-edge-r01-ok", "reg_ok", "200", "2", "4", ""),         # the 200
    ("sipvi-edge-r02-badpass", "reg_auth_failed", "401", "2", "7 8", "8"),
    ("sipvi-edge-r03-unknown", "reg_rejected", "404", "1", "10", "10"),
    # Sent three times in 1.5 s, and the capture ends: it could still be answered.
    ("sipvi-edge-r04-silent", "reg_capture_ended", "", "1", "11 12 13", ""),
]
AOR = "sip:alice@127.0.0.1:5060"
# issue22.pcap and issue22-end.pcap (generate.py): one dialog per pattern of issue 22.
# Call-ID, diagnosis, final code, evidence, certain frame.
ISSUE22_CALLS = [
    ("sipvi-i22-01-nat", "media_private_address", "200", "2 3", "4"),  # public source, c= private
    ("sipvi-i22-02-relay", "answered", "200", "6 7", ""),      # a PBX relays private SDP
    ("sipvi-i22-03-loopback", "answered", "200", "9 10", ""),  # loopback, c= private
    ("sipvi-i22-04-stray", "busy", "600", "14", "14"),         # 500 of a foreign branch ignored
    ("sipvi-i22-05-299", "busy", "486", "18", "18"),           # 299, 486, ACK with the branch
    ("sipvi-i22-06-phantom", "answered", "200", "21 22", ""),  # lower-CSeq re-INVITE: one call
    ("sipvi-i22-07-icmp", "network_refused", "", "27", "27"),  # ICMP 3/13 only
    ("sipvi-i22-08-noack-tcp", "ack_missing", "200", "30 62", "62"),  # TCP, BYE 32 s later
    ("sipvi-i22-09-pbx-cancel", "cancelled", "487", "58 60", "58"),   # Reason Q.850 19
    ("sipvi-i22-11-phrase", "server_error", "500", "44", "44"),       # 500 Request out of order
    ("sipvi-i22-12-codec", "codec_mismatch", "488", "49 50", "50"),   # authenticated, m=audio 0
    ("sipvi-i22-13-early-bye", "caller_cancelled", "487", "54", "54"),  # caller's early BYE
]
ISSUE22_END_CALLS = [("sipvi-i22-20-bye-last", "answered", "200", "2 3", "")]


def parse_csv(text):
    rows = list(csv.reader(text.splitlines()))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def fill(template, values):
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    assert "{" not in template, template
    return template


class DiagnosisTest(harness.PluginTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = Data(harness.DATA_DIR)
        cls.diagnoses = {r["id"]: r for r in _rows(os.path.join(harness.DATA_DIR, "diagnoses.tsv"))}
        cls.all_calls = cls.ts.capture("all-calls.pcapng", TRIAGE)
        cls.triage = {name: cls.ts.capture(name, TRIAGE) for name in TRIAGE_OFFSETS}
        cls.edge = cls.ts.capture("edge-calls.pcap", EDGE)
        cls.bad = cls.ts.capture("bad-input.pcap", EDGE)
        cls.regs = cls.ts.capture("registrations.pcap", EDGE)

    def report(self, capture, what, extra=()):
        out = self.ts.run(["-n", "-r", capture, "-q", *extra, "-z", f"sipvi,{what},csv"])
        header, rows = parse_csv(out)
        self.assertEqual(header, CALLS_HEADER if what == "calls" else REGS_HEADER)
        for row in rows:
            self.assertEqual(row["capture_file"], capture)
            text = self.diagnoses[row["diagnosis"]]
            self.assertEqual((row["diagnosis_title"], row["check"]), (text["title"], text["check"]))
        return rows

    def assert_calls(self, rows, expected):
        got = [(r["call_id"], r["diagnosis"], r["final_code"], r["evidence_frames"],
                r["certain_frame"]) for r in rows]
        self.assertEqual(got, expected)

    def test_recorded_calls(self):
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                rows = self.report(self.all_calls, "calls", extra)
                self.assert_calls(rows, [(call_id, *want) for call_id, want in TRIAGE_CALLS.items()])

    def test_recorded_calls_one_file_each(self):
        """The same diagnoses when each call is alone in its file, frames shifted."""
        def shift(frames, offset):
            return " ".join(str(int(f) - offset) for f in frames.split())
        for name, capture in self.triage.items():
            offset = TRIAGE_OFFSETS[name]
            want = [(call_id, d, code, shift(frames, offset), shift(certain, offset))
                    for call_id, (d, code, frames, certain) in TRIAGE_CALLS.items()
                    if name[:3] in call_id]
            for mode, extra in PASSES.items():
                with self.subTest(capture=name, mode=mode):
                    self.assert_calls(self.report(capture, "calls", extra), want)

    def test_generated_calls(self):
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                self.assert_calls(self.report(self.edge, "calls", extra), EDGE_CALLS)

    def test_bad_input(self):
        """A Reason list whose Q.850 cause comes second (SIP decodes only the first), Reason values
        that are garbage, an SDP without m=, a Call-ID reused after its call ended."""
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                rows = self.report(self.bad, "calls", extra)
                got = [(r["call_id"], r["diagnosis"], r["final_code"], r["q850_cause"],
                        r["evidence_frames"], r["certain_frame"]) for r in rows]
                self.assertEqual(got, BAD_INPUT_CALLS)
                no_m = rows[2]["explanation"]
                self.assertEqual(no_m, fill(self.diagnoses["codec_mismatch"]["explanation"], {
                    "code": "488", "meaning": self.data.codes[488]["meaning"], "request": "7",
                    "q850": "không có", "codecs": "không rõ (SDP không có dòng m=)",
                    "warning": "không có", "frames": "7, 8"}))

    def test_registrations(self):
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                rows = self.report(self.regs, "registrations", extra)
                got = [(r["call_id"], r["diagnosis"], r["final_code"], r["register_transactions"],
                        r["evidence_frames"], r["certain_frame"]) for r in rows]
                self.assertEqual(got, REGISTRATIONS)
                self.assertEqual({r["aor"] for r in rows}, {AOR})
                self.assertEqual(rows[1]["explanation"], fill(
                    self.diagnoses["reg_auth_failed"]["explanation"],
                    {"aor": AOR, "request": "7", "code": "401",
                     "meaning": self.data.codes[401]["meaning"], "count": "1", "frames": "7, 8"}))
                self.assertEqual(rows[3]["explanation"], fill(
                    self.diagnoses["reg_capture_ended"]["explanation"],
                    {"aor": AOR, "request": "11", "frames": "11, 12, 13"}))

    def test_issue22_patterns(self):
        issue22 = self.ts.capture("issue22.pcap", EDGE)
        end = self.ts.capture("issue22-end.pcap", EDGE)
        d = self.diagnoses
        for mode, extra in PASSES.items():
            with self.subTest(mode=mode):
                rows = self.report(issue22, "calls", extra)
                self.assert_calls(rows, ISSUE22_CALLS)
                by_id = {r["call_id"]: r for r in rows}
                self.assertEqual(by_id["sipvi-i22-07-icmp"]["explanation"], fill(
                    d["network_refused"]["explanation"],
                    {"addr": "198.51.100.9:5060", "request": "26", "count": "1",
                     "icmp": "ICMP 3/13: bị tường lửa cấm theo quản trị (administratively "
                             "prohibited)", "frames": "27"}))
                self.assertEqual(by_id["sipvi-i22-11-phrase"]["explanation"], fill(
                    d["server_error"]["explanation"],
                    {"code": "500", "meaning": self.data.codes[500]["meaning"]
                     + ", “Request out of order”", "q850": "không có", "frames": "44"}))
                self.assertEqual(by_id["sipvi-i22-12-codec"]["explanation"], fill(
                    d["codec_mismatch"]["explanation"],
                    {"code": "488", "meaning": self.data.codes[488]["meaning"],
                     "q850": "không có", "request": "49",
                     "codecs": "audio G729/8000 (18) — mọi luồng đều bị tắt (m= cổng 0)",
                     "warning": "không có", "frames": "49, 50"}))
                self.assertEqual(by_id["sipvi-i22-08-noack-tcp"]["explanation"], fill(
                    d["ack_missing"]["explanation"], {"code": "200", "count": "1",
                                                     "frames": "30, 62"}))
                self.assertEqual(by_id["sipvi-i22-01-nat"]["explanation"], fill(
                    d["media_private_address"]["explanation"],
                    {"addr": "192.168.1.20", "source": "203.0.113.10", "frames": "2, 3"}))
                regs = self.report(issue22, "registrations", extra)
                self.assertEqual([(r["call_id"], r["diagnosis"], r["final_code"],
                                   r["register_transactions"]) for r in regs],
                                 [("sipvi-i22-10-brute", "reg_ok", "200", "5")])
                self.assertEqual(regs[0]["explanation"], fill(
                    d["reg_ok"]["explanation"], {"aor": "sip:bob@sipvi.test", "code": "200",
                                                 "count": "5", "frames": "42"}))
                self.assert_calls(self.report(end, "calls", extra), ISSUE22_END_CALLS)
                regs = self.report(end, "registrations", extra)
                self.assertEqual([(r["call_id"], r["diagnosis"], r["evidence_frames"],
                                   r["certain_frame"]) for r in regs],
                                 [("sipvi-i22-21-register-last", "reg_capture_ended", "6", "")])

    def test_calls_have_no_registrations_and_back(self):
        self.assertEqual(self.report(self.regs, "calls"), [])
        self.assertEqual(self.report(self.all_calls, "registrations"), [])

    def test_explanations_name_the_evidence(self):
        rows = {r["call_id"]: r for r in self.report(self.all_calls, "calls")}
        d = self.diagnoses
        self.assertEqual(rows["sipvi-triage-t14-1@127.0.0.1"]["explanation"], fill(
            d["codec_mismatch"]["explanation"],
            {"code": "488", "meaning": self.data.codes[488]["meaning"], "q850": "không có",
             "codecs": "audio G729/8000 (18)", "request": "84",
             "warning": f"305 ({self.data.warnings[305]['meaning']})", "frames": "84, 85"}))
        self.assertEqual(rows["sipvi-triage-t08-1@127.0.0.1"]["explanation"], fill(
            d["capacity"]["explanation"],
            {"code": "503", "meaning": self.data.codes[503]["meaning"],
             "q850": f"34 {self.data.q850[34]['meaning']}", "retry_after": "120 s",
             "frames": "51"}))
        edge = {r["call_id"]: r for r in self.report(self.edge, "calls")}
        # Sent five times (the first and four retransmissions); no time that the item, raised
        # before the BYE, could not know (issue 22).
        self.assertEqual(edge["sipvi-edge-e04-noack"]["explanation"], fill(
            d["ack_missing"]["explanation"],
            {"code": "200", "count": "5", "frames": "15, 16, 17, 18, 19, 20"}))
        self.assertEqual(edge["sipvi-edge-e05-noinvite"]["explanation"], fill(
            d["invite_missing"]["explanation"],
            {"count": "3", "code": "408", "seconds": "50.0", "fragments": "không thấy",
             "frames": "22, 23, 24"}))

    def test_text_reports(self):
        for what, capture, key in (("calls", self.edge, "call_id"),
                                   ("registrations", self.regs, "call_id")):
            with self.subTest(report=what):
                rows = self.report(capture, what)
                out = self.ts.run(["-n", "-r", capture, "-q", "-z", f"sipvi,{what}"])
                for row in rows:
                    block = (f"{row[key]}  [{row['diagnosis']}] {row['diagnosis_title']}\n"
                             f"    {row['explanation']}\n    Kiểm tra: {row['check']}\n")
                    self.assertIn(block, out)

    def expected_items(self, capture):
        """(frame, diagnosis, Call-ID) of the expert items: one per failed call or registration
        whose diagnosis is certain, at that frame; derived from the rows asserted above."""
        not_failures = {"answered", "answered_elsewhere", "reg_ok", "capture_ended",
                        "reg_capture_ended"}
        if capture == self.all_calls:
            rows = [(call_id, d, certain) for call_id, (d, _, _, certain) in TRIAGE_CALLS.items()]
        elif capture == self.edge:
            rows = [(call_id, d, certain) for call_id, d, _, _, certain in EDGE_CALLS]
        elif capture == self.bad:
            rows = [(call_id, d, certain) for call_id, d, _, _, _, certain in BAD_INPUT_CALLS]
        else:
            rows = [(call_id, d, certain) for call_id, d, _, _, _, certain in REGISTRATIONS]
        return sorted((int(certain), d, call_id) for call_id, d, certain in rows
                      if certain and d not in not_failures)

    def test_expert_item_per_failed_dialog(self):
        """At the frame where the diagnosis became certain, with the diagnosis as fields; the
        same in one pass and in -2, where the second pass shows what the first stored."""
        for capture in (self.all_calls, self.edge, self.bad, self.regs):
            want = self.expected_items(capture)
            self.assertTrue(want)
            for mode, extra in PASSES.items():
                with self.subTest(capture=os.path.basename(capture), mode=mode):
                    got = harness.field_rows(self.ts, capture, [
                        "frame.number", "sipvi.diagnosis", "sipvi.diagnosis.call_id",
                        "sipvi.diagnosis.explanation"], [*extra, "-Y", "sipvi.diagnosis"])
                    self.assertEqual([(int(f), d, c) for f, d, c, _ in got], want)
                    # The explanation is the report's, when no evidence came after the item's
                    # frame (a caller_cancelled item at the CANCEL does not know the 487 yet).
                    report = {(r["call_id"], r["diagnosis"]): r for r in self.report(
                        capture, "registrations" if capture == self.regs else "calls")}
                    for frame, d, c, explanation in got:
                        row = report[(c, d)]
                        if all(not f.startswith("+") and int(f) <= int(frame)
                               for f in row["evidence_frames"].split()):
                            self.assertEqual(explanation, row["explanation"])

    def test_expert_information_lists_failed_dialogs(self):
        """-z expert: one "Chẩn đoán cuộc gọi: <title>" item per failed or redirected call, group
        Sequence; a failure warns, a redirect is a note."""
        from collections import Counter
        for capture in (self.all_calls, self.edge, self.regs):
            want = Counter()
            severity = {}
            for _, d, _ in self.expected_items(capture):
                prefix = "Chẩn đoán đăng ký" if d.startswith("reg_") else "Chẩn đoán cuộc gọi"
                summary = f"{prefix}: {self.diagnoses[d]['title']}"
                want[summary] += 1
                severity[summary] = "Notes" if d == "redirected" else "Warns"
            for mode, extra in PASSES.items():
                for tree in ([], ["-Y", "sip"]):
                    with self.subTest(capture=os.path.basename(capture), mode=mode, tree=tree):
                        entries = harness.expert_entries(self.ts.run(
                            ["-n", "-r", capture, "-q", *extra, *tree, "-z", "expert"]),
                            diagnoses=True)
                        got = Counter({summary: n for section, n, group, summary in entries
                                       if group == "Sequence"})
                        self.assertEqual(got, want)
                        self.assertEqual({summary: section for section, _, group, summary
                                          in entries if group == "Sequence"}, severity)

    def test_bad_option(self):
        rc, _, err = self.ts.run_full(["-n", "-r", self.regs, "-q", "-z", "sipvi,registrations,x"])
        self.assertIn("-z sipvi,registrations,x: không hiểu tùy chọn; dùng -z sipvi,registrations "
                      "hoặc -z sipvi,registrations,csv (unknown option)", err)


class _Popen(subprocess.Popen):
    """Popen that keeps the child's rusage (wait4) instead of dropping it."""

    def _try_wait(self, wait_flags):
        pid, sts, usage = os.wait4(self.pid, wait_flags)
        if pid == self.pid:
            self.rss_kb = usage.ru_maxrss
        return pid, sts



DIAGNOSIS_CAPTURES = os.path.join(harness.CAPTURE_DIR, "diagnosis")


class RecordedDiagnosesTest(harness.PluginTestCase):
    """Every call and registration of tests/captures/diagnosis/ (recorded with sipp over UDP and
    TCP, plus generated ones), as its expected.tsv lists them: id, final code, evidence frames."""

    def rows_of(self, capture, extra):
        """Both reports from one tshark run, as (kind, Call-ID, id, final code, frames)."""
        out = self.ts.run(["-n", "-r", capture, "-q", *extra, "-z", "sipvi,calls,csv",
                           "-z", "sipvi,registrations,csv"])
        got, kind = [], None
        for row in csv.reader(out.splitlines()):
            if row[:2] in (CALLS_HEADER[:2], REGS_HEADER[:2]):
                header, kind = row, "call" if row == CALLS_HEADER else "registration"
                continue
            r = dict(zip(header, row, strict=True))
            got.append((kind, r["call_id"], r["diagnosis"], r["final_code"] or "-",
                        r["evidence_frames"].replace(" ", ",")))
        return sorted(got, key=lambda g: g[0])

    def test_expected_rows(self):
        with open(os.path.join(DIAGNOSIS_CAPTURES, "expected.tsv"), encoding="utf-8") as f:
            expected = [r for r in csv.DictReader(f, delimiter="\t")]
        by_file = {}
        for r in expected:
            by_file.setdefault(r["file"], []).append(r)
        self.assertGreaterEqual(len(by_file), 50)
        for name, rows in by_file.items():
            capture = self.ts.capture(name, DIAGNOSIS_CAPTURES)
            want = []
            for r in rows:
                if r["frames"] == "2k":
                    # The storm: one row per k = 1 … N, Call-ID and evidence frame from k.
                    size = int(r["note"].split(" rows")[0].replace(",", ""))
                    want += [(r["kind"], r["call_id"] % k, r["diagnosis"], r["final_code"],
                              str(2 * k)) for k in range(1, size + 1)]
                else:
                    want.append((r["kind"], r["call_id"], r["diagnosis"], r["final_code"],
                                 r["frames"]))
            want.sort(key=lambda w: w[0])
            # Every file in one pass; two passes on those that hold every case (time).
            modes = PASSES if name.startswith(("all-", "g16", "b0")) and "storm" not in name \
                else {"one-pass": []}
            for mode, extra in modes.items():
                with self.subTest(capture=name, mode=mode):
                    self.assertEqual(self.rows_of(capture, extra), want)


class StormTest(harness.PluginTestCase):
    """10,000 REGISTER Call-IDs: one row each, every answer defined, memory in proportion."""

    N = 10000

    def test_register_storm(self):
        path = os.path.join(self.ts.captures, "storm.pcap")
        subprocess.run([sys.executable, os.path.join(EDGE, "generate.py"), "--storm", str(self.N),
                        path], check=True)
        os.chmod(path, 0o644)
        rss = {}
        for mode, args in (("report", ["-z", "sipvi,registrations,csv"]), ("trees", ["-Y", "sip"])):
            proc = _Popen(self.ts.command(["-n", "-r", path, "-q", *args]), env=self.ts.env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
            out, err = proc.communicate(timeout=600)
            self.assertEqual((proc.returncode, err), (0, b""))
            rss[mode] = proc.rss_kb
            if mode == "report":
                header, rows = parse_csv(out.decode())
                self.assertEqual(header, REGS_HEADER)
        self.assertEqual(len(rows), self.N)
        counts = {}
        for i, row in enumerate(rows):
            self.assertEqual(row["call_id"], f"sipvi-storm-{i:05d}")
            counts[row["diagnosis"]] = counts.get(row["diagnosis"], 0) + 1
        # The unanswered ones are sent once each and the capture ends 10 s later: they could
        # still be answered (timer F is 32 s).
        self.assertEqual(counts, {"reg_ok": 2500, "reg_forbidden": 2500,
                                  "reg_capture_ended": 2500, "reg_auth_failed": 2500})
        # What the report keeps beyond the trees tshark builds anyway: at most 1 KiB a Call-ID.
        extra_kb = rss["report"] - rss["trees"]
        print(f"storm: peak RSS report {rss['report']} KiB, trees only {rss['trees']} KiB, "
              f"{extra_kb * 1024 / self.N:.0f} bytes per registration", file=sys.stderr)
        if not self.ts.sanitize:   # ASan's own bookkeeping grows with every allocation
            self.assertLessEqual(extra_kb, self.N * 1024 // 1024)


if __name__ == "__main__":
    unittest.main()
