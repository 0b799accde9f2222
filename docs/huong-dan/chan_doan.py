#!/usr/bin/env python3
"""Writes the guide's page "Đọc một chẩn đoán" (every diagnosis id, what it means, what to check
first) from data/diagnoses.tsv, the file the plugin's wording is compiled from.

Usage: chan_doan.py DIAGNOSES_TSV OUT.md

Why generated and not committed: the page must never drift from what the plugin says, and the
project commits no generated file. The build writes it (docs/CMakeLists.txt) into
build/<variant>/docs/chan-doan.md; the .deb installs it as /usr/share/doc/sipvi-wireshark/
chan-doan.md and scripts/package puts it into the Lua edition's .zip. Columns are read by the
names of the file's header, so a column added to the data does not break the page. Python
standard library only.
"""

import sys
import unicodedata

# How a {placeholder} of an explanation reads on the page: what the real text puts there.
PLACEHOLDERS = {
    "code": "mã phản hồi cuối",
    "meaning": "ý nghĩa của mã",
    "q850": "nguyên nhân Q.850",
    "count": "số lần",
    "codecs": "các codec mà INVITE đề nghị",
    "warning": "header Warning",
    "addr": "địa chỉ",
    "source": "địa chỉ nguồn",
    "seconds": "số giây",
    "retry_after": "giá trị Retry-After",
    "aor": "địa chỉ đăng ký (AOR)",
    "fragments": "các mảnh IP",
    "frames": "số khung",
    "request": "khung của yêu cầu",
    "icmp": "lỗi ICMP",
}

# Scopes of the data, in the order of the page; a scope not listed here comes after them.
SCOPES = [
    ("call", "Cuộc gọi", "Mỗi cuộc gọi (hội thoại INVITE, một Call-ID) có đúng một chẩn đoán."),
    ("registration", "Đăng ký", "Mỗi lần đăng ký (các REGISTER cùng một Call-ID) có đúng một chẩn đoán."),
    ("media", "Media (RTP/RTCP)", "Chẩn đoán về luồng media của một cuộc gọi đã được trả lời."),
]

HEADER = """\
# Đọc một chẩn đoán

<!-- Trang này được tạo lúc build từ data/diagnoses.tsv (docs/huong-dan/chan_doan.py): đừng sửa tay. -->

sipvi gán cho mỗi cuộc gọi và mỗi lần đăng ký **một chẩn đoán**: một mã cố định (chữ ASCII, ví dụ
`busy`), một tiêu đề tiếng Việt ngắn, một lời giải thích nêu bằng chứng (mã phản hồi, nguyên nhân
Q.850, số lần, codec, địa chỉ) kèm **số khung** chứng minh nó, và việc cần **kiểm tra trước tiên**.

Thấy chẩn đoán ở đâu:

- Wireshark: *Telephony → Chẩn đoán cuộc gọi (sipvi)* và *Chẩn đoán đăng ký (sipvi)*: cột *Tiêu
  đề*, *Chẩn đoán* (mã), *Khung bằng chứng*, *Giải thích*, *Kiểm tra*.
- Wireshark: *Analyze → Expert Information*, nhóm *Sequence*: `Chẩn đoán cuộc gọi: <tiêu đề>` ở
  khung mà chẩn đoán trở nên chắc chắn; nhấp đúp để nhảy tới khung đó.
- Bộ lọc hiển thị: `sipvi.diagnosis == "busy"`; tshark: `-z sipvi,calls`, cột `diagnosis` của
  CSV (`scripts/triage`).

Cách đọc: trong lời giải thích dưới đây, chữ trong ‹ › là chỗ sipvi điền giá trị của cuộc gọi
đó (ví dụ ‹mã phản hồi cuối› thành `486`, ‹số khung› thành `3, 4`). Mở các khung được nêu trong
Wireshark (*Go → Go to Packet*, Ctrl+G) để xem bằng chứng tận mắt.
"""


def read(path):
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f.read().split("\n") if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    for need in ("id", "scope", "title", "explanation", "check"):
        if need not in header:
            raise ValueError(f"{path}: header has no column '{need}': {header}")
    rows = []
    for number, line in enumerate(lines[1:], 2):
        fields = line.split("\t")
        if len(fields) != len(header):
            raise ValueError(f"{path}: row {number}: {len(fields)} columns, header has {len(header)}")
        rows.append(dict(zip(header, fields)))
    return rows


def readable(text):
    out, i = [], 0
    while i < len(text):
        if text[i] == "{" and "}" in text[i:]:
            end = text.index("}", i)
            name = text[i + 1:end]
            out.append("‹" + PLACEHOLDERS.get(name, name.replace("_", " ")) + "›")
            i = end + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def page(rows):
    out = [HEADER]
    known = [s for s, _, _ in SCOPES]
    scopes = SCOPES + [(s, s, "") for s in dict.fromkeys(r["scope"] for r in rows) if s not in known]
    index = ["## Danh sách", "", "| mã | tiêu đề | loại |", "| --- | --- | --- |"]
    body = []
    for scope, name, intro in scopes:
        mine = [r for r in rows if r["scope"] == scope]
        if not mine:
            continue
        body += [f"## {name}", ""] + ([intro, ""] if intro else [])
        for r in mine:
            index.append(f"| [`{r['id']}`](#{r['id']}) | {r['title']} | {name} |")
            body += [f'<a id="{r["id"]}"></a>', f"### {r['title']} (`{r['id']}`)", "",
                     f"**Ý nghĩa.** {readable(r['explanation'])}", "",
                     f"**Kiểm tra trước tiên.** {r['check']}", ""]
    return "\n".join(out + index + [""] + body)


def main(argv):
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        text = page(read(argv[1]))
    except (OSError, ValueError, UnicodeDecodeError) as e:
        print(f"chan_doan.py: {e}", file=sys.stderr)
        return 1
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write(unicodedata.normalize("NFC", text))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
