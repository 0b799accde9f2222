"""One term per idea: the Vietnamese texts of the tree use only what data/glossary.tsv allows, and
the checker (tests/glossary_check.py) really finds what it forbids, with file and line."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import glossary_check  # noqa: E402

SOURCE_DIR = os.environ.get("SIPVI_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))
CHECKER = os.path.join(SOURCE_DIR, "tests", "glossary_check.py")


def glossary_line(preferred):
    """Line number of the glossary row whose preferred term is given."""
    with open(os.path.join(SOURCE_DIR, "data", "glossary.tsv"), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.split("\t")[0] == preferred:
                return number
    raise AssertionError(f"no glossary row for {preferred!r}")


class TreeTest(unittest.TestCase):
    def test_the_tree_follows_the_glossary(self):
        problems = glossary_check.check(SOURCE_DIR)
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def test_the_glossary_decides_the_review_terms(self):
        terms, errors = glossary_check.read_glossary(SOURCE_DIR)
        self.assertEqual(errors, [])
        variants = {v: t.preferred for t in terms for v, _ in t.variants}
        self.assertEqual(variants["số gọi"], "số chủ gọi / số bị gọi")
        self.assertEqual(variants["thông điệp"], "bản tin")
        self.assertEqual(variants["phương tiện"], "media")
        self.assertEqual(variants["chuyển cuộc gọi"], "chuyển hướng cuộc gọi / chuyển máy")
        self.assertEqual(variants["mạng chuyển tiếp"], "trung chuyển")
        self.assertEqual(variants["dự phòng"], "dành riêng")
        self.assertEqual(variants["truy cập"], "truy nhập")
        self.assertEqual(variants["mã cảnh báo"], "mã Warning")


class PlantedVariantsTest(unittest.TestCase):
    """A copy of the glossary over a small tree with variants planted at known places."""

    maxDiff = None

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="sipvi-glossary-")
        self.addCleanup(shutil.rmtree, self.root)
        for folder in ("data", "plugin", "table"):
            os.makedirs(os.path.join(self.root, folder))
        shutil.copy(os.path.join(SOURCE_DIR, "data", "glossary.tsv"), os.path.join(self.root, "data"))

    def write(self, rel, text):
        os.makedirs(os.path.dirname(os.path.join(self.root, rel)), exist_ok=True)
        with open(os.path.join(self.root, rel), "w", encoding="utf-8") as f:
            f.write(text)

    def want(self, rel, line, matched, preferred, english):
        return (f"{rel}:{line}: \"{matched}\" → use \"{preferred}\" ({english}) "
                f"[data/glossary.tsv:{glossary_line(preferred)}]")

    def test_variants_are_reported_with_file_and_line(self):
        self.write("data/codes.tsv", "# Chú thích: thông điệp lỗi\n"
                                     "code\tmeaning\n"
                                     "484\tSố gọi chưa đầy đủ\n"
                                     "503\tthử máy chủ dự phòng, tuyến dự phòng\n"
                                     "402\tCần thanh toán (dự phòng)\n")
        self.write("plugin/a.c", "/* Comments are English, and \"số gọi\" here is not text. */\n"
                                 "static const char a[] = \"Mã cảnh báo chưa có\";\n"
                                 "static const char b[] = \"nội dung \"\n"
                                 "                        \"số gọi đi\";  // một comment: phương tiện\n"
                                 "static const char c = '\"';\n"
                                 "static const char d[] = \"truy cập\\nphương tiện\";\n")
        self.write("table/t.c", "x = f(\"Chuyển cuộc gọi\", \"bên được gọi\");\n")
        self.write("README.md", "# sipvi\n\nThe Vietnamese reads *Máy bận ở mọi nơi* and, wrapped, the\n"
                                "*mạng chuyển\n  tiếp* of Q.850 2.\n"
                                "<!-- glossary-check: off -->\nNever write *số gọi*.\n"
                                "<!-- glossary-check: on -->\nNor *thông điệp*.\n")
        got = glossary_check.check(self.root)
        self.assertEqual(got, [
            self.want("data/codes.tsv", 1, "thông điệp", "bản tin", "message (SIP, ISDN Q.931, ISUP)"),
            self.want("data/codes.tsv", 3, "Số gọi", "số chủ gọi / số bị gọi",
                      "calling / called party number"),
            self.want("data/codes.tsv", 5, "dự phòng", "dành riêng",
                      "reserved (mã hoặc giá trị để dành cho sau này: 402)"),
            self.want("README.md", 4, "mạng chuyển tiếp", "trung chuyển", "transit (mạng, tổng đài; Q.850 2, 91)"),
            self.want("README.md", 9, "thông điệp", "bản tin", "message (SIP, ISDN Q.931, ISUP)"),
            self.want("plugin/a.c", 2, "Mã cảnh báo", "mã Warning",
                      "warn-code của header Warning (RFC 3261 §20.43)"),
            self.want("plugin/a.c", 4, "số gọi đi", "số chủ gọi",
                      "calling party number (Q.850/ISUP Calling Party Number; SIP From, "
                      "P-Asserted-Identity)"),
            self.want("plugin/a.c", 6, "truy cập", "truy nhập",
                      "access (thông tin truy nhập, mạng truy nhập; Q.850 43, 62)"),
            self.want("plugin/a.c", 6, "phương tiện", "media",
                      "media (luồng RTP thoại/video, dòng m= của SDP)"),
            self.want("table/t.c", 1, "Chuyển cuộc gọi", "chuyển hướng cuộc gọi / chuyển máy",
                      "call forwarding / call transfer"),
        ])

    def test_the_guide_is_checked(self):
        self.write("docs/huong-dan/a.md", "# Hướng dẫn\n\nMở *Chi tiết* để đọc thông điệp.\n"
                                           "Bên được gọi: \u0061\u0300 rồi.\n")
        self.write("docs/huong-dan/gen.py", 'TITLE = "bên chủ gọi"\n')
        got = glossary_check.check(self.root)
        self.assertEqual(got, [
            "docs/huong-dan/a.md:4: text is not in NFC form: use precomposed Vietnamese letters",
            self.want("docs/huong-dan/a.md", 3, "thông điệp", "bản tin",
                      "message (SIP, ISDN Q.931, ISUP)"),
            self.want("docs/huong-dan/gen.py", 1, "bên chủ gọi", "bên gọi", "caller, calling party"),
        ])

    def test_the_command_fails_and_prints_the_problems(self):
        self.write("data/codes.tsv", "code\tmeaning\n1\tKhông có tuyến tới mạng chuyển tiếp\n")
        proc = subprocess.run([sys.executable, CHECKER, self.root], capture_output=True)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout.decode("utf-8").splitlines(), [
            self.want("data/codes.tsv", 2, "mạng chuyển tiếp", "trung chuyển",
                      "transit (mạng, tổng đài; Q.850 2, 91)")])
        self.assertIn("glossary_check: 1 problem; see data/glossary.tsv", proc.stderr.decode("utf-8"))
        os.remove(os.path.join(self.root, "data", "codes.tsv"))
        proc = subprocess.run([sys.executable, CHECKER, self.root], capture_output=True)
        self.assertEqual((proc.returncode, proc.stdout), (0, b""))

    def test_a_malformed_glossary_is_reported(self):
        header = "preferred\tenglish\tvariants\tallowed_in\tnote\n"
        self.write("data/glossary.tsv", header +
                   "bản tin\tmessage\tthông điệp\tthông tin\t\n"             # allowed_in without variant
                   "media\tmedia\tphương tiện\t-\n"                          # four columns
                   "số gọi\tnumber\tsố gọi | \t-\t\n"                        # empty list item
                   "mạng chuyển tiếp\ttransit\t-\t-\t\n"
                   "trung chuyển\ttransit\tmạng chuyển tiếp\t-\t\n")        # preferred above fails
        self.assertEqual(glossary_check.check(self.root), [
            "data/glossary.tsv:2: allowed_in 'thông tin' contains none of the row's variants",
            "data/glossary.tsv:3: wrong column count: 4 fields, expected 5 (preferred … note), "
            "separated by one TAB each",
            "data/glossary.tsv:4: empty item in a list: separate items with ' | ', or write -",
            "data/glossary.tsv:5: preferred term 'mạng chuyển tiếp' contains the variant "
            "'mạng chuyển tiếp' of line 6",
        ])
        self.write("data/glossary.tsv", "term\tenglish\n")
        self.assertEqual(glossary_check.check(self.root), [
            "data/glossary.tsv:1: header must be: preferred<TAB>english<TAB>variants<TAB>allowed_in<TAB>note"])


if __name__ == "__main__":
    unittest.main()
