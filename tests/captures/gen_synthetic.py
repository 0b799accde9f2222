#!/usr/bin/env python3
"""Generate sipvi's synthetic SIP test capture from the status-code data file.

Usage: gen_synthetic.py DATA_TSV OUT_PCAP OUT_MANIFEST_TSV

DATA_TSV is data/status_codes.tsv: lines starting with '#' are comments, the first
other line is the header (code, reason, ...), every following line has the status
code in its first TAB field and the English reason phrase in its second.

OUT_PCAP is a classic pcap (microsecond timestamps, LINKTYPE_ETHERNET) holding, in
this order:
  1. one SIP response per code of the data file (file order), each in its own
     UDP/IPv4 packet 127.0.0.1:5060 -> 127.0.0.1:5070            case "code"
  2. a TCP connection to port 5060: SYN, SYN-ACK, ACK               case "tcp-handshake"
     then ONE segment from port 5060 carrying three complete
     responses back to back, each with Content-Length: 0        case "tcp-three-responses"
  3. a response over UDP/IPv6 (::1)                                 case "ipv6"
  4. "SIP/2.0 480 " (empty reason) and "SIP/2.0 480" (no space)    case "empty-reason", "no-reason"
     (tshark 4.0.17 does not take the second one as a response)
  5. one valid code absent from the data file in each class 1..7   case "unknown-in-class"
  6. malformed status lines                                         case "malformed-*"

OUT_MANIFEST_TSV has a header "frame<TAB>codes<TAB>case" and one row per frame:
the 1-based frame number, the comma-separated sip.Status-Code values that
tshark 4.0.17 shows for the frame (empty if none) and the case name. The script
does not run tshark: for well-formed responses it writes the codes it put in the
frame; for the malformed lines it writes the outcome observed with tshark 4.0.17
(see MALFORMED below and README.md).

Everything (timestamps, MACs, addresses, ports, IP IDs, TCP sequence numbers,
Call-IDs) is fixed, so the output is byte-identical on every run for the same
data file. Python 3 standard library only.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import pcapwrite  # noqa: E402

# ---------------------------------------------------------------------------
# Fixed parameters

BASE_TIME = 1704067200  # 2024-01-01 00:00:00 UTC
FRAME_STEP_US = 1000  # one frame per millisecond


SIP_PORT = 5060  # UAS side, sends the responses
UAC_PORT = 5070  # UDP peer
TCP_CLIENT_PORT = 40000  # TCP peer (connects to 5060)
TCP_CLIENT_ISN = 1000
TCP_SERVER_ISN = 5000

# Preferred codes for the TCP segment; missing ones are replaced by other codes of the file.
TCP_PREFERRED = (100, 180, 486)
IPV6_CODE, IPV6_REASON = 603, "Decline"
EMPTY_REASON_CODE = 480
# One code per class 1..7 that should be unknown to the data file; if the data file has
# it, the first absent code of the same class counting down from x99 is used instead.
UNKNOWN_PREFERRED = (150, 299, 399, 499, 599, 699, 799)

# Malformed status lines and what tshark 4.0.17 shows for each (the sip.Status-Code
# values, comma-separated; "" = the line is not taken as a Status-Line at all).
# Observed with: tshark -r synthetic.pcap -T fields -e frame.number -e sip.Status-Code
#                  -e sip.Status-Line -e _ws.malformed -e _ws.expert.message
# Wireshark 4.0 takes "SIP/2.0 " + three digits + a space as a Status-Line whatever the
# digits are (000 -> 0, 099 -> 99, 800, 999 pass through, with no expert info); every
# other line is not taken as SIP at all: the frame shows as plain UDP, no sip.* fields.
MALFORMED = (
    # (case name, status line, tshark 4.0.17 sip.Status-Code)
    ("malformed-000", "SIP/2.0 000 Zero", "0"),
    ("malformed-099", "SIP/2.0 099 Low", "99"),
    ("malformed-800", "SIP/2.0 800 High", "800"),
    ("malformed-999", "SIP/2.0 999 Nine", "999"),
    ("malformed-1000", "SIP/2.0 1000 Big", ""),
    ("malformed-letters", "SIP/2.0 4x6 Letters", ""),
    ("malformed-two-digits", "SIP/2.0 48 Short", ""),
    ("malformed-double-space", "SIP/2.0  486 Double space", ""),
)
# How tshark 4.0.17 treats the reason-less 480 lines: "SIP/2.0 480 " (code, space, CRLF)
# is a Status-Line with an empty reason phrase; "SIP/2.0 480" (no space) is not taken
# as SIP at all (the frame shows as plain UDP), so it has no sip.Status-Code.
EMPTY_REASON_SEEN = "480"  # "SIP/2.0 480 "
NO_REASON_SEEN = ""  # "SIP/2.0 480"

# ---------------------------------------------------------------------------
# Data file


def read_codes(path):
    """Return [(code, reason)] in file order."""
    rows = []
    header_seen = False
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if line.startswith("#") or not line.strip():
                continue
            fields = line.split("\t")
            if not header_seen:
                if fields[:2] != ["code", "reason"]:
                    sys.exit("%s:%d: expected header 'code<TAB>reason...', got %r"
                             % (path, lineno, line))
                header_seen = True
                continue
            if len(fields) < 2:
                sys.exit("%s:%d: need at least code and reason" % (path, lineno))
            code_s, reason = fields[0], fields[1]
            if not (len(code_s) == 3 and code_s.isdigit()):
                sys.exit("%s:%d: bad status code %r" % (path, lineno, code_s))
            rows.append((int(code_s), reason))
    if not header_seen:
        sys.exit("%s: no header line" % path)
    codes = [c for c, _ in rows]
    if len(set(codes)) != len(codes):
        sys.exit("%s: duplicate status codes" % path)
    return rows


# ---------------------------------------------------------------------------
# Packet building


class Builder:
    def __init__(self):
        self.frames = []  # (bytes, codes_str, case)
        self.ip_id = 0x1000

    def _ipv4(self, proto, payload):
        self.ip_id += 1
        return pcapwrite.ipv4(self.ip_id, proto, payload)

    def add(self, frame, codes, case):
        self.frames.append((frame, codes, case))

    def udp4(self, payload, codes, case):
        udp = pcapwrite.udp(SIP_PORT, UAC_PORT, payload)
        self.add(pcapwrite.ethernet(True, 0x0800, self._ipv4(17, udp)), codes, case)

    def udp6(self, payload, codes, case):
        udp = pcapwrite.udp(SIP_PORT, UAC_PORT, payload, pcapwrite.pseudo6)
        self.add(pcapwrite.ethernet(True, 0x86DD, pcapwrite.ipv6(17, udp)), codes, case)

    def tcp4(self, from_server, seq, ack, flags, payload, codes, case, options=b""):
        sport, dport = (SIP_PORT, TCP_CLIENT_PORT) if from_server else (TCP_CLIENT_PORT, SIP_PORT)
        seg = pcapwrite.tcp(sport, dport, seq, ack, flags, payload, options)
        self.add(pcapwrite.ethernet(from_server, 0x0800, self._ipv4(6, seg)), codes, case)

    def write(self, pcap_path, manifest_path):
        pcapwrite.write_pcap(pcap_path, [frame for frame, _, _ in self.frames], BASE_TIME,
                             FRAME_STEP_US)
        lines = ["frame\tcodes\tcase"]
        for i, (_, codes, case) in enumerate(self.frames, 1):
            lines.append("%d\t%s\t%s" % (i, codes, case))
        with open(manifest_path, "w", encoding="ascii", newline="\n") as f:
            f.write("\n".join(lines) + "\n")


def response(status_line, n, transport="UDP", host="127.0.0.1"):
    """A complete SIP response (no body) with the given status line; n makes it unique."""
    via_host = "[%s]" % host if ":" in host else host
    return ("%s\r\n"
            "Via: SIP/2.0/%s %s:%d;branch=z9hG4bK-sipvi-synth-%d\r\n"
            "From: <sip:alice@sipvi.test>;tag=uac-%d\r\n"
            "To: <sip:bob@sipvi.test>;tag=uas-%d\r\n"
            "Call-ID: sipvi-synth-%d@sipvi.test\r\n"
            "CSeq: 1 INVITE\r\n"
            "Content-Length: 0\r\n"
            "\r\n" % (status_line, transport, via_host, UAC_PORT, n, n, n, n)).encode("utf-8")


# ---------------------------------------------------------------------------


def build(rows):
    b = Builder()
    known = {c for c, _ in rows}
    reasons = dict(rows)
    n = 0

    # 1. one UDP/IPv4 response per code of the data file
    for code, reason in rows:
        n += 1
        b.udp4(response("SIP/2.0 %d %s" % (code, reason), n), str(code), "code")

    # 2. TCP: handshake, then one segment with three responses
    tcp_codes = [c for c in TCP_PREFERRED if c in known]
    tcp_codes += [c for c, _ in rows if c not in tcp_codes][:3 - len(tcp_codes)]
    if len(tcp_codes) < 3:  # data file with fewer than three rows
        tcp_codes += [c for c in TCP_PREFERRED if c not in tcp_codes][:3 - len(tcp_codes)]
    fallback = {100: "Trying", 180: "Ringing", 486: "Busy Here"}
    cseq, sseq = TCP_CLIENT_ISN, TCP_SERVER_ISN
    mss = struct.pack("!BBH", 2, 4, 1460)
    b.tcp4(False, cseq, 0, 0x02, b"", "", "tcp-handshake", options=mss)  # SYN
    b.tcp4(True, sseq, cseq + 1, 0x12, b"", "", "tcp-handshake", options=mss)  # SYN-ACK
    b.tcp4(False, cseq + 1, sseq + 1, 0x10, b"", "", "tcp-handshake")  # ACK
    payload = b""
    for code in tcp_codes:
        n += 1
        reason = reasons.get(code, fallback.get(code, "Unknown"))
        payload += response("SIP/2.0 %d %s" % (code, reason), n, transport="TCP")
    b.tcp4(True, sseq + 1, cseq + 1, 0x18, payload,  # PSH, ACK
           ",".join(str(c) for c in tcp_codes), "tcp-three-responses")

    # 3. IPv6
    n += 1
    b.udp6(response("SIP/2.0 %d %s" % (IPV6_CODE, reasons.get(IPV6_CODE, IPV6_REASON)), n,
                    host="::1"), str(IPV6_CODE), "ipv6")

    # 4. no reason phrase
    n += 1
    b.udp4(response("SIP/2.0 %d " % EMPTY_REASON_CODE, n), EMPTY_REASON_SEEN, "empty-reason")
    n += 1
    b.udp4(response("SIP/2.0 %d" % EMPTY_REASON_CODE, n), NO_REASON_SEEN, "no-reason")

    # 5. a valid code unknown to the data file, one per class
    for pref in UNKNOWN_PREFERRED:
        cls = pref // 100
        candidates = [pref] + list(range(cls * 100 + 99, cls * 100 - 1, -1))
        code = next((c for c in candidates if c not in known), None)
        if code is None:
            continue  # the whole class is in the data file
        n += 1
        b.udp4(response("SIP/2.0 %d Sipvi Unknown %dxx" % (code, cls), n), str(code),
               "unknown-in-class")

    # 6. malformed status lines
    for case, line, seen in MALFORMED:
        n += 1
        b.udp4(response(line, n), seen, case)

    return b


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: %s DATA_TSV OUT_PCAP OUT_MANIFEST_TSV" % argv[0])
    rows = read_codes(argv[1])
    build(rows).write(argv[2], argv[3])


if __name__ == "__main__":
    main(sys.argv)
