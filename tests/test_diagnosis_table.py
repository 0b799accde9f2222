"""The GUI tables of diagnoses (Telephony → Chẩn đoán cuộc gọi / đăng ký (sipvi)), in tshark:
-z sipvi,calls_table and -z sipvi,registrations_table print the table the window shows
(tests/gui/test_gui_diagnosis.py reads it there). Asserted here: on every capture of
tests/captures/diagnosis/ and the triage calls, one pass and -2, each row holds exactly what the
CSV reports say of the same call or registration (diagnosis, title, explanation, what to check,
evidence frames, final code), in the same order; alone, the table still has SIP's header tree
(the codecs of an INVITE in frame 1); a display filter limits it to the frames it matches."""

import csv
import glob
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

DIAGNOSIS = os.path.join(harness.CAPTURE_DIR, "diagnosis")
TRIAGE = os.path.join(harness.CAPTURE_DIR, "triage")
TITLES = {"calls": "Chẩn đoán cuộc gọi (sipvi):", "registrations": "Chẩn đoán đăng ký (sipvi):"}
CALL_COLUMNS = ["Khung đầu", "Tiêu đề", "Mã", "Bên gọi", "Bên được gọi", "Khung bằng chứng",
                "Chẩn đoán", "Call-ID", "Giải thích", "Kiểm tra"]
# The media columns per direction (docs/media.md): CSV figure, the table's format.
MEDIA_COLUMNS = {}
for _dir, _who in (("to_caller", "bên gọi"), ("to_callee", "bên được gọi")):
    MEDIA_COLUMNS.update({
        f"Gói RTP tới {_who}": (f"rtp_{_dir}_packets",),
        f"Mất gói tới {_who} (%)": (f"rtp_{_dir}_lost_pct",),
        f"Jitter tới {_who} (ms, trung bình/tối đa)": (f"rtp_{_dir}_mean_jitter_ms",
                                                      f"rtp_{_dir}_max_jitter_ms"),
        f"MOS tới {_who}": (f"rtp_{_dir}_mos",),
    })
CALL_COLUMNS += list(MEDIA_COLUMNS)
REG_COLUMNS = ["Khung đầu", "Tiêu đề", "Mã", "Địa chỉ đăng ký (AOR)", "Khung bằng chứng",
               "Chẩn đoán", "Call-ID", "Giải thích", "Kiểm tra"]


def tables(text):
    """{report: (columns, rows)} of tshark's simple tables, each row a list of cells."""
    result, report, lines = {}, None, text.splitlines()
    i = 0
    while i < len(lines):
        report = next((r for r, t in TITLES.items() if lines[i] == t), None)
        if report is None:
            i += 1
            continue
        columns = [c.strip() for c in lines[i + 2].split(" |")[:-1]]
        rows = []
        i += 4  # title, filter, header, the table's own title
        while not lines[i].startswith("====="):
            rows.append([c.strip() for c in lines[i].split(" |")[:-1]])
            i += 1
        result[report] = (columns, rows)
    return result


def csv_reports(text):
    """{report: [dict]} of -z sipvi,calls,csv and -z sipvi,registrations,csv in one output."""
    result, report, header = {}, None, None
    for row in csv.reader(text.splitlines()):
        if row[:2] in (["start_s", "caller"], ["start_s", "aor"]):
            report = "calls" if row[1] == "caller" else "registrations"
            header = row
            result[report] = []
            continue
        result[report].append(dict(zip(header, row, strict=True)))
    return result


def frames_of_csv(text):
    """The CSV's evidence "4 5 +3" as the table shows it: "4, 5 (+3)"."""
    more = re.search(r" \+(\d+)$", text)
    frames = re.sub(r" \+\d+$", "", text).split()
    return ", ".join(frames) + (f" (+{more.group(1)})" if more else "")


def captures():
    found = sorted(glob.glob(os.path.join(DIAGNOSIS, "*.pcap*")))
    # The storm's 10,000 registrations are StormTest's (test_diagnosis.py).
    found = [c for c in found if "storm" not in c]
    # The media captures: the media columns, and an answered call's media diagnosis (issue 21).
    media = sorted(glob.glob(os.path.join(harness.CAPTURE_DIR, "media", "*.pcap*")))
    return found + [os.path.join(TRIAGE, "all-calls.pcapng")] + media


