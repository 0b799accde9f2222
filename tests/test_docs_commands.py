"""Commands shown are commands tested: every tshark command that README.md and the documents
under docs/ show on a bundled capture is run here, with the built plugin, and its shown output
compared with what tshark prints. A document then cannot go stale silently.

How a document marks a command (a fenced block of type sh whose first line starts with "$ "):

    ```sh
    $ tshark -n -r tests/captures/call-486.pcapng -q -z expert
    …
    Warns (2)
    ```

- each line starting with "$ " is a command (a line ending in "\\" goes on); the lines after it,
  up to the next command or the end of the block, are its shown output;
- a shown line that is only "…" stands for any number of lines (none included); a "…" inside a
  line stands for any text; nothing else is loose: the other lines must be equal (trailing spaces
  aside), and with no shown output at all the command need only succeed without a message;
- paths under tests/ are the repository's; the test runs tshark as tests/harness.py does (as user
  65534 when root, on a private copy of the plugin and of the captures).

In the documents listed in STRICT, a code line that runs tshark on tests/captures without the
"$ " mark fails the test too, so no command escapes it. A failure names the file and line of the
block and of the first shown line that differs, with tshark's whole output."""

import glob
import os
import re
import shlex
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ROOT = harness.SOURCE_DIR
ELLIPSIS = "…"


def documents():
    found = [os.path.join(ROOT, "README.md")]
    for pattern in ("docs/*.md", "docs/*/*.md"):
        found += sorted(glob.glob(os.path.join(ROOT, pattern)))
    return [p for p in found if os.path.exists(p)]


def strict(path):
    """The documents whose every command on a bundled capture must be marked and tested."""
    rel = os.path.relpath(path, ROOT)
    return rel in ("README.md", "docs/reference.md", "docs/development.md") or \
        rel.startswith("docs/huong-dan/")


class Block:
    def __init__(self, path, line, command, shown, shown_lines):
        self.path, self.line, self.command = path, line, command
        self.shown, self.shown_lines = shown, shown_lines   # texts, and their line numbers

    def where(self):
        return f"{os.path.relpath(self.path, ROOT)}:{self.line}"


FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w+-]*)")


