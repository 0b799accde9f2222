#!/usr/bin/env python3
"""Generate sipvi's hostile SIP capture: inputs chosen to break a careless post-dissector.

Usage: gen_hostile.py OUT_PCAP
       gen_hostile.py --list          (frame number, case name, transport: one line per frame)

OUT_PCAP is a classic pcap (microsecond timestamps, LINKTYPE_ETHERNET). Every UDP response goes
127.0.0.1:5060 -> 127.0.0.1:5070; every TCP connection is between 127.0.0.1:<client port> and
127.0.0.1:5060, whose side sends the responses. The cases, in capture order, are in CASES below
(built by build()); tests/robustness/test_hostile.py holds what tshark and sipvi must show for
each case. This script never runs tshark.

Unlike tests/captures/gen_synthetic.py the capture does not depend on data/: the codes are
written here, so that the file only changes when this script does.

Everything (timestamps, MACs, addresses, ports, IP IDs, TCP sequence numbers, Call-IDs) is
fixed, so the output is byte-identical on every run. Python 3 standard library only.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import pcapwrite  # noqa: E402

BASE_TIME = 1704153600  # 2024-01-02 00:00:00 UTC
FRAME_STEP_US = 1000  # one frame per millisecond


SIP_PORT = 5060
UAC_PORT = 5070

# Codes of the 100 responses in one TCP segment, cycled: registered codes (in every table sipvi
# can be built from: data/ has every IANA code), two invalid ones and two 7xx.
HUNDRED_CYCLE = (100, 180, 183, 200, 302, 401, 404, 486, 487, 500, 503, 603, 0, 999, 700, 799)
HUNDRED = 100
MANY_HEADERS = 500  # extra headers of the "many-headers" response

# (case, status line) of the status lines sent alone over UDP.
STATUS_LINES = (
    ("code-000", "SIP/2.0 000 Zero"),
    ("code-099", "SIP/2.0 099 Low"),
    ("code-100", "SIP/2.0 100 Trying"),
    ("code-799", "SIP/2.0 799 Top Of Range"),
    ("code-800", "SIP/2.0 800 High"),
    ("code-999", "SIP/2.0 999 Nine"),
    ("code-1000", "SIP/2.0 1000 Big"),
    ("code-65536", "SIP/2.0 65536 Wraps A 16-Bit Field"),
    ("code-4294967296", "SIP/2.0 4294967296 Wraps A 32-Bit Field"),
    ("code-99999999999", "SIP/2.0 99999999999 Huge"),
    ("code-negative", "SIP/2.0 -486 Negative"),
    ("code-letters", "SIP/2.0 4x6 Letters"),
    ("code-all-letters", "SIP/2.0 ABC Letters"),
    ("code-trailing-letter", "SIP/2.0 486a Busy"),
    ("code-two-digits", "SIP/2.0 48 Short"),
    ("code-missing", "SIP/2.0  Nothing"),
    ("code-no-reason", "SIP/2.0 486"),
    ("code-tab", "SIP/2.0\t486\tTab"),
    ("code-nul", "SIP/2.0 4\x0086 Nul"),
    ("code-utf8-digits", "SIP/2.0 \uff14\uff18\uff16 Fullwidth"),
)

# (case, code, header lines) of responses whose status line is fine but whose Reason or
# Warning headers are not.
BAD_HEADERS = (
    ("reason-q850-empty", 503, ["Reason: Q.850;cause="]),
    ("reason-q850-negative", 503, ["Reason: Q.850;cause=-1"]),
    ("reason-q850-huge", 503, ["Reason: Q.850;cause=99999999999"]),
    ("reason-q850-letters", 503, ["Reason: Q.850;cause=abc"]),
    ("reason-sip-empty", 487, ["Reason: SIP;cause="]),
    ("reason-sip-negative", 487, ["Reason: SIP;cause=-1"]),
    ("reason-sip-huge", 487, ["Reason: SIP;cause=99999999999"]),
    ("reason-sip-letters", 487, ["Reason: SIP;cause=abc"]),
    ("reason-no-cause", 480, ["Reason: Q.850"]),
    ("reason-bare", 480, ["Reason: ;cause=16;text=\"unterminated"]),
    ("reason-many", 480, ["Reason: Q.850;cause=%d;text=\"x\"" % n for n in range(50)]
     + ["Reason: SIP;cause=%d" % (100 + n) for n in range(50)]),
    ("warning-unterminated", 606, ["Warning: 399 host \"no closing quote"]),
    ("warning-empty", 606, ["Warning: "]),
    ("warning-huge-code", 606, ["Warning: 99999999999 host \"huge\""]),
    ("warning-letters", 606, ["Warning: abc host \"letters\""]),
    ("warning-many", 606, ["Warning: %d sipvi.test \"w%d\"" % (300 + n % 100, n)
                           for n in range(100)]),
)


class Builder:
    def __init__(self):
        self.frames = []  # (bytes, case, transport)
        self.ip_id = 0x2000

    def _ipv4(self, proto, payload):
        self.ip_id += 1
        return pcapwrite.ipv4(self.ip_id, proto, payload)

    def udp(self, payload, case):
        length = 8 + len(payload)
        if 20 + length > 65535:
            raise ValueError("%s: UDP payload too large" % case)
        udp = pcapwrite.udp(SIP_PORT, UAC_PORT, payload)
        self.frames.append((pcapwrite.ethernet(True, 0x0800, self._ipv4(17, udp)), case, "udp"))

    def tcp(self, conn, from_server, flags, payload, case):
        """One segment of a TCP connection; conn tracks both sides' next sequence numbers."""
        if from_server:
            sport, dport, seq, ack = SIP_PORT, conn["port"], conn["sseq"], conn["cseq"]
        else:
            sport, dport, seq, ack = conn["port"], SIP_PORT, conn["cseq"], conn["sseq"]
        options = struct.pack("!BBH", 2, 4, 1460) if flags & 0x02 else b""
        if not flags & 0x10:
            ack = 0
        seg = pcapwrite.tcp(sport, dport, seq, ack, flags, payload, options)
        if 20 + len(seg) > 65535:
            raise ValueError("%s: TCP segment too large" % case)
        self.frames.append((pcapwrite.ethernet(from_server, 0x0800, self._ipv4(6, seg)), case, "tcp"))
        used = len(payload) + (1 if flags & 0x03 else 0)  # SYN and FIN take one number
        conn["sseq" if from_server else "cseq"] = (seq + used) & 0xFFFFFFFF

    def connect(self, port, case):
        conn = {"port": port, "cseq": 1000 * port & 0xFFFFFFFF, "sseq": 7000 * port & 0xFFFFFFFF}
        self.tcp(conn, False, 0x02, b"", case)  # SYN
        self.tcp(conn, True, 0x12, b"", case)  # SYN-ACK
        self.tcp(conn, False, 0x10, b"", case)  # ACK
        return conn

    def write(self, path):
        pcapwrite.write_pcap(path, [frame for frame, _, _ in self.frames], BASE_TIME,
                             FRAME_STEP_US, snaplen=262144)


