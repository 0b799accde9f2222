"""The guide's generated page "Đọc một chẩn đoán" (docs/huong-dan/chan_doan.py): the build wrote
it from the current data/diagnoses.tsv, it holds every id of the data with its title and check,
and no {placeholder} is left for a reader. The guide links to it by the name the build and the
package give it."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE = os.environ.get("SIPVI_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("SIPVI_BINARY_DIR", "")
GENERATOR = os.path.join(SOURCE, "docs", "huong-dan", "chan_doan.py")
DATA = os.path.join(SOURCE, "data", "diagnoses.tsv")


def data_rows():
    with open(DATA, encoding="utf-8") as f:
        lines = [l for l in f.read().split("\n") if l.strip() and not l.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t"))) for l in lines[1:]]


class DiagnosisPageTest(unittest.TestCase):

    def generate(self):
        out = tempfile.NamedTemporaryFile(suffix=".md", delete=False)
        out.close()
        self.addCleanup(os.unlink, out.name)
        subprocess.run([sys.executable, "-B", GENERATOR, DATA, out.name], check=True)
        with open(out.name, encoding="utf-8") as f:
            return f.read()

    def test_every_id_with_its_words(self):
        page = self.generate()
        rows = data_rows()
        self.assertGreater(len(rows), 10)
        for row in rows:
            with self.subTest(id=row["id"]):
                self.assertIn(f"### {row['title']} (`{row['id']}`)", page)
                self.assertIn(f"**Kiểm tra trước tiên.** {row['check']}", page)
                self.assertIn(f"| [`{row['id']}`](#{row['id']}) | {row['title']} |", page)
        self.assertNotIn("{", page.split("## Danh sách")[1])

    def test_the_build_wrote_the_current_page(self):
        built = os.path.join(BINARY, "docs", "chan-doan.md")
        self.assertTrue(os.path.exists(built), f"{built}: not built (target sipvi_docs)")
        with open(built, encoding="utf-8") as f:
            self.assertEqual(f.read(), self.generate())

    def test_installed_beside_the_plugin(self):
        # What `cmake --install` (and so the .deb, made by cpack from the same rules) puts in place.
        with tempfile.TemporaryDirectory() as prefix:
            subprocess.run([shutil.which("cmake") or "cmake", "--install", BINARY, "--prefix", prefix],
                           check=True, capture_output=True)
            installed = os.path.join(prefix, "share", "doc", "sipvi-wireshark", "chan-doan.md")
            self.assertTrue(os.path.exists(installed), f"not installed: {installed}")
            with open(installed, encoding="utf-8") as f:
                self.assertEqual(f.read(), self.generate())

    def test_the_guide_links_to_it(self):
        with open(os.path.join(SOURCE, "docs", "huong-dan", "doc-chan-doan.md"), encoding="utf-8") as f:
            guide = f.read()
        for where in ("/usr/share/doc/sipvi-wireshark/chan-doan.md", "build/<biến thể>/docs/chan-doan.md",
                      "`chan-doan.md` trong tệp `.zip`"):
            self.assertTrue(where in guide, f"docs/huong-dan/doc-chan-doan.md does not say {where}")
        with open(os.path.join(SOURCE, "docs", "CMakeLists.txt"), encoding="utf-8") as f:
            self.assertIn("DESTINATION share/doc/${SIPVI_DEB_NAME}", f.read())

    def test_bad_data_is_refused_with_its_place(self):
        with tempfile.TemporaryDirectory() as d:
            bad = os.path.join(d, "diagnoses.tsv")
            with open(bad, "w", encoding="utf-8") as f:
                f.write("id\tscope\ttitle\texplanation\tcheck\nbusy\tcall\tMáy bận\n")
            proc = subprocess.run([sys.executable, "-B", GENERATOR, bad, os.path.join(d, "o.md")],
                                  capture_output=True, text=True)
            self.assertEqual(proc.returncode, 1)
            self.assertIn("row 2: 3 columns, header has 5", proc.stderr)
            self.assertFalse(os.path.exists(os.path.join(d, "o.md")))


if __name__ == "__main__":
    unittest.main()
