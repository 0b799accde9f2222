#!/usr/bin/env python3
"""Generate wireshark-warning.pcap: a capture on which tshark -2 warns about a bug of its own.

Usage: gen_wireshark_warning.py OUT_PCAP

The fuzz script (tests/robustness/fuzz) must keep such a capture as Wireshark's failure, not
sipvi's (issue 14); test_fuzz_culprit.py checks that with the real tshark. The file holds:

1. A SIP 486 response over UDP, so that sipvi has something to annotate in the same file.
2. TCP 127.0.0.1:40000 -> 127.0.0.1:443, first segment: a TLS handshake record with the
   unknown record version 0x3401 (18 bytes), then a handshake record of 1 byte.
3. Second segment: a TLS 1.0 HelloRequest record.

Wireshark's TLS dissector (4.0.17 at least) decides how to read a record from the version of the
session. On the first pass the version is unknown at frame 2, and a record that does not look
like SSL 3/TLS makes it skip the rest of the segment as "Continuation Data". Frame 3, a
handshake message other than ClientHello, sets the session to TLS 1.0. On the second pass (-2)
frame 2 is read as two records; the 1-byte one is an unfinished handshake message, for which
the second pass expects the fragment the first pass saved, and there is none:

    ** (tshark:PID) HH:MM:SS.micro [Epan WARNING] -- Dissector bug, protocol TLS, in packet 2:
    ./epan/dissectors/packet-tls.c:2513: failed assertion "frag_info && frag_info->offset == 0"

That is the warning of issue 14. It was found by fuzzing Wireshark's own test capture
tls-fragmented-handshakes.pcap and cut down to these two segments; the bytes here are written
from scratch. Byte-identical output on every run; Python 3 standard library only.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import pcapwrite  # noqa: E402

BASE_TIME = 1704153600  # 2024-01-02 00:00:00 UTC
FRAME_STEP_US = 1000
TLS_CLIENT_PORT, TLS_PORT = 40000, 443
SIP_PORT, UAC_PORT = 5060, 5070
TCP_PSH_ACK = 0x18
CLIENT_SEQ = 1000

SIP_486 = "\r\n".join([
    "SIP/2.0 486 Busy Here",
    "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-sipvi-wswarn-1" % UAC_PORT,
    "From: <sip:alice@sipvi.test>;tag=uac-1",
    "To: <sip:bob@sipvi.test>;tag=uas-1",
    "Call-ID: sipvi-wswarn-1@sipvi.test",
    "CSeq: 1 INVITE",
    "Content-Length: 0", "", ""]).encode("ascii")


def tls_record(version, body):
    """A TLS record of content type 22 (handshake)."""
    return bytes([22]) + version.to_bytes(2, "big") + len(body).to_bytes(2, "big") + body


def tcp_frame(seq, payload):
    return pcapwrite.ethernet(False, 0x0800, pcapwrite.ipv4(
        2, 6, pcapwrite.tcp(TLS_CLIENT_PORT, TLS_PORT, seq, 1, TCP_PSH_ACK, payload)))


def frames():
    sip = pcapwrite.ethernet(True, 0x0800, pcapwrite.ipv4(
        1, 17, pcapwrite.udp(SIP_PORT, UAC_PORT, SIP_486)))
    first = tls_record(0x3401, b"\xaa" * 18) + tls_record(0x0301, b"\x33")
    hello_request = tls_record(0x0301, b"\x00\x00\x00\x00")  # type 0, length 0
    return [sip, tcp_frame(CLIENT_SEQ, first), tcp_frame(CLIENT_SEQ + len(first), hello_request)]


def main(argv):
    if len(argv) != 2 or argv[1].startswith("-"):
        sys.exit("usage: %s OUT_PCAP" % argv[0])
    pcapwrite.write_pcap(argv[1], frames(), BASE_TIME, FRAME_STEP_US)


if __name__ == "__main__":
    main(sys.argv)