def response(status_line, n, transport="UDP", headers=()):
    """A complete SIP response (no body); n makes its Via branch, tags and Call-ID unique."""
    lines = [status_line,
             "Via: SIP/2.0/%s 127.0.0.1:%d;branch=z9hG4bK-sipvi-hostile-%d" % (transport, UAC_PORT, n),
             "From: <sip:alice@sipvi.test>;tag=uac-%d" % n,
             "To: <sip:bob@sipvi.test>;tag=uas-%d" % n,
             "Call-ID: sipvi-hostile-%d@sipvi.test" % n,
             "CSeq: 1 INVITE"]
    lines += list(headers)
    lines += ["Content-Length: 0", "", ""]
    return "\r\n".join(lines).encode("utf-8")


REASONS = {0: "Zero", 100: "Trying", 180: "Ringing", 183: "Session Progress", 200: "OK",
           302: "Moved Temporarily", 401: "Unauthorized", 404: "Not Found", 480: "Temporarily Unavailable",
           486: "Busy Here", 487: "Request Terminated", 500: "Server Internal Error",
           503: "Service Unavailable", 603: "Decline", 606: "Not Acceptable", 700: "Stack",
           799: "Stack", 999: "Nine"}


def status(code):
    return "SIP/2.0 %03d %s" % (code, REASONS[code])


