"""The generator refuses bad data with "file:line: what is wrong", and the build fails with it."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DATA_DIR, SOURCE_DIR, require_env  # noqa: E402

CODES = "status_codes.tsv"
CLASSES = "status_classes.tsv"
Q850 = "q850_causes.tsv"
WARNINGS = "warning_codes.tsv"
CANCEL_REASONS = "reason_sip_cancel.tsv"
DIAGNOSES = "diagnoses.tsv"


def read(name):
    with open(os.path.join(DATA_DIR, name), "rb") as f:
        return f.read()


def line_of(content, prefix):
    """1-based number of the first line of content that starts with prefix."""
    for number, line in enumerate(content.split(b"\n"), 1):
        if line.startswith(prefix):
            return number
    raise AssertionError(f"no line starts with {prefix!r}")


def replace_row(content, code, new_row):
    lines = content.split(b"\n")
    lines[line_of(content, code + b"\t") - 1] = new_row
    return b"\n".join(lines)


def row_fields(content, code):
    return content.split(b"\n")[line_of(content, code + b"\t") - 1].split(b"\t")


class GeneratorTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.tablegen = require_env("SIPVI_TABLEGEN")
        self.dir = tempfile.mkdtemp(prefix="sipvi-tablegen-")
        self.addCleanup(shutil.rmtree, self.dir)
        self.codes, self.classes = read(CODES), read(CLASSES)
        self.q850, self.warnings = read(Q850), read(WARNINGS)
        self.diagnoses = read(DIAGNOSES)

    def generate(self, codes=None, classes=None, q850=None, warnings=None, cancel_reasons=None,
                 diagnoses=None):
        paths = {}
        for name, content in ((CODES, codes or self.codes), (CLASSES, classes or self.classes),
                              (Q850, q850 or self.q850), (WARNINGS, warnings or self.warnings),
                              (CANCEL_REASONS, cancel_reasons or read(CANCEL_REASONS)),
                              (DIAGNOSES, diagnoses or self.diagnoses)):
            paths[name] = os.path.join(self.dir, name)
            with open(paths[name], "wb") as f:
                f.write(content)
        out = os.path.join(self.dir, "table.c")
        proc = subprocess.run([self.tablegen, paths[CLASSES], paths[CODES], paths[Q850],
                               paths[WARNINGS], paths[CANCEL_REASONS], paths[DIAGNOSES], out],
                              capture_output=True)
        return proc, paths, out

    def assert_rejected(self, expected_lines, codes=None, classes=None, q850=None, warnings=None,
                        cancel_reasons=None, diagnoses=None):
        proc, paths, out = self.generate(codes, classes, q850, warnings, cancel_reasons, diagnoses)
        stderr = proc.stderr.decode("utf-8")
        self.assertEqual(proc.returncode, 1, stderr)
        self.assertFalse(os.path.exists(out), "a table was written from bad data")
        got = [line for line in stderr.splitlines() if not line.startswith("sipvi-tablegen:")]
        want = [f"{paths[name]}:{line}: {message}" for name, line, message in expected_lines]
        self.assertEqual(got, want)
        self.assertIn("no table written", stderr)

    def test_good_data_is_compiled(self):
        proc, _, out = self.generate()
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())
        self.assertEqual(proc.stderr, b"")
        with open(out, encoding="ascii") as f:   # non-ASCII text is escaped
            self.assertIn("sipvi_status_table", f.read())

    def test_duplicate_code(self):
        first = line_of(self.codes, b"486\t")
        codes = self.codes.rstrip(b"\n") + b"\n" + self.codes.split(b"\n")[first - 1] + b"\n"
        last = len(codes.rstrip(b"\n").split(b"\n"))
        self.assert_rejected([(CODES, last, f"duplicate code 486 (first defined at line {first})")],
                             codes=codes)

    def test_code_outside_range(self):
        for code in (b"99", b"800", b"1000", b"0"):
            with self.subTest(code=code):
                fields = row_fields(self.codes, b"486")
                codes = replace_row(self.codes, b"486", b"\t".join([code] + fields[1:]))
                self.assert_rejected([(CODES, line_of(self.codes, b"486\t"),
                                       f"code {int(code)} is outside 100–799")], codes=codes)

    def test_code_not_a_number(self):
        for code in (b"48x", b"+486", b" 486"):
            with self.subTest(code=code):
                fields = row_fields(self.codes, b"486")
                codes = replace_row(self.codes, b"486", b"\t".join([code] + fields[1:]))
                message = (f"code '{code.decode()}' is not a number" if code != b" 486"
                           else "code has leading or trailing spaces")
                self.assert_rejected([(CODES, line_of(self.codes, b"486\t"), message)], codes=codes)

    def test_wrong_column_count(self):
        fields = row_fields(self.codes, b"486")
        for n in (6, 8):
            with self.subTest(fields=n):
                row = b"\t".join((fields + [b"extra"])[:n])
                self.assert_rejected([(CODES, line_of(self.codes, b"486\t"),
                                       f"wrong column count: {n} fields, expected 7 (code … severity), "
                                       "separated by one TAB each")],
                                     codes=replace_row(self.codes, b"486", row))

    def test_empty_meaning(self):
        fields = row_fields(self.codes, b"486")
        fields[2] = b""
        self.assert_rejected([(CODES, line_of(self.codes, b"486\t"), "empty meaning")],
                             codes=replace_row(self.codes, b"486", b"\t".join(fields)))

    def test_invalid_utf8(self):
        fields = row_fields(self.codes, b"486")
        fields[2] = "Máy bận".encode("latin-1", "replace")
        self.assert_rejected([(CODES, line_of(self.codes, b"486\t"),
                               "invalid UTF-8 (byte 0xE1 at character 16): save the file as UTF-8")],
                             codes=replace_row(self.codes, b"486", b"\t".join(fields)))

    def test_text_not_in_nfc(self):
        fields = row_fields(self.codes, b"486")
        fields[2] = "Ma\u0301y bận".encode()
        self.assert_rejected([(CODES, line_of(self.codes, b"486\t"),
                               "text is not in NFC form (combining mark U+0301 at character 17): "
                               "use precomposed Vietnamese letters")],
                             codes=replace_row(self.codes, b"486", b"\t".join(fields)))

    def test_unknown_severity(self):
        fields = row_fields(self.codes, b"486")
        fields[6] = b"fatal"
        self.assert_rejected([(CODES, line_of(self.codes, b"486\t"),
                               "unknown severity 'fatal' (expected - for the class default, chat, "
                               "note, warn or error)")],
                             codes=replace_row(self.codes, b"486", b"\t".join(fields)))

    def test_unknown_registered_value(self):
        fields = row_fields(self.codes, b"486")
        fields[5] = b"yes"
        self.assert_rejected([(CODES, line_of(self.codes, b"486\t"),
                               "unknown registered value 'yes' (expected iana or non-standard)")],
                             codes=replace_row(self.codes, b"486", b"\t".join(fields)))

    def test_class_without_a_name(self):
        fields = row_fields(self.classes, b"4")
        fields[1] = b""
        self.assert_rejected([(CLASSES, line_of(self.classes, b"4\t"), "empty name")],
                             classes=replace_row(self.classes, b"4", b"\t".join(fields)))

    def test_class_missing(self):
        classes = b"\n".join(line for line in self.classes.split(b"\n") if not line.startswith(b"7\t"))
        codes_700 = line_of(self.codes, b"700\t")
        self.assert_rejected([(CLASSES, 1, "class 7 has no row: every class 1–7 needs a name"),
                              (CODES, codes_700, f"class 7 of code 700 has no name in "
                               f"{os.path.join(self.dir, CLASSES)}")], classes=classes)

    def test_bad_header(self):
        codes = self.codes.replace(b"code\treason\tmeaning", b"code\treason\tmeanings", 1)
        self.assert_rejected([(CODES, line_of(self.codes, b"code\t"),
                               "header must be: code<TAB>reason<TAB>meaning<TAB>detail<TAB>"
                               "reference<TAB>registered<TAB>severity")], codes=codes)

    def test_every_error_is_reported(self):
        codes = self.codes
        for code, column, value in ((b"486", 2, b""), (b"404", 6, b"loud")):
            fields = row_fields(codes, code)
            fields[column] = value
            codes = replace_row(codes, code, b"\t".join(fields))
        self.assert_rejected([(CODES, line_of(self.codes, b"404\t"),
                               "unknown severity 'loud' (expected - for the class default, chat, "
                               "note, warn or error)"),
                              (CODES, line_of(self.codes, b"486\t"), "empty meaning")], codes=codes)

    def test_q850_cause_outside_range_duplicate_and_empty(self):
        fields = row_fields(self.q850, b"16")
        q850 = replace_row(self.q850, b"16", b"\t".join([b"128"] + fields[1:]))
        q850 = q850.rstrip(b"\n") + b"\n" + b"\t".join(row_fields(self.q850, b"17")) + b"\n"
        last = len(q850.rstrip(b"\n").split(b"\n"))
        empty = row_fields(self.q850, b"21")
        empty[2] = b""
        q850 = replace_row(q850, b"21", b"\t".join(empty))
        self.assert_rejected([(Q850, line_of(self.q850, b"16\t"), "cause 128 is outside 1–127"),
                              (Q850, line_of(self.q850, b"21\t"), "empty meaning"),
                              (Q850, last, f"duplicate cause 17 (first defined at line "
                                           f"{line_of(self.q850, b'17' + bytes([9]))})")], q850=q850)

    def test_warning_code_outside_range_and_column_count(self):
        fields = row_fields(self.warnings, b"305")
        warnings = replace_row(self.warnings, b"305", b"\t".join([b"400"] + fields[1:]))
        warnings = replace_row(warnings, b"370", b"370\tInsufficient bandwidth")
        self.assert_rejected([(WARNINGS, line_of(self.warnings, b"305\t"), "code 400 is outside 300–399"),
                              (WARNINGS, line_of(self.warnings, b"370\t"),
                               "wrong column count: 2 fields, expected 3 (code … meaning), "
                               "separated by one TAB each")], warnings=warnings)

    def test_cancel_reason_outside_range_and_empty(self):
        content = read(CANCEL_REASONS)
        header = line_of(content, b"cause\t")
        bad = content.rstrip(b"\n") + b"\n99\tQu\xc3\xa1 nh\xe1\xbb\x8f\n486\t\n"
        self.assert_rejected([(CANCEL_REASONS, header + 2, "cause 99 is outside 100–799"),
                              (CANCEL_REASONS, header + 3, "empty meaning")], cancel_reasons=bad)

    def test_diagnosis_unknown_placeholder_unknown_id_and_scope(self):
        busy = row_fields(self.diagnoses, b"busy")
        busy[3] = "Bên được gọi báo bận: {code} ({nghĩa})".encode()
        diagnoses = replace_row(self.diagnoses, b"busy", b"\t".join(busy))
        loop = row_fields(self.diagnoses, b"loop")
        diagnoses = replace_row(diagnoses, b"loop", b"\t".join([b"loops"] + loop[1:]))
        reg = row_fields(self.diagnoses, b"reg_ok")
        diagnoses = replace_row(diagnoses, b"reg_ok", b"\t".join([reg[0], b"call"] + reg[2:]))
        brace = row_fields(self.diagnoses, b"rejected")
        brace[3] = b"{code"
        diagnoses = replace_row(diagnoses, b"rejected", b"\t".join(brace))
        self.assert_rejected([
            (DIAGNOSES, line_of(self.diagnoses, b"busy\t"),
             "explanation: unknown placeholder {nghĩa} (known: code, meaning, q850, count, codecs, "
             "warning, addr, source, seconds, retry_after, aor, fragments, frames)"),
            (DIAGNOSES, line_of(self.diagnoses, b"rejected\t"), "explanation: '{' without '}'"),
            (DIAGNOSES, line_of(self.diagnoses, b"loop\t"),
             "unknown diagnosis id 'loops': the rules in plugin/sipvi_diagnosis.c produce only the "
             "ids listed in table/sipvi_table.h"),
            (DIAGNOSES, line_of(self.diagnoses, b"reg_ok\t"),
             "scope of reg_ok must be registration, not 'call'"),
            (DIAGNOSES, 1, "diagnosis loop has no row: every id the rules produce needs a title and "
                           "an explanation"),
        ], diagnoses=diagnoses)

    def test_diagnosis_duplicate_and_empty_title(self):
        busy = self.diagnoses.split(b"\n")[line_of(self.diagnoses, b"busy\t") - 1]
        diagnoses = self.diagnoses.rstrip(b"\n") + b"\n" + busy + b"\n"
        last = len(diagnoses.rstrip(b"\n").split(b"\n"))
        fields = row_fields(self.diagnoses, b"capacity")
        fields[2] = b""
        diagnoses = replace_row(diagnoses, b"capacity", b"\t".join(fields))
        self.assert_rejected([
            (DIAGNOSES, line_of(self.diagnoses, b"capacity\t"), "empty title"),
            (DIAGNOSES, last, f"duplicate id busy (first defined at line "
                              f"{line_of(self.diagnoses, b'busy' + bytes([9]))})"),
        ], diagnoses=diagnoses)

    def test_missing_file(self):
        missing = os.path.join(self.dir, "nowhere.tsv")
        proc = subprocess.run([self.tablegen, missing, missing, missing, missing, missing, missing,
                               os.path.join(self.dir, "t.c")], capture_output=True)
        self.assertEqual(proc.returncode, 1)
        self.assertIn(f"{missing}: cannot open: No such file or directory", proc.stderr.decode())


class BuildFailsOnBadDataTest(unittest.TestCase):
    """A real CMake build pointed at bad data stops with the generator's message."""

    def test_build_fails(self):
        work = tempfile.mkdtemp(prefix="sipvi-badbuild-")
        self.addCleanup(shutil.rmtree, work)
        data = os.path.join(work, "data")
        os.makedirs(data)
        for name in (CLASSES, Q850, WARNINGS, CANCEL_REASONS, DIAGNOSES):
            shutil.copy(os.path.join(DATA_DIR, name), data)
        codes = read(CODES)
        fields = row_fields(codes, b"486")
        fields[6] = b"fatal"
        with open(os.path.join(data, CODES), "wb") as f:
            f.write(replace_row(codes, b"486", b"\t".join(fields)))
        build = os.path.join(work, "build")
        subprocess.run(["cmake", "-S", SOURCE_DIR, "-B", build, f"-DSIPVI_DATA_DIR={data}",
                        "-DBUILD_TESTING=OFF"], check=True, capture_output=True)
        proc = subprocess.run(["cmake", "--build", build, "--target", "sipvi_table"],
                              capture_output=True)
        output = (proc.stdout + proc.stderr).decode("utf-8", "replace")
        self.assertNotEqual(proc.returncode, 0, output)
        self.assertIn(f"{os.path.join(data, CODES)}:{line_of(codes, b'486' + bytes([9]))}: "
                      "unknown severity 'fatal'", output)


if __name__ == "__main__":
    unittest.main()
