"""The diagnosis on public real-world captures, against labels made by hand from each ladder.

tests/captures/real/ holds captures taken from public repositories (SOURCES.tsv: repository,
commit, path, licence, sha256) and labels.tsv: one row per call (INVITE dialog) and per
registration (REGISTER Call-ID), each with the diagnosis id a reader of the plain tshark ladder
expects, the frames that show it and a note. The labels were written and committed before sipvi's
answers were looked at (README.md there). This test runs the built plugin in the real tshark on
every capture, reads -z sipvi,calls,csv and -z sipvi,registrations,csv, matches the rows to the
labels and requires:
  - at least 95 % agreement over all units, and over calls alone; a row no label accounts for
    (a call sipvi invents) counts against the figure like a wrong answer;
  - no media or NAT diagnosis on a call labelled answered.
Every disagreement is printed (file, Call-ID, expected, got, the label's note). With
SIPVI_CORPUS_REPORT=path the disagreements are also written there as TSV.
"""

import csv
import hashlib
import io
import os
import sys
import unittest

from harness import CAPTURE_DIR, PluginTestCase

REAL_DIR = os.path.join(CAPTURE_DIR, "real")
THRESHOLD = 0.95

# The ids of /work/coord CONTRACT (issue 22); a label outside them is a typo, not a disagreement.
CALL_IDS = {
    "answered", "ack_missing", "auth_failed", "forbidden", "busy", "no_answer", "unreachable",
    "caller_cancelled", "cancelled", "answered_elsewhere", "rejected", "number_invalid", "no_route",
    "number_changed", "codec_mismatch", "not_implemented", "server_error", "downstream_failure",
    "capacity", "redirected", "loop", "no_response", "network_refused", "no_final_response",
    "capture_ended", "invite_missing", "bye_failed", "media_private_address", "other_failure",
    # issue 21's media ids (CONTRACT): a label carries one only where the capture's RTP shows it
    "no_media", "one_way_media", "media_stopped", "media_loss", "media_jitter",
    "media_address_mismatch",
}
REGISTRATION_IDS = {"reg_ok", "reg_auth_failed", "reg_forbidden", "reg_rejected", "reg_no_response",
                    "reg_capture_ended"}
# Never on a call the ladder shows answered and fine.
MEDIA_OR_NAT_IDS = {"media_private_address", "no_media", "one_way_media", "media_stopped",
                    "media_loss", "media_jitter", "media_address_mismatch"}
# Two rows of one Call-ID are told apart by their first message's time (3 decimals in the CSV).
START_TOLERANCE_S = 0.0015