class DiagnosisTableTest(harness.PluginTestCase):

    def both(self, capture, extra):
        capture = self.ts.capture(capture)
        table_out = self.ts.run(["-n", "-r", capture, "-q", *extra, "-z", "sipvi,calls_table",
                                 "-z", "sipvi,registrations_table"])
        csv_out = self.ts.run(["-n", "-r", capture, "-q", *extra, "-z", "sipvi,calls,csv",
                               "-z", "sipvi,registrations,csv"])
        return tables(table_out), csv_reports(csv_out)

    def assert_media_cells(self, cell, row):
        """The table's media cells say what the CSV's say, rounded to the table's precision;
        empty exactly where the CSV's are."""
        for column, names in MEDIA_COLUMNS.items():
            want = [row[n] for n in names]
            got = cell[column].split("/") if cell[column] else []
            if not all(want):
                self.assertEqual(cell[column], "", (column, row["call_id"]))
                continue
            self.assertEqual(len(got), len(want), (column, cell[column]))
            for g, w in zip(got, want):
                self.assertAlmostEqual(float(g), float(w), delta=0.051, msg=(column, row["call_id"]))

    def test_tables_equal_reports(self):
        all_captures = captures()
        self.assertGreaterEqual(len(all_captures), 50)
        seen = set()
        for capture in all_captures:
            name = os.path.basename(capture)
            modes = harness.PASSES if name.startswith("all-") or name.startswith("r-oneway") \
                else {"one-pass": []}
            for mode, extra in modes.items():
                with self.subTest(capture=os.path.basename(capture), mode=mode):
                    got, want = self.both(capture, extra)
                    self.assertEqual(got["calls"][0], CALL_COLUMNS)
                    self.assertEqual(got["registrations"][0], REG_COLUMNS)
                    for report, person in (("calls", "caller"), ("registrations", "aor")):
                        columns, rows = got[report]
                        cells = [dict(zip(columns, r, strict=True)) for r in rows]
                        expected = [{
                            "Tiêu đề": w["diagnosis_title"], "Mã": w["final_code"] or "—",
                            "Khung bằng chứng": frames_of_csv(w["evidence_frames"]),
                            "Chẩn đoán": w["diagnosis"], "Call-ID": w["call_id"],
                            "Giải thích": w["explanation"], "Kiểm tra": w["check"],
                            "person": w[person]} for w in want[report]]
                        shown = [{k: c[k] for k in expected[0] if k != "person"} |
                                 {"person": c["Bên gọi" if person == "caller"
                                              else "Địa chỉ đăng ký (AOR)"]}
                                 for c in cells] if expected else cells
                        self.assertEqual(shown, expected)
                        if report == "calls":
                            for c, w in zip(cells, want[report], strict=True):
                                self.assert_media_cells(c, w)
                        seen.update(w["diagnosis"] for w in want[report])
                        # Each row starts at a frame of its Call-ID, in increasing order.
                        firsts = [int(c["Khung đầu"]) for c in cells]
                        self.assertEqual(firsts, sorted(firsts))
        # Every diagnosis appears in some table.
        self.assertGreaterEqual(len(seen), 22, sorted(seen))

    def test_codecs_of_frame_one(self):
        # The table alone asks for SIP's header tree from the first frame: the 488's explanation
        # names the codecs of the INVITE in frame 1.
        capture = os.path.join(DIAGNOSIS, "d09-codec_mismatch-udp.pcapng")
        got, _ = self.both(capture, [])
        columns, rows = got["calls"]
        row = dict(zip(columns, rows[0], strict=True))
        self.assertEqual((row["Khung đầu"], row["Chẩn đoán"], row["Mã"]), ("1", "codec_mismatch", "488"))
        self.assertIn("INVITE ở khung 1 đề nghị: audio PCMU/8000 (0), PCMA/8000 (8), G729/8000 (18)",
                      row["Giải thích"])

    def test_display_filter(self):
        capture = self.ts.capture("all-calls.pcapng", TRIAGE)
        out = self.ts.run(["-n", "-r", capture, "-q", "-z", "sipvi,calls_table,frame.number<=15"])
        self.assertIn("Filter for statistics: frame.number<=15", out)
        columns, rows = tables(out)["calls"]
        self.assertEqual([(r[0], r[6]) for r in rows],
                         [("1", "answered"), ("8", "busy"), ("12", "no_answer")])

    def test_bad_display_filter(self):
        capture = self.ts.capture("all-calls.pcapng", TRIAGE)
        rc, out, err = self.ts.run_full(["-n", "-r", capture, "-q", "-z", "sipvi,calls_table,foo=="])
        self.assertIn('Filter "foo==" is invalid', err)
        self.assertNotIn("Chẩn đoán cuộc gọi (sipvi):", out)


if __name__ == "__main__":
    unittest.main()
