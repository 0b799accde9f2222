"""scripts/triage --xlsx: the spreadsheet for Excel and LibreOffice holds no formula, whatever the
capture sends. A generated capture (tests/hostile_headers.py) puts formula text into Call-IDs,
From, To, reason phrases and Warning headers; the triage's CSV keeps it exactly, and every cell of
the .xlsx is a text cell (inline string, text format) that reads back as the CSV has it."""

import csv
import os
import re
import shlex
import subprocess
import sys
import shutil
import tempfile
import unittest
import zipfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SCRIPT = os.path.join(harness.SOURCE_DIR, "scripts", "triage")
sys.path.insert(0, os.path.join(harness.SOURCE_DIR, "scripts"))
import xlsxtext  # noqa: E402

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# What a spreadsheet reads as the start of a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def unescape(text):
    """OOXML's _xHHHH_ escape, as Excel and LibreOffice decode it."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def read_xlsx(path):
    """{sheet name: rows}, failing on anything that is not a text cell."""
    sheets = {}
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        workbook = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        styles = ET.fromstring(z.read("xl/styles.xml"))
        xfs = styles.find("m:cellXfs", NS).findall("m:xf", NS)
        for sheet in workbook.find("m:sheets", NS):
            part = "xl/" + targets[sheet.get(REL)]
            assert part in names, part
            root = ET.fromstring(z.read(part))
            if list(root.iter("{%s}f" % NS["m"])):
                raise AssertionError(f"{part}: a formula element <f>")
            rows = []
            for row in root.find("m:sheetData", NS):
                cells = []
                for c in row:
                    if c.get("t") != "inlineStr":
                        raise AssertionError(f"{part} {c.get('r')}: cell type {c.get('t')!r}, "
                                             "not an inline string")
                    if xfs[int(c.get("s", "0"))].get("numFmtId") != "49":
                        raise AssertionError(f"{part} {c.get('r')}: not in the text format @")
                    if c.find("m:v", NS) is not None or c.find("m:f", NS) is not None:
                        raise AssertionError(f"{part} {c.get('r')}: a value or formula element")
                    cells.append(unescape("".join(t.text or "" for t in c.iter("{%s}t" % NS["m"]))))
                rows.append(cells)
            sheets[sheet.get("name")] = rows
        assert not any(n.startswith("xl/sharedStrings") or "externalLink" in n for n in names), names
    return sheets


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


class TriageXlsxTest(harness.PluginTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ts = cls.ts
        cls.folder = os.path.join(ts.captures, "hostile")
        os.makedirs(cls.folder)
        subprocess.run([sys.executable, os.path.join(harness.SOURCE_DIR, "tests", "hostile_headers.py"),
                        os.path.join(cls.folder, "hostile.pcap")], check=True)
        os.chmod(cls.folder, 0o755)
        os.chmod(os.path.join(cls.folder, "hostile.pcap"), 0o644)
        shutil.copyfile(os.path.join(harness.CAPTURE_DIR, "call-486.pcapng"),
                        os.path.join(cls.folder, "call-486.pcapng"))
        os.chmod(os.path.join(cls.folder, "call-486.pcapng"), 0o644)
        cls.wrapper = os.path.join(ts.root, "tshark-wrapper")
        env = " ".join(shlex.quote(f"{k}={v}") for k, v in ts.env.items())
        with open(cls.wrapper, "w") as f:
            f.write(f"#!/bin/sh\nexec env -i {env} {' '.join(shlex.quote(c) for c in ts.command([]))}"
                    ' "$@"\n')
        os.chmod(cls.wrapper, 0o755)
        cls.out = tempfile.mkdtemp(prefix="sipvi-xlsx-")
        proc = subprocess.run([sys.executable, SCRIPT, cls.folder, "-o", cls.out, "--xlsx",
                               "--tshark", cls.wrapper], capture_output=True, text=True)
        if proc.returncode != 0:
            raise AssertionError(f"scripts/triage --xlsx exited {proc.returncode}:\n{proc.stderr}")
        cls.stderr = proc.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, True)

    def test_hostile_text_reaches_the_csv_exactly(self):
        calls = read_csv(os.path.join(self.out, "sipvi-calls.csv"))
        column = calls[0].index("call_id")
        ids = [row[column] for row in calls[1:]]
        for wanted in ("=1+2@evil", "+1+2@evil", "-2+3@evil", "@SUM(1)@evil"):
            self.assertIn(wanted, ids)
        regs = read_csv(os.path.join(self.out, "sipvi-registrations.csv"))
        self.assertIn('=HYPERLINK("http://evil")@evil', [row[regs[0].index("call_id")]
                                                          for row in regs[1:]])

    def test_no_cell_is_a_formula_and_every_value_round_trips(self):
        sheets = read_xlsx(os.path.join(self.out, "sipvi-triage.xlsx"))
        self.assertEqual(list(sheets), ["Cuộc gọi", "Đăng ký"])
        self.assertEqual(sheets["Cuộc gọi"], read_csv(os.path.join(self.out, "sipvi-calls.csv")))
        self.assertEqual(sheets["Đăng ký"],
                         read_csv(os.path.join(self.out, "sipvi-registrations.csv")))
        hostile = [v for rows in sheets.values() for row in rows for v in row
                   if v.startswith(FORMULA_START)]
        # The test proves something only if formula text did reach the sheets.
        self.assertGreaterEqual(len(hostile), 5, hostile)
        self.assertIn("spreadsheet", self.stderr)

    def test_text_xml_cannot_hold_round_trips(self):
        # What the SIP dissector does not pass on today may come tomorrow: control characters,
        # CR, OOXML's own escape written literally, markup, and a cell beyond Excel's limit.
        values = ["=1+2", "\x01ctl\x1f", "a\rb\nc\td", "_x0041_ and _X004a_", "<f>=1</f> & ]]>",
                  " lead and trail ", "\ufffe", "tiếng Việt"]
        path = os.path.join(self.out, "direct.xlsx")
        notes = xlsxtext.write(path, [("S", [["h"] * len(values), values]),
                                      ("L", [["x" * (xlsxtext.MAX_CELL + 5)]])])
        sheets = read_xlsx(path)
        self.assertEqual(sheets["S"], [["h"] * len(values), values])
        self.assertEqual(len(sheets["L"][0][0]), xlsxtext.MAX_CELL)
        self.assertEqual(len(notes), 1, notes)
        self.assertIn("L: 1 ô", notes[0])


if __name__ == "__main__":
    unittest.main()
