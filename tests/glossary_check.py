#!/usr/bin/env python3
"""One term per idea: finds the variants that data/glossary.tsv forbids in sipvi's Vietnamese text.

Usage: glossary_check.py [SOURCE_DIR]      (default: the tree this script is in)

Reads data/glossary.tsv and scans every Vietnamese text a user can see: data/*.tsv (rows and
comments), the string literals of plugin/**/*.c|h and table/**/*.c|h (C comments are English and not
scanned), README.md and the Vietnamese guide (docs/huong-dan/*.md, and the texts of the page its
generator docs/huong-dan/chan_doan.py writes), except where they quote variants on purpose,
between the lines <!-- glossary-check: off --> and <!-- glossary-check: on -->. The guide must
also be in NFC (precomposed letters). Prints one line per hit,

    plugin/packet-sipvi.c:89: "Mã cảnh báo" → use "mã Warning" (warn-code …) [data/glossary.tsv:24]

and exits 1 if there is any; a malformed glossary is reported the same way, with its line.
"""

import glob
import os
import re
import sys
import unicodedata

GLOSSARY = os.path.join("data", "glossary.tsv")
COLUMNS = ["preferred", "english", "variants", "allowed_in", "note"]
SEPARATOR = " | "
QUOTED = re.compile(r"<!-- glossary-check: off -->.*?(?:<!-- glossary-check: on -->|\Z)", re.DOTALL)


class Term:
    def __init__(self, line, preferred, english, variants, allowed_in):
        self.line = line
        self.preferred = preferred
        self.english = english
        self.variants = [(v, phrase_pattern(v)) for v in variants]
        self.allowed = [phrase_pattern(a) for a in allowed_in]


def phrase_pattern(phrase):
    """A phrase as whole words, any case, its words separated by spaces or a line break (README
    wraps lines; a TAB ends a column of a data row, so it does not join words)."""
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"[ \n]+".join(words) + r"(?!\w)", re.IGNORECASE)


def split_list(cell):
    return [] if cell == "-" else [item.strip() for item in cell.split(SEPARATOR)]


def read_glossary(root):
    """Returns (terms, errors)."""
    path = os.path.join(root, GLOSSARY)
    terms, errors = [], []

    def error(line, message):
        errors.append(f"{GLOSSARY}:{line}: {message}")

    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError) as e:
        return [], [f"{GLOSSARY}:1: cannot read: {e}"]
    header_seen = False
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        if not unicodedata.is_normalized("NFC", line):
            error(number, "text is not in NFC form: use precomposed Vietnamese letters")
            continue
        fields = line.split("\t")
        if not header_seen:
            header_seen = True
            if fields != COLUMNS:
                error(number, "header must be: " + "<TAB>".join(COLUMNS))
                return [], errors
            continue
        if len(fields) != len(COLUMNS):
            error(number, f"wrong column count: {len(fields)} fields, expected {len(COLUMNS)} "
                          f"({COLUMNS[0]} … {COLUMNS[-1]}), separated by one TAB each")
            continue
        preferred, english, variants, allowed_in, _ = fields
        if not preferred or not english:
            error(number, "empty " + ("preferred" if not preferred else "english"))
            continue
        variants, allowed_in = split_list(variants), split_list(allowed_in)
        if any(not v for v in variants + allowed_in):
            error(number, f"empty item in a list: separate items with '{SEPARATOR}', or write -")
            continue
        term = Term(number, preferred, english, variants, allowed_in)
        for phrase, pattern in zip(allowed_in, term.allowed):
            if not any(p.search(phrase) for _, p in term.variants):
                error(number, f"allowed_in '{phrase}' contains none of the row's variants")
        terms.append(term)
    if not header_seen:
        error(1, "no header line and no rows")
    # A preferred term must pass its own check, or following the advice would fail again.
    for term in terms:
        for text in (term.preferred,):
            for hit in find_variants(text, terms):
                error(term.line, f"preferred term '{term.preferred}' contains the variant "
                                 f"'{hit[1]}' of line {hit[2].line}")
    return terms, errors


