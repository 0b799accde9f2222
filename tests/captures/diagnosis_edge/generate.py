#!/usr/bin/env python3
"""Generates the captures of tests/captures/diagnosis_edge/: SIP dialogs written message by
message, for the diagnoses that a recording cannot produce on demand (a 2xx never acknowledged,
a BYE never answered, an INVITE missing from the capture) and for bad input (a Reason list with
garbage, an SDP without m=, a Call-ID reused after its call ended, a storm of REGISTERs).

Usage: generate.py OUT_DIR              the committed captures (edge-calls, registrations, bad-input)
       generate.py --storm N OUT.pcap   N REGISTER Call-IDs (the tests write it in a temporary folder)

Everything is fixed (times, addresses, ports, IP IDs, tags), so the output is the same bytes on
every run. The caller is 127.0.0.1:5070, the callee or registrar 127.0.0.1:5060, over UDP. The
expected diagnosis of each dialog is in tests/test_diagnosis.py. Python standard library only.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
import pcapwrite  # noqa: E402

BASE_TIME = 1735689600  # 2025-01-01 00:00:00 UTC
UAC, UAS = 5070, 5060


class Capture:
    def __init__(self):
        self.frames = []   # (seconds from start, bytes)
        self.ip_id = 1

    def add(self, t, payload, from_uac=True):
        src, dst = (UAC, UAS) if from_uac else (UAS, UAC)
        packet = pcapwrite.ethernet(not from_uac, 0x0800,
                                    pcapwrite.ipv4(self.ip_id, 17, pcapwrite.udp(src, dst, payload)))
        self.ip_id += 1
        self.frames.append((t, packet))

    def write(self, path):
        out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
        for t, frame in sorted(self.frames, key=lambda f: f[0]):
            us = round(t * 1_000_000)
            out.append(struct.pack("<IIII", BASE_TIME + us // 1_000_000, us % 1_000_000,
                                   len(frame), len(frame)))
            out.append(frame)
        with open(path, "wb") as f:
            f.write(b"".join(out))


def request(method, call_id, cseq, headers=(), body=b"", user="bob", cseq_method=None,
            branch=None):
    uri = f"sip:{user}@127.0.0.1:{UAS}"
    if method == "REGISTER":
        uri = "sip:127.0.0.1:5060"
    lines = [f"{method} {uri} SIP/2.0",
             f"Via: SIP/2.0/UDP 127.0.0.1:{UAC};branch={branch or 'z9hG4bK-' + call_id + '-' + str(cseq) + method}",
             "Max-Forwards: 70",
             f"From: <sip:alice@127.0.0.1:{UAC}>;tag=a-{call_id}",
             f"To: <sip:{user if method != 'REGISTER' else 'alice'}@127.0.0.1:{UAS}>",
             f"Call-ID: {call_id}",
             f"CSeq: {cseq} {cseq_method or method}",
             f"Contact: <sip:alice@127.0.0.1:{UAC}>"]
    lines += list(headers)
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def response(code, reason, call_id, cseq, method, headers=(), body=b"", to_tag=True, user="bob",
             branch=None):
    lines = [f"SIP/2.0 {code} {reason}",
             f"Via: SIP/2.0/UDP 127.0.0.1:{UAC};branch={branch or 'z9hG4bK-' + call_id + '-' + str(cseq) + method}",
             f"From: <sip:alice@127.0.0.1:{UAC}>;tag=a-{call_id}",
             f"To: <sip:{user if method != 'REGISTER' else 'alice'}@127.0.0.1:{UAS}>"
             + (f";tag=b-{call_id}" if to_tag else ""),
             f"Call-ID: {call_id}",
             f"CSeq: {cseq} {method}"]
    lines += list(headers)
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def sdp(addr="127.0.0.1", media="m=audio 6000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"):
    return (f"v=0\r\no=- 1 1 IN IP4 {addr}\r\ns=-\r\nc=IN IP4 {addr}\r\nt=0 0\r\n" + media).encode()


AUTH = 'Proxy-Authorization: Digest username="alice",realm="sipvi.test",nonce="n1",uri="sip:bob@127.0.0.1:5060",response="00000000000000000000000000000000"'
REG_AUTH = 'Authorization: Digest username="alice",realm="sipvi.test",nonce="n1",uri="sip:127.0.0.1:5060",response="00000000000000000000000000000000"'


def edge_calls():
    """One dialog per diagnosis that the triage recordings do not have, 2 s apart."""
    c = Capture()
    t = 0.0
    # e01 auth_failed: 407, INVITE with credentials, 407 again.
    cid = "sipvi-edge-e01-auth"
    c.add(t, request("INVITE", cid, 1, body=sdp()))
    c.add(t + 0.01, response(407, "Proxy Authentication Required", cid, 1, "INVITE",
                             ['Proxy-Authenticate: Digest realm="sipvi.test", nonce="n1"']), False)
    c.add(t + 0.02, request("ACK", cid, 1))
    c.add(t + 0.03, request("INVITE", cid, 2, [AUTH], sdp()))
    c.add(t + 0.04, response(407, "Proxy Authentication Required", cid, 2, "INVITE",
                             ['Proxy-Authenticate: Digest realm="sipvi.test", nonce="n2"']), False)
    c.add(t + 0.05, request("ACK", cid, 2))
    # e02 caller_cancelled: CANCEL without a Reason.
    t = 2.0
    cid = "sipvi-edge-e02-cancel"
    c.add(t, request("INVITE", cid, 1, body=sdp()))
    c.add(t + 0.01, response(180, "Ringing", cid, 1, "INVITE"), False)
    c.add(t + 1.0, request("CANCEL", cid, 1))
    c.add(t + 1.01, response(200, "OK", cid, 1, "CANCEL"), False)
    c.add(t + 1.02, response(487, "Request Terminated", cid, 1, "INVITE"), False)
    c.add(t + 1.03, request("ACK", cid, 1))
    # e04 ack_missing: 200 retransmitted, no ACK, BYE 32 s later, answered.
    t = 12.0
    cid = "sipvi-edge-e04-noack"
    c.add(t, request("INVITE", cid, 1, body=sdp()))
    c.add(t + 0.01, response(180, "Ringing", cid, 1, "INVITE"), False)
    for dt in (1.0, 1.5, 2.5, 4.5, 8.5):
        c.add(t + dt, response(200, "OK", cid, 1, "INVITE", body=sdp()), False)
    # The callee gives up on the call and hangs up (its own CSeq space).
    c.add(t + 33.0, request("BYE", cid, 1), False)
    c.add(t + 33.01, response(200, "OK", cid, 1, "BYE"))
    # e05 invite_missing: three 408s to an INVITE that is not in the capture.
    t = 50.0
    cid = "sipvi-edge-e05-noinvite"
    for dt in (0, 0.5, 1.5):
        c.add(t + dt, response(408, "Request Timeout", cid, 1, "INVITE"), False)
    # e07 bye_failed: the BYE gets 481.
    t = 62.0
    cid = "sipvi-edge-e07-bye481"
    c.add(t, request("INVITE", cid, 1, body=sdp()))
    c.add(t + 0.01, response(200, "OK", cid, 1, "INVITE", body=sdp()), False)
    c.add(t + 0.02, request("ACK", cid, 1))
    c.add(t + 1.0, request("BYE", cid, 2))
    c.add(t + 1.01, response(481, "Call/Transaction Does Not Exist", cid, 2, "BYE"), False)
    # e08 media_private_address: the callee's SDP says 192.168.1.20, its packets come from 127.0.0.1.
    t = 64.0
    cid = "sipvi-edge-e08-nat"
    c.add(t, request("INVITE", cid, 1, body=sdp()))
    c.add(t + 0.01, response(200, "OK", cid, 1, "INVITE", body=sdp("192.168.1.20")), False)
    c.add(t + 0.02, request("ACK", cid, 1))
    c.add(t + 1.0, request("BYE", cid, 2))
    c.add(t + 1.01, response(200, "OK", cid, 2, "BYE"), False)
    # e09 other_failure: 415, a code no rule names.
    t = 66.0
    cid = "sipvi-edge-e09-415"
    c.add(t, request("INVITE", cid, 1, body=sdp()))
    c.add(t + 0.01, response(415, "Unsupported Media Type", cid, 1, "INVITE"), False)
    c.add(t + 0.02, request("ACK", cid, 1))
    # e03 no_response: the INVITE sent at RFC 3261's timer A times (T1 = 0.5 s) until timer B,
    # seven times in 31.5 s, nothing back.
    t = 70.0
    cid = "sipvi-edge-e03-silent"
    for dt in (0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5):
        c.add(t + dt, request("INVITE", cid, 1, body=sdp()))
    # e06 bye_failed: answered, ACK, the BYE sent eight times (timer E) with no answer.
    t = 110.0
    cid = "sipvi-edge-e06-byesilent"
    c.add(t, request("INVITE", cid, 1, body=sdp()))
    c.add(t + 0.01, response(200, "OK", cid, 1, "INVITE", body=sdp()), False)
    c.add(t + 0.02, request("ACK", cid, 1))
    for dt in (1.0, 1.5, 2.5, 4.5, 8.5, 12.5, 16.5, 20.5):
        c.add(t + dt, request("BYE", cid, 2))
    return c


def registrations():
    c = Capture()
    # r01 reg_ok: 401, then credentials, 200.
    cid = "sipvi-edge-r01-ok"
    c.add(0.0, request("REGISTER", cid, 1, ["Expires: 3600"]))
    c.add(0.01, response(401, "Unauthorized", cid, 1, "REGISTER",
                         ['WWW-Authenticate: Digest realm="sipvi.test", nonce="n1"']), False)
    c.add(0.02, request("REGISTER", cid, 2, ["Expires: 3600", REG_AUTH]))
    c.add(0.03, response(200, "OK", cid, 2, "REGISTER", ["Expires: 3600"]), False)
    # r02 reg_auth_failed: 401, credentials, 401 again.
    cid = "sipvi-edge-r02-badpass"
    c.add(1.0, request("REGISTER", cid, 1, ["Expires: 3600"]))
    c.add(1.01, response(401, "Unauthorized", cid, 1, "REGISTER",
                         ['WWW-Authenticate: Digest realm="sipvi.test", nonce="n1"']), False)
    c.add(1.02, request("REGISTER", cid, 2, ["Expires: 3600", REG_AUTH]))
    c.add(1.03, response(401, "Unauthorized", cid, 2, "REGISTER",
                         ['WWW-Authenticate: Digest realm="sipvi.test", nonce="n2"']), False)
    # r03 reg_rejected: 404 without a challenge.
    cid = "sipvi-edge-r03-unknown"
    c.add(2.0, request("REGISTER", cid, 1, ["Expires: 3600"]))
    c.add(2.01, response(404, "Not Found", cid, 1, "REGISTER"), False)
    # r04 reg_no_response: retransmitted, nothing back.
    cid = "sipvi-edge-r04-silent"
    for dt in (0, 0.5, 1.5):
        c.add(3.0 + dt, request("REGISTER", cid, 1, ["Expires: 3600"]))
    return c


def bad_input():
    c = Capture()
    # b01: Reason list, the Q.850 cause second (SIP's dissector decodes only the first value).
    cid = "sipvi-bad-b01-list"
    c.add(0.0, request("INVITE", cid, 1, body=sdp()))
    c.add(0.01, response(404, "Not Found", cid, 1, "INVITE",
                         ["Reason: SIP;cause=404, Q.850;cause=41"]), False)
    c.add(0.02, request("ACK", cid, 1))
    # b02: Reason values that are garbage: no cause is taken, the code decides.
    cid = "sipvi-bad-b02-garbage"
    c.add(1.0, request("INVITE", cid, 1, body=sdp()))
    c.add(1.01, response(486, "Busy Here", cid, 1, "INVITE",
                         ['Reason: Q.850;cause=abc;;, ,,=, Q.850;cause=99999999999, "unterminated']),
          False)
    c.add(1.02, request("ACK", cid, 1))
    # b03: an SDP offer without any m= line, refused with 488.
    cid = "sipvi-bad-b03-no-m"
    c.add(2.0, request("INVITE", cid, 1, body=sdp(media="")))
    c.add(2.01, response(488, "Not Acceptable Here", cid, 1, "INVITE"), False)
    c.add(2.02, request("ACK", cid, 1))
    # b04: a Call-ID reused after its call ended: answered, then busy (two calls).
    cid = "sipvi-bad-b04-reused"
    c.add(3.0, request("INVITE", cid, 1, body=sdp()))
    c.add(3.01, response(200, "OK", cid, 1, "INVITE", body=sdp()), False)
    c.add(3.02, request("ACK", cid, 1))
    c.add(4.0, request("BYE", cid, 2))
    c.add(4.01, response(200, "OK", cid, 2, "BYE"), False)
    c.add(5.0, request("INVITE", cid, 1, body=sdp(), branch="z9hG4bK-reused-second"))
    c.add(5.01, response(486, "Busy Here", cid, 1, "INVITE", branch="z9hG4bK-reused-second"), False)
    c.add(5.02, request("ACK", cid, 1, branch="z9hG4bK-reused-second"))
    return c


def storm(n):
    """n REGISTER Call-IDs: ok, rejected, unanswered, wrong password, in turn."""
    c = Capture()
    for i in range(n):
        cid = f"sipvi-storm-{i:05d}"
        t = i * 0.001
        kind = i % 4
        if kind == 3:
            c.add(t, request("REGISTER", cid, 1, ["Expires: 60", REG_AUTH]))
        else:
            c.add(t, request("REGISTER", cid, 1, ["Expires: 60"]))
        if kind == 0:
            c.add(t + 0.0002, response(200, "OK", cid, 1, "REGISTER"), False)
        elif kind == 1:
            c.add(t + 0.0002, response(403, "Forbidden", cid, 1, "REGISTER"), False)
        elif kind == 3:
            c.add(t + 0.0002, response(401, "Unauthorized", cid, 1, "REGISTER",
                                       ['WWW-Authenticate: Digest realm="sipvi.test", nonce="n"']),
                  False)
    return c


def main(argv):
    if len(argv) == 4 and argv[1] == "--storm":
        storm(int(argv[2])).write(argv[3])
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[1]
    edge_calls().write(os.path.join(out, "edge-calls.pcap"))
    registrations().write(os.path.join(out, "registrations.pcap"))
    bad_input().write(os.path.join(out, "bad-input.pcap"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
