#!/usr/bin/env python3
"""Writes a capture whose SIP headers are what a spreadsheet would run (OWASP "CSV injection"):
Call-IDs, From and To, reason phrases and Warning texts that start with = + - @ TAB or CR, with
quotes, separators, control characters and text that is no XML. Used by tests/test_triage_xlsx.py;
captures are untrusted input, and this is the worst a capture can put into the triage's cells.

Usage: hostile_headers.py OUT.pcap        Python standard library only; same bytes on every run.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcapwrite  # noqa: E402

UAC, UAS = 5070, 5060

# (Call-ID, From user, To user, final code, reason phrase, Warning text): each call is an INVITE
# answered by that code, whose reason phrase and Warning carry the payload.
CALLS = [
    ("=1+2@evil", "=1+2", "+1-2", 486, "=HYPERLINK(\"http://x\";\"y\")", "=cmd|' /C calc'!A0"),
    ("+1+2@evil", "@SUM(1+1)*cmd", "-2+3", 603, "+cmd|' /C calc'!A0", "@SUM(A1:A9)"),
    ("-2+3@evil", "%3D1%2B2", "\tx", 404, "-1+1", "=1+1"),
    ("@SUM(1)@evil", "alice", "bob", 488, "=\"\" & \"x\"", "\"quoted, with comma\""),
    ("\x01ctl\x1f_x0041_@evil", "a\"b", "c,d", 500, "=A1\x0b", "text <b>&amp;</b> ]]> _x0009_"),
]


def invite(call_id, from_user, to_user, cseq=1):
    lines = [f"INVITE sip:{to_user}@127.0.0.1:{UAS} SIP/2.0",
             f"Via: SIP/2.0/UDP 127.0.0.1:{UAC};branch=z9hG4bK-h{cseq}",
             "Max-Forwards: 70",
             f"From: \"{from_user}\" <sip:{from_user}@127.0.0.1:{UAC}>;tag=a{cseq}",
             f"To: <sip:{to_user}@127.0.0.1:{UAS}>",
             f"Call-ID: {call_id}",
             f"CSeq: {cseq} INVITE",
             f"Contact: <sip:{from_user}@127.0.0.1:{UAC}>",
             "Content-Length: 0"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def response(call_id, from_user, to_user, code, reason, warning, cseq=1):
    lines = [f"SIP/2.0 {code} {reason}",
             f"Via: SIP/2.0/UDP 127.0.0.1:{UAC};branch=z9hG4bK-h{cseq}",
             f"From: \"{from_user}\" <sip:{from_user}@127.0.0.1:{UAC}>;tag=a{cseq}",
             f"To: <sip:{to_user}@127.0.0.1:{UAS}>;tag=b{cseq}",
             f"Call-ID: {call_id}",
             f"CSeq: {cseq} INVITE",
             f"Warning: 399 evil.example \"{warning}\"",
             "Content-Length: 0"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def ack(call_id, from_user, to_user, cseq=1):
    lines = [f"ACK sip:{to_user}@127.0.0.1:{UAS} SIP/2.0",
             f"Via: SIP/2.0/UDP 127.0.0.1:{UAC};branch=z9hG4bK-h{cseq}",
             "Max-Forwards: 70",
             f"From: \"{from_user}\" <sip:{from_user}@127.0.0.1:{UAC}>;tag=a{cseq}",
             f"To: <sip:{to_user}@127.0.0.1:{UAS}>;tag=b{cseq}",
             f"Call-ID: {call_id}",
             f"CSeq: {cseq} ACK",
             "Content-Length: 0"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


# A registration too: its Call-ID and AOR reach the registrations sheet.
REGISTRATION = ("=HYPERLINK(\"http://evil\")@evil", "=2+5", 403, "@cmd")


def register(call_id, user, cseq):
    lines = [f"REGISTER sip:127.0.0.1:{UAS} SIP/2.0",
             f"Via: SIP/2.0/UDP 127.0.0.1:{UAC};branch=z9hG4bK-r{cseq}",
             "Max-Forwards: 70",
             f"From: <sip:{user}@127.0.0.1:{UAS}>;tag=r{cseq}",
             f"To: <sip:{user}@127.0.0.1:{UAS}>",
             f"Call-ID: {call_id}",
             f"CSeq: {cseq} REGISTER",
             f"Contact: <sip:{user}@127.0.0.1:{UAC}>",
             "Content-Length: 0"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def register_response(call_id, user, code, reason, cseq):
    lines = [f"SIP/2.0 {code} {reason}",
             f"Via: SIP/2.0/UDP 127.0.0.1:{UAC};branch=z9hG4bK-r{cseq}",
             f"From: <sip:{user}@127.0.0.1:{UAS}>;tag=r{cseq}",
             f"To: <sip:{user}@127.0.0.1:{UAS}>;tag=s{cseq}",
             f"Call-ID: {call_id}",
             f"CSeq: {cseq} REGISTER",
             "Content-Length: 0"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def frames():
    out, ip_id = [], 1
    for n, (call_id, from_user, to_user, code, reason, warning) in enumerate(CALLS, 1):
        for from_uac, payload in ((True, invite(call_id, from_user, to_user, n)),
                                  (False, response(call_id, from_user, to_user, code, reason,
                                                   warning, n)),
                                  (True, ack(call_id, from_user, to_user, n))):
            src, dst = (UAC, UAS) if from_uac else (UAS, UAC)
            out.append(pcapwrite.ethernet(not from_uac, 0x0800,
                                          pcapwrite.ipv4(ip_id, 17, pcapwrite.udp(src, dst, payload))))
            ip_id += 1
    call_id, user, code, reason = REGISTRATION
    for from_uac, payload in ((True, register(call_id, user, 100)),
                              (False, register_response(call_id, user, code, reason, 100))):
        src, dst = (UAC, UAS) if from_uac else (UAS, UAC)
        out.append(pcapwrite.ethernet(not from_uac, 0x0800,
                                      pcapwrite.ipv4(ip_id, 17, pcapwrite.udp(src, dst, payload))))
        ip_id += 1
    return out


def main(argv):
    if len(argv) != 2:
        print(__doc__.split("\n\n")[2], file=sys.stderr)
        return 2
    pcapwrite.write_pcap(argv[1], frames(), 1735689600, 100_000)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
