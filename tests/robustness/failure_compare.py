"""Whether a tshark run without the plugin failed the same way as the run with it (tests/robustness/fuzz).

The fuzz script re-runs every failing tshark command with the plugin absent: the same failure
there makes it Wireshark's own, not sipvi's. "The same" has to ignore what differs between any
two runs of one command on one file, and nothing else:

- Wireshark's log lines (wsutil/wslog.c) start with the process id and the time of day:
  ` ** (tshark:21001) 07:07:43.749516 [Epan WARNING] -- Dissector bug, protocol TLS, …`;
  GLib's own handler (domains Wireshark does not route to its log, e.g. GLib-GIO) writes
  `(tshark:21001): GLib-GIO-WARNING **: 07:07:43.749: …`. The pid and the time go; the program,
  domain, level, source position and message stay.
- ASan and UBSan reports (sanitize builds) name the pid in `==21001==` and print addresses that
  move with ASLR: inside a report (and on any `==PID==` line), every hexadecimal number is
  masked (the frames keep their function, file and line), and the shadow-byte dump is dropped, because it draws the heap
  around the bad address and the plugin's own allocations change that neighbourhood.

What is not normalised, on purpose: packet numbers, protocol names, file paths (both runs read
the same copy of the capture under the same private folder, so a path that differs is a real
difference), the order and number of messages (a message only the plugin's run writes is the
plugin's), and hexadecimal numbers outside sanitizer reports (they are part of a message).
"""

import re

# wslog.c: " ** (PROGNAME:PID) HH:MM:SS.micro " or "... (notime) "; newer series may print a date.
_WSLOG_PREFIX = re.compile(
    r"\*\* \((?P<prog>[^():\s]+):\d+\) "
    r"(?:(?:\d{4}-\d{2}-\d{2}[ T])?\d{2}:\d{2}:\d{2}(?:\.\d+)? |\(notime\) )")
# GLib's default handler: "(PROGNAME:PID): DOMAIN-LEVEL **: HH:MM:SS.milli: message".
_GLIB_PREFIX = re.compile(
    r"\((?P<prog>[^():\s]+):\d+\): (?P<what>[^\n]*?) \*\*: \d{2}:\d{2}:\d{2}\.\d+: ")
_SANITIZER_PID = re.compile(r"==\d+==")
# The first line of an ASan/LSan report, or of a UBSan diagnostic.
_REPORT_START = re.compile(r"==PID==ERROR: \w*Sanitizer|: runtime error: ")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
# "  0x0c047fff7ff0: fa fa 00 04 …" and "=>0x0c047fff8000: fa fa[04]fa …"
_SHADOW_ROW = re.compile(r"^(?:=>|\s*)0x[0-9a-fA-F]+:(?:[ \[\]][0-9a-fA-F]{2})*[ \]]*$")


def normalise(stderr):
    """stderr of one tshark run, with what changes from run to run masked (see the module)."""
    out = []
    in_report = False
    for line in stderr.splitlines():
        line = _WSLOG_PREFIX.sub(r"** (\g<prog>) ", line)
        line = _GLIB_PREFIX.sub(r"(\g<prog>): \g<what> **: ", line)
        line = _SANITIZER_PID.sub("==PID==", line)
        if not in_report and _REPORT_START.search(line):
            in_report = True  # a sanitizer report runs to the end: halt_on_error/abort
        if in_report and _SHADOW_ROW.match(line):
            continue
        if in_report or line.startswith("==PID=="):  # e.g. ASan's stack warnings: addresses
            line = _HEX.sub("0x…", line)
        out.append(line.rstrip())
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def same_failure(first, again):
    """first, again: (outcome, stderr) of the run with the plugin and of the one without.
    The same failure: the same outcome ("stderr", "exit 2", "signal 6", "hang", …) and the same
    normalised stderr, whatever the outcome (an abort of sipvi's and one of Wireshark's are both
    "signal 6": their reports tell them apart)."""
    outcome, detail = first
    again_outcome, again_detail = again
    if outcome != again_outcome:
        return False
    return normalise(detail) == normalise(again_detail)