def find_variants(text, terms):
    """(offset, matched text, term) of every forbidden variant in text, the longest at a place."""
    hits = []
    for term in terms:
        allowed = [m.span() for a in term.allowed for m in a.finditer(text)]
        for _, pattern in term.variants:
            for m in pattern.finditer(text):
                if not any(s <= m.start() and m.end() <= e for s, e in allowed):
                    hits.append((m.start(), m.end(), m.group(0), term))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept, end = [], -1
    for start, stop, matched, term in hits:
        if start >= end:
            kept.append((start, matched, term))
            end = stop
    return kept


def c_string_runs(source):
    """The string literals of a C source, adjacent ones joined as the compiler joins them: a list
    of (text, [(offset in text, line)]). Comments and character constants are skipped."""
    runs, i, line, n = [], 0, 1, len(source)
    current = None           # (pieces, positions) of the run being joined
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end < 0 else end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += source.count("\n", i, end)
            i = end
        elif c == '"':
            j, piece = i + 1, []
            while j < n and source[j] != '"' and source[j] != "\n":
                if source[j] == "\\" and j + 1 < n:
                    piece.append(" " if source[j + 1] in "ntr" else source[j + 1])
                    j += 2
                else:
                    piece.append(source[j])
                    j += 1
            if current is None:
                current = ([], [])
            offset = sum(len(p) for p in current[0])
            current[0].append("".join(piece))
            current[1].append((offset, line))
            i = j + 1
        elif c == "'":
            j = i + 1
            while j < n and source[j] != "'" and source[j] != "\n":
                j += 2 if source[j] == "\\" else 1
            i = j + 1
        else:
            if c == "\n":
                line += 1
            elif not c.isspace() and current is not None:
                runs.append(("".join(current[0]), current[1]))
                current = None
            i += 1
    if current is not None:
        runs.append(("".join(current[0]), current[1]))
    return runs


def texts_of(root):
    """(relative path, text, function offset -> line) for everything that is checked."""
    def line_of_offset(text):
        return lambda offset: text.count("\n", 0, offset) + 1

    def read(path):
        with open(path, encoding="utf-8") as f:
            return unicodedata.normalize("NFC", f.read())

    for path in sorted(glob.glob(os.path.join(root, "data", "*.tsv"))):
        rel = os.path.relpath(path, root)
        if rel != GLOSSARY:
            text = read(path)
            yield rel, text, line_of_offset(text)
    documents = [os.path.join(root, "README.md")]
    documents += sorted(glob.glob(os.path.join(root, "docs", "huong-dan", "*.md")))
    documents += sorted(glob.glob(os.path.join(root, "docs", "huong-dan", "*.py")))
    for path in documents:
        if os.path.exists(path):
            # Blanked rather than cut out, so that the lines after a quotation keep their numbers.
            text = QUOTED.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), read(path))
            yield os.path.relpath(path, root), text, line_of_offset(text)
    for folder in ("plugin", "table"):
        for path in sorted(glob.glob(os.path.join(root, folder, "**", "*.[ch]"), recursive=True)):
            rel = os.path.relpath(path, root)
            for text, positions in c_string_runs(read(path)):
                def line_at(offset, positions=positions):
                    return [ln for start, ln in positions if start <= offset][-1]
                yield rel, text, line_at


def check(root):
    """Every problem, as the lines the command prints."""
    terms, errors = read_glossary(root)
    if errors:
        return errors
    problems = []
    for path in sorted(glob.glob(os.path.join(root, "docs", "huong-dan", "*.md"))):
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f.read().split("\n"), 1):
                if not unicodedata.is_normalized("NFC", line):
                    problems.append(f"{os.path.relpath(path, root)}:{number}: text is not in NFC "
                                    "form: use precomposed Vietnamese letters")
    for rel, text, line_at in texts_of(root):
        for offset, matched, term in find_variants(text, terms):
            matched = " ".join(matched.split())
            problems.append(f"{rel}:{line_at(offset)}: \"{matched}\" → use \"{term.preferred}\" "
                            f"({term.english}) [{GLOSSARY}:{term.line}]")
    return problems


def main(argv):
    if len(argv) > 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    root = argv[1] if len(argv) == 2 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"glossary_check: {len(problems)} problem{'s' if len(problems) != 1 else ''}; "
              f"see {GLOSSARY}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