def read_tsv(name):
    with open(os.path.join(REAL_DIR, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def report_rows(text, first_column):
    """The CSV rows of a -z sipvi report: from its header line (the one starting first_column)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(first_column + ","):
            return list(csv.DictReader(io.StringIO("\n".join(lines[i:]) + "\n")))
    raise AssertionError(f"no CSV header starting {first_column!r} in:\n{text[:2000]}")


def match(labels, rows):
    """Pairs each label with one row of its Call-ID (by start time when the Call-ID has several).
    Returns [(label, row or None)] and the rows no label took."""
    free = list(rows)
    pairs = []
    for label in labels:
        same = [r for r in free if r["call_id"] == label["call_id"]]
        if len(same) > 1:
            start = float(label["start_s"])
            same = [r for r in same if abs(float(r["start_s"]) - start) <= START_TOLERANCE_S] or same
        row = same[0] if same else None
        if row is not None:
            free.remove(row)
        pairs.append((label, row))
    return pairs, free


class RealCorpus(PluginTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sources = read_tsv("SOURCES.tsv")
        cls.labels = read_tsv("labels.tsv")
        cls.results = {"call": [], "registration": []}  # (file, label or None, row or None)
        cls.pass_differences = []
        for source in cls.sources:
            name = source["file"]
            path = cls.ts.capture(name, REAL_DIR)
            # SIP on a port Wireshark gives to another protocol is read as a user would: Decode As.
            decode = source.get("decode_as", "none")
            opts = ["-n"] + (["-d", decode] if decode != "none" else [])
            for kind, report in (("call", "calls"), ("registration", "registrations")):
                out = cls.ts.run(opts + ["-r", path, "-q", "-z", f"sipvi,{report},csv"])
                rows = report_rows(out, "start_s")
                # The same answers when tshark reads the file twice (-2).
                two = report_rows(cls.ts.run(opts + ["-r", path, "-2", "-q", "-z",
                                                     f"sipvi,{report},csv"]), "start_s")
                one_pass = [(r["call_id"], r["start_s"], r["diagnosis"]) for r in rows]
                two_pass = [(r["call_id"], r["start_s"], r["diagnosis"]) for r in two]
                if one_pass != two_pass:
                    cls.pass_differences.append((name, kind, one_pass, two_pass))
                labels = [lb for lb in cls.labels if lb["file"] == name and lb["kind"] == kind]
                pairs, extra = match(labels, rows)
                cls.results[kind] += [(name, lb, row) for lb, row in pairs]
                cls.results[kind] += [(name, None, row) for row in extra]
        cls.disagreements = []
        for kind, results in cls.results.items():
            for name, label, row in results:
                expected = label["expected"] if label else "(no call here)"
                got = row["diagnosis"] if row else "(no row)"
                if expected != got:
                    cls.disagreements.append({
                        "kind": kind, "file": name,
                        "call_id": (label or row)["call_id"], "expected": expected, "got": got,
                        "confidence": label["confidence"] if label else "",
                        "note": label["note"] if label else "a row no label accounts for",
                        "sipvi_evidence": row["evidence_frames"] if row else ""})
        cls.print_disagreements()

    @classmethod
    def agreement(cls, kinds):
        units = [u for k in kinds for u in cls.results[k]]
        good = sum(1 for _, label, row in units
                   if label and row and row["diagnosis"] == label["expected"])
        return good, len(units)

    @classmethod
    def print_disagreements(cls):
        out = [f"{len(cls.disagreements)} disagreement(s):"]
        for d in cls.disagreements:
            out.append(f"  {d['file']}  {d['kind']}  {d['call_id']}: expected {d['expected']}, "
                       f"got {d['got']} (sipvi frames {d['sipvi_evidence'] or '-'}; label "
                       f"{d['confidence'] or '-'}) -- {d['note']}")
        for title, kinds in (("all", ("call", "registration")), ("calls", ("call",)),
                             ("registrations", ("registration",))):
            good, total = cls.agreement(kinds)
            out.append(f"agreement {title}: {good}/{total} = {100.0 * good / max(total, 1):.1f} %")
        print("\n".join(out), file=sys.stderr)
        target = os.environ.get("SIPVI_CORPUS_REPORT")
        if target:
            fields = ["kind", "file", "call_id", "expected", "got", "confidence", "note",
                      "sipvi_evidence"]
            with open(target, "w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, fields, delimiter="\t", lineterminator="\n")
                writer.writeheader()
                writer.writerows(cls.disagreements)
                for title, kinds in (("all", ("call", "registration")), ("calls", ("call",)),
                                     ("registrations", ("registration",))):
                    good, total = cls.agreement(kinds)
                    f.write(f"# agreement {title}: {good}/{total}\n")

    def test_sources_match_the_files(self):
        # Each committed capture is the one its row names: same bytes as recorded, nothing else.
        listed = sorted(s["file"] for s in self.sources)
        present = sorted(f for f in os.listdir(REAL_DIR) if ".pcap" in f)
        self.assertEqual(present, listed)
        for s in self.sources:
            with open(os.path.join(REAL_DIR, s["file"]), "rb") as f:
                self.assertEqual(hashlib.sha256(f.read()).hexdigest(), s["sha256"], s["file"])
            for key in ("repository", "commit", "path", "licence", "cut", "decode_as"):
                self.assertTrue(s[key].strip(), f"{s['file']}: {key} is empty")
            self.assertRegex(s["commit"], r"^[0-9a-f]{40}$")

    def test_every_file_has_labels(self):
        labelled = {lb["file"] for lb in self.labels}
        self.assertEqual(labelled, {s["file"] for s in self.sources})

    def test_labels_use_the_contract_ids(self):
        for lb in self.labels:
            ids = CALL_IDS if lb["kind"] == "call" else REGISTRATION_IDS
            self.assertIn(lb["kind"], ("call", "registration"), lb)
            self.assertIn(lb["expected"], ids, lb)
            self.assertIn(lb["confidence"], ("high", "medium", "low"), lb)
            self.assertTrue(lb["note"].strip() and lb["evidence_frames"].strip(), lb)

    def test_corpus_size(self):
        # Issue 22 asks for at least 100 units from 15 files of 5 sources (README.md gives the
        # counts); this also guards what is there from shrinking.
        self.assertGreaterEqual(len(self.labels), 104)
        self.assertGreaterEqual(len(self.sources), 27)
        self.assertGreaterEqual(len({s["repository"] for s in self.sources}), 9)

    def test_agreement_overall(self):
        good, total = self.agreement(("call", "registration"))
        self.assertGreaterEqual(good, THRESHOLD * total,
                                f"{good}/{total} agree; disagreements are printed above")

    def test_agreement_calls(self):
        good, total = self.agreement(("call",))
        self.assertGreaterEqual(good, THRESHOLD * total,
                                f"{good}/{total} calls agree; disagreements are printed above")

    def test_same_answers_in_two_passes(self):
        self.assertEqual(self.pass_differences, [])

    def test_no_media_or_nat_alarm_on_answered_calls(self):
        # Any column: the media issue may report its finding beside the diagnosis.
        alarms = [(name, label["call_id"], key, value)
                  for name, label, row in self.results["call"]
                  if label and row and label["expected"] == "answered"
                  for key, value in row.items() if key and value
                  for word in value.replace(";", " ").replace("|", " ").split()
                  if word in MEDIA_OR_NAT_IDS]
        self.assertEqual(alarms, [])


if __name__ == "__main__":
    unittest.main()
