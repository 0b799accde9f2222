"""What the GUI tests expect, taken from tshark on the same capture with the same plugin: the
Expert Information dialog's group rows (`tshark -q -z expert`, no display filter) and the
statistics tree's rows (`tshark -q -z sipvi,tree`)."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import harness  # noqa: E402

EXPERT_SEVERITIES = {"Errors": "Error", "Warns": "Warning", "Notes": "Note", "Chats": "Chat"}
CLASS_KEYS = {1: "provisional", 2: "success", 3: "redirection", 4: "client_error",
              5: "server_error", 6: "global_failure", 7: "stack_specific"}
SEVERITY_KEYS = {"Error": "error", "Warning": "warn", "Note": "note", "Chat": "chat"}


def expert_summaries(ts):
    """sipvi's registered expert items, as Wireshark lists them: abbreviation -> summary (the
    text of the Expert Information dialog's group rows)."""
    out = ts.run(["-G", "fields"])
    result = {}
    for line in out.splitlines():
        cols = line.split("\t")
        if len(cols) >= 5 and cols[0] == "F" and cols[3] == "FT_NONE" and cols[4] == "sipvi":
            result[cols[2]] = cols[1]
    return result


def expert_item_field(summary, severity):
    """Which registered expert item an item of `tshark -z expert` is, from its summary."""
    for prefix, abbrev in ((r"Q\.850 \d+:", "sipvi.q850"), (r"Reason SIP \d+:", "sipvi.reason_sip"),
                           (r"Warning \d+:", "sipvi.warning"), (r"\d+: ", "sipvi.invalid")):
        if re.match(prefix, summary):
            return abbrev
    code = int(re.match(r"(\d+) ", summary).group(1))
    return f"sipvi.{CLASS_KEYS[code // 100]}.{SEVERITY_KEYS[severity]}"


def expected_expert_groups(ts, capture):
    """The group rows the Expert Information dialog must show for sipvi, from
    `tshark -q -z expert` (no display filter) on the same capture: {(severity, summary): count}."""
    summaries = expert_summaries(ts)
    groups = {}
    # Wireshark lists a Lua protocol by its short name in capitals (lua/README.md).
    protocol = "SIPVI" if ts.edition == "lua" else "sipvi"
    for section, count, group, summary in harness.expert_entries(
            ts.run(["-n", "-r", capture, "-q", "-z", "expert"]), protocol):
        severity = EXPERT_SEVERITIES[section]
        key = (severity, summaries[expert_item_field(summary, severity)])
        groups[key] = groups.get(key, 0) + count
    return groups


def stats_tree_rows(text):
    """tshark -z sipvi,tree: [(name, count)] in order, names without their indentation."""
    rows = []
    for line in text.splitlines():
        m = re.match(r"^(\s*)(\S.*?)\s{2,}(\d+)\s", line)
        if m and not line.startswith("Topic"):
            rows.append((m.group(2).strip(), int(m.group(3))))
    return rows


def diagnosis_table(ts, capture, report):
    """The rows of a diagnosis table (report: "calls" or "registrations") as tshark prints the
    table the GUI shows (`-z sipvi,<report>_table`): [{column name: cell}] in frame order."""
    out = ts.run(["-n", "-r", capture, "-q", "-z", f"sipvi,{report}_table"])
    lines = out.splitlines()
    header = next(i for i, l in enumerate(lines) if l.startswith("Khung đầu |"))
    columns = [c.strip() for c in lines[header].split(" |")[:-1]]
    rows = []
    # The header, the table's title line, then one line per row up to the closing rule.
    for line in lines[header + 2:]:
        if line.startswith("====="):
            break
        cells = [c.strip() for c in line.split(" |")[:-1]]
        if len(cells) != len(columns):
            raise AssertionError(f"-z sipvi,{report}_table: row {line!r} has {len(cells)} cells, "
                                 f"not {len(columns)}")
        rows.append(dict(zip(columns, cells)))
    return sorted(rows, key=lambda r: int(r["Khung đầu"]))


def failed_diagnoses(ts, capture):
    """The failed calls' and registrations' diagnosis items of `tshark -q -z expert` (group
    Sequence, severity Warning; a redirect's note is not one): [(summary, count)]."""
    protocol = "SIPVI" if ts.edition == "lua" else "sipvi"
    return [(summary, count) for section, count, group, summary in harness.expert_entries(
        ts.run(["-n", "-r", capture, "-q", "-z", "expert"]), protocol, diagnoses=True)
        if group == "Sequence" and section == "Warns"]
