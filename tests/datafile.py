"""An independent reading of data/*.tsv, written in Python on purpose: the tests compare what the
C generator compiled, and what the plugin shows, against this second reading of the same file."""

import csv
import os

SEVERITY_RANK = {"chat": 1, "note": 2, "warn": 3, "error": 4}


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        lines = [line for line in f.read().split("\n") if line and not line.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    return [dict(zip(header, row, strict=True)) for row in reader]


class Data:
    def __init__(self, data_dir):
        self.classes = {int(r["class"]): r for r in _rows(os.path.join(data_dir, "status_classes.tsv"))}
        self.codes = {int(r["code"]): r for r in _rows(os.path.join(data_dir, "status_codes.tsv"))}
        self.q850 = {int(r["cause"]): r for r in _rows(os.path.join(data_dir, "q850_causes.tsv"))}
        self.warnings = {int(r["code"]): r for r in _rows(os.path.join(data_dir, "warning_codes.tsv"))}
        self.cancel_reasons = {int(r["cause"]): r
                               for r in _rows(os.path.join(data_dir, "reason_sip_cancel.tsv"))}

    def severity(self, code):
        """The keyword the table must hold for a known code: its own, or its class's."""
        own = self.codes[code]["severity"]
        return self.classes[code // 100]["severity"] if own == "-" else own

    def expected(self, code):
        """What sipvi must show for a status code, as the fields tshark prints:
        code, class, meaning, severity (number), known (1/0); None for the class/meaning/severity
        of an invalid code."""
        if not 100 <= code <= 799:
            return {"code": code, "class": None, "meaning": None, "severity": None, "known": 0}
        klass = code // 100
        if code in self.codes:
            return {"code": code, "class": klass, "meaning": self.codes[code]["meaning"],
                    "severity": SEVERITY_RANK[self.severity(code)], "known": 1}
        name = self.classes[klass]["name"]
        stand_in = {1: 183, 7: None}.get(klass, klass * 100)
        if stand_in in self.codes:
            meaning = f"Mã chưa có trong bảng — lớp {name}, xử lý như {stand_in}"
        else:
            meaning = f"Mã chưa có trong bảng — lớp {name}"
        return {"code": code, "class": klass, "meaning": meaning,
                "severity": SEVERITY_RANK[self.classes[klass]["severity"]], "known": 0}