def parse(path):
    """(tested commands, unmarked command lines as (line, text))."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    commands, unmarked = [], []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, kind = m.group(1), m.group(2), m.group(3)
        body, start = [], i + 1
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            line = lines[i]
            body.append((i + 1, line[len(indent):] if line.startswith(indent) else line.lstrip()))
            i += 1
        i += 1
        tested = kind in ("sh", "console", "") and body and body[0][1].startswith("$ ")
        if not tested:
            for number, text in body:
                words = text.strip().split()
                if words and words[0] in ("tshark", "$") and "tests/captures/" in text:
                    unmarked.append((number, text))
            continue
        current = None
        j = 0
        while j < len(body):
            number, text = body[j]
            if text.startswith("$ "):
                command = text[2:]
                while command.endswith("\\") and j + 1 < len(body):
                    j += 1
                    command = command[:-1] + " " + body[j][1].strip()
                current = Block(path, number, command, [], [])
                commands.append(current)
            else:
                current.shown.append(text.rstrip())
                current.shown_lines.append(number)
            j += 1
    return commands, unmarked


def line_pattern(shown):
    return re.compile(".*".join(re.escape(part) for part in shown.split(ELLIPSIS)) + r"\Z")


def compare(shown, actual):
    """None if the actual lines match the shown ones, else (index of the first shown line that
    could not be matched, index of the actual line there)."""
    while shown and shown[-1] == "":
        shown = shown[:-1]
    while actual and actual[-1] == "":
        actual = actual[:-1]
    patterns = [None if s == ELLIPSIS else line_pattern(s) for s in shown]
    best = [(0, 0)]
    memo = {}

    def match(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if (i, j) > best[0]:
            best[0] = (i, j)
        if i == len(patterns):
            result = j == len(actual)
        elif patterns[i] is None:
            result = any(match(i + 1, k) for k in range(j, len(actual) + 1))
        else:
            result = j < len(actual) and bool(patterns[i].match(actual[j])) and match(i + 1, j + 1)
        memo[(i, j)] = result
        return result

    if match(0, 0):
        return None
    return best[0]


class DocsCommandsTest(harness.PluginTestCase):

    def blocks(self):
        out = []
        for path in documents():
            commands, _ = parse(path)
            out += commands
        return out

    def test_some_commands_are_tested(self):
        # The test must not pass by finding nothing (a renamed folder, a changed fence).
        readme = [b for b in self.blocks() if os.path.basename(b.path) == "README.md"]
        guide = [b for b in self.blocks() if "huong-dan" in b.path]
        self.assertGreaterEqual(len(readme), 3, [b.where() for b in readme])
        self.assertGreaterEqual(len(guide), 3, [b.where() for b in guide])

    def test_no_unmarked_command(self):
        problems = []
        for path in documents():
            if strict(path):
                for number, text in parse(path)[1]:
                    problems.append(f"{os.path.relpath(path, ROOT)}:{number}: {text.strip()}")
        self.assertEqual(problems, [], "commands on a bundled capture that no test runs: mark "
                                       "them as a ```sh block starting with \"$ \" (see "
                                       "tests/test_docs_commands.py)")

    def test_commands(self):
        blocks = self.blocks()
        failures = []
        for block in blocks:
            with self.subTest(block=block.where()):
                message = self.check(block)
                if message:
                    failures.append(message)
        if failures:
            self.fail(f"{len(failures)} of {len(blocks)} documented commands differ:\n\n"
                      + "\n\n".join(failures))

    def check(self, block):
        try:
            words = shlex.split(block.command)
        except ValueError as e:
            return f"{block.where()}: `{block.command}`: cannot be split as the shell does: {e}"
        if not words or words[0] != "tshark" or any(w in ("|", ">", "<", "&&", ";") for w in words):
            return (f"{block.where()}: `{block.command}`: only plain tshark commands can be "
                    "tested; show other commands without the \"$ \" mark")
        args = []
        for word in words[1:]:
            if word.startswith("tests/"):
                source = os.path.join(ROOT, word)
                if not os.path.exists(source):
                    return f"{block.where()}: `{block.command}`: {word} does not exist"
                word = self.ts.capture(os.path.basename(word), os.path.dirname(source))
            args.append(word)
        rc, stdout, stderr = self.ts.run_full(args)
        if rc != 0 or stderr.strip():
            return (f"{block.where()}: `{block.command}` exited {rc}\nstderr:\n{stderr}")
        if not block.shown:
            return None
        actual = [line.rstrip() for line in stdout.split("\n")]
        result = compare(block.shown, actual)
        if result is None:
            return None
        i, j = result
        i = min(i, len(block.shown) - 1)
        shown_line = block.shown_lines[i]
        got = actual[j] if j < len(actual) else "(end of output)"
        return (f"{block.where()}: `{block.command}`\n"
                f"  {os.path.relpath(block.path, ROOT)}:{shown_line} shows: {block.shown[i]!r}\n"
                f"  tshark's line {j + 1} there is:  {got!r}\n"
                f"  tshark's whole output:\n" + "\n".join("    | " + a for a in actual))


# Documents a link may name before they exist (none now: every link must reach its file).
PENDING = set()
LINK = re.compile(r"\]\(([^)\s]+)\)")


class LinksTest(unittest.TestCase):
    """Every relative link of README.md and of the documents under docs/ reaches a file (or
    folder) of the tree, or one of the documents another branch is writing."""

    def test_links(self):
        broken = []
        for path in documents():
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for number, line in enumerate(text.split("\n"), 1):
                for target in LINK.findall(line):
                    if re.match(r"[a-z]+:", target) or target.startswith("#"):
                        continue
                    target = target.split("#")[0]
                    full = os.path.normpath(os.path.join(os.path.dirname(path), target))
                    rel = os.path.relpath(full, ROOT)
                    if not os.path.exists(full) and rel not in PENDING:
                        broken.append(f"{os.path.relpath(path, ROOT)}:{number}: {target}")
        self.assertEqual(broken, [], "links to nothing")


class CompareTest(unittest.TestCase):
    """The comparison itself, so that a loose matcher cannot hide stale output."""

    def test_rules(self):
        self.assertIsNone(compare(["a", "b"], ["a", "b", ""]))
        self.assertIsNone(compare(["a", ELLIPSIS, "d"], ["a", "b", "c", "d"]))
        self.assertIsNone(compare(["a", ELLIPSIS, "b"], ["a", "b"]))
        self.assertIsNone(compare(["x … z"], ["x 1 2 z"]))
        self.assertEqual(compare(["a", "b"], ["a", "c"]), (1, 1))
        self.assertEqual(compare(["a"], ["a", "extra"]), (1, 1))
        self.assertEqual(compare(["a", ELLIPSIS, "q"], ["a", "b"]), (2, 2))
        self.assertIsNotNone(compare(["x (y)"], ["x y"]))


class ParseTest(unittest.TestCase):
    """How blocks are read: marked commands with their output, continuation lines, and commands
    on a bundled capture that are not marked."""

    def test_blocks(self):
        import tempfile
        text = ("# t\n\n```sh\n$ tshark -r tests/captures/a.pcap \\\n    -q -z expert\nline 1\n\n"
                "$ tshark -v\n```\n\n```sh\ntshark -r tests/captures/b.pcap   # not marked\n"
                "tshark -r capture.pcap\n```\n\n```text\n$ tshark -r tests/captures/c.pcap\n```\n")
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as f:
            f.write(text)
        self.addCleanup(os.unlink, f.name)
        commands, unmarked = parse(f.name)
        self.assertEqual([(c.line, c.command, c.shown, c.shown_lines) for c in commands], [
            (4, "tshark -r tests/captures/a.pcap  -q -z expert", ["line 1", ""], [6, 7]),
            (8, "tshark -v", [], [])])
        self.assertEqual(unmarked, [(12, "tshark -r tests/captures/b.pcap   # not marked"),
                                    (17, "$ tshark -r tests/captures/c.pcap")])


if __name__ == "__main__":
    unittest.main()