def build():
    b = Builder()
    n = 0

    # 1. Status lines alone over UDP.
    for case, line in STATUS_LINES:
        n += 1
        b.udp(response(line, n), case)

    # 2. Hundreds of headers in one response.
    n += 1
    headers = []
    for i in range(MANY_HEADERS):
        kind = i % 5
        if kind == 0:
            headers.append("Via: SIP/2.0/UDP 10.%d.%d.1:5060;branch=z9hG4bK-many-%d"
                           % (i // 256, i % 256, i))
        elif kind == 1:
            headers.append("Record-Route: <sip:10.0.%d.%d;lr>" % (i // 256, i % 256))
        elif kind == 2:
            headers.append("X-Sipvi-Filler-%d: %s" % (i, "v" * (i % 40)))
        elif kind == 3:
            headers.append("Reason: Q.850;cause=%d" % (i % 128))
        else:
            headers.append("Warning: 399 sipvi.test \"filler %d\"" % i)
    b.udp(response(status(486), n, headers=headers), "many-headers")

    # 3. Bad Reason and Warning headers.
    for case, code, lines in BAD_HEADERS:
        n += 1
        b.udp(response(status(code), n, headers=lines), case)

    # 4. TCP: a status line cut inside its code, another cut inside its reason phrase; the rest
    #    of each comes in the next segment together with a complete response.
    conn = b.connect(41001, "tcp-handshake")
    n += 3
    first = response(status(180), n - 2, "TCP")
    cut_code = response(status(486), n - 1, "TCP")
    cut_reason = response(status(603), n, "TCP")
    split_code = len("SIP/2.0 4")
    split_reason = len("SIP/2.0 603 Dec")
    b.tcp(conn, True, 0x18, first + cut_code[:split_code], "tcp-cut-in-code")
    b.tcp(conn, True, 0x18, cut_code[split_code:] + cut_reason[:split_reason], "tcp-cut-in-reason")
    n += 1
    b.tcp(conn, True, 0x18, cut_reason[split_reason:] + response(status(200), n, "TCP"),
          "tcp-rest-and-one-more")
    b.tcp(conn, False, 0x10, b"", "tcp-ack")

    # 5. TCP: 100 complete responses in one segment.
    conn = b.connect(41002, "tcp-handshake")
    payload = b""
    for i in range(HUNDRED):
        n += 1
        payload += response(status(HUNDRED_CYCLE[i % len(HUNDRED_CYCLE)]), n, "TCP")
    b.tcp(conn, True, 0x18, payload, "tcp-hundred")
    b.tcp(conn, False, 0x10, b"", "tcp-ack")

    # 6. TCP: status lines that are not SIP between two good responses, in one segment.
    conn = b.connect(41006, "tcp-handshake")
    payload = b""
    for line in ("SIP/2.0 200 OK", "SIP/2.0 1000 Big", "SIP/2.0 4x6 Letters",
                 "SIP/2.0 99999999999 Huge", "SIP/2.0 486 Busy Here"):
        n += 1
        payload += response(line, n, "TCP")
    b.tcp(conn, True, 0x18, payload, "tcp-invalid-between")
    b.tcp(conn, False, 0x10, b"", "tcp-ack")

    # 7. TCP: a stream that ends with a status line cut in the middle, then FIN.
    conn = b.connect(41003, "tcp-handshake")
    n += 2
    b.tcp(conn, True, 0x18, response(status(183), n - 1, "TCP")
          + response(status(200), n, "TCP")[:len("SIP/2.0 20")], "tcp-ends-cut")
    b.tcp(conn, True, 0x11, b"", "tcp-fin")  # FIN, ACK
    b.tcp(conn, False, 0x11, b"", "tcp-fin")

    # 8. UDP: a response whose status code lies past the end of the datagram.
    n += 1
    b.udp(b"SIP/2.0 48", "udp-truncated-code")

    # 9. TCP, last frames of the capture: a response cut inside its headers and a response whose
    #    Content-Length promises a body that never comes. The file ends there.
    conn = b.connect(41004, "tcp-handshake")
    n += 2
    b.tcp(conn, True, 0x18, response(status(100), n - 1, "TCP")
          + response(status(200), n, "TCP")[:60], "tcp-file-ends-in-headers")
    conn = b.connect(41005, "tcp-handshake")
    n += 2
    body = response(status(180), n - 1, "TCP").replace(b"Content-Length: 0", b"Content-Length: 500")
    b.tcp(conn, True, 0x18, response(status(100), n, "TCP") + body + b"v=0\r\n",
          "tcp-file-ends-in-body")
    return b


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        for i, (_, case, transport) in enumerate(build().frames, 1):
            print("%d\t%s\t%s" % (i, case, transport))
        return
    if len(argv) != 2 or argv[1].startswith("-"):
        sys.exit("usage: %s OUT_PCAP | --list" % argv[0])
    build().write(argv[1])


if __name__ == "__main__":
    main(sys.argv)
