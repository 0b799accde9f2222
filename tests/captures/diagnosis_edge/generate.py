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


# --- Issue 22: the patterns real captures showed, between hosts that are not loopback -----------
# Addresses: documentation ranges (RFC 5737) stand for public ones, RFC 1918 for private ones.
PHONE_PUBLIC, SERVER = "203.0.113.10", "198.51.100.1"
PBX, PHONE_LAN, OTHER_LAN = "10.0.0.1", "10.0.0.20", "10.0.0.30"
ROUTER = "198.51.100.254"


def ip4(addr):
    return bytes(int(x) for x in addr.split("."))


class Network:
    """Frames between any IPv4 hosts: SIP over UDP or TCP, and ICMP errors."""

    def __init__(self):
        self.frames = []
        self.ip_id = 1
        self.tcp_seq = {}

    def ip(self, src, dst, proto, payload):
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), self.ip_id, 0x4000, 64,
                          proto, 0, ip4(src), ip4(dst))
        self.ip_id += 1
        return hdr[:10] + struct.pack("!H", pcapwrite.checksum(hdr)) + hdr[12:] + payload

    def udp(self, src, dst, payload, sport=5060, dport=5060):
        length = 8 + len(payload)
        hdr = struct.pack("!HHHH", sport, dport, length, 0)
        pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, length)
        csum = pcapwrite.checksum(pseudo + hdr + payload) or 0xFFFF
        return self.ip(src, dst, 17, struct.pack("!HHHH", sport, dport, length, csum) + payload)

    def add(self, t, src, dst, payload, sport=5060, dport=5060):
        packet = self.udp(src, dst, payload, sport, dport)
        self.frames.append((t, pcapwrite.ethernet(False, 0x0800, packet)))
        return packet

    def add_tcp(self, t, src, dst, payload, sport, dport):
        key = (src, sport, dst, dport)
        seq = self.tcp_seq.get(key, 1000)
        ack = self.tcp_seq.get((dst, dport, src, sport), 1000)
        seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, 0x18, 65535, 0, 0) + payload
        pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 6, len(seg))
        csum = pcapwrite.checksum(pseudo + seg)
        seg = seg[:16] + struct.pack("!H", csum) + seg[18:]
        self.tcp_seq[key] = seq + len(payload)
        self.frames.append((t, pcapwrite.ethernet(False, 0x0800, self.ip(src, dst, 6, seg))))

    def add_icmp(self, t, src, dst, icmp_type, code, quoted):
        body = struct.pack("!BBHI", icmp_type, code, 0, 0) + quoted
        body = body[:2] + struct.pack("!H", pcapwrite.checksum(body)) + body[4:]
        self.frames.append((t, pcapwrite.ethernet(True, 0x0800, self.ip(src, dst, 1, body))))

    def write(self, path):
        Capture.write(self, path)


def sip_request(method, uri, call_id, cseq, branch, from_tag, to_tag=None, via="198.51.100.1",
                transport="UDP", headers=(), body=b"", cseq_method=None):
    lines = [f"{method} {uri} SIP/2.0",
             f"Via: SIP/2.0/{transport} {via}:5060;branch={branch}",
             "Max-Forwards: 70",
             f"From: <sip:alice@sipvi.test>;tag={from_tag}",
             f"To: <sip:bob@sipvi.test>" + (f";tag={to_tag}" if to_tag else ""),
             f"Call-ID: {call_id}",
             f"CSeq: {cseq} {cseq_method or method}",
             f"Contact: <sip:alice@{via}:5060>"]
    lines += list(headers)
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def sip_response(code, reason, call_id, cseq, method, branch, from_tag, to_tag=None,
                 via="198.51.100.1", transport="UDP", headers=(), body=b""):
    lines = [f"SIP/2.0 {code} {reason}",
             f"Via: SIP/2.0/{transport} {via}:5060;branch={branch}",
             f"From: <sip:alice@sipvi.test>;tag={from_tag}",
             f"To: <sip:bob@sipvi.test>" + (f";tag={to_tag}" if to_tag else ""),
             f"Call-ID: {call_id}",
             f"CSeq: {cseq} {method}"]
    lines += list(headers)
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def issue22():
    """One dialog per pattern of issue 22; the capture runs on 60 s after the last one."""
    n = Network()
    uri = "sip:bob@sipvi.test"
    # A ping first: tshark's first frame has no tree in a filterless -z expert (README), and the
    # NAT evidence is an SDP.
    n.add(0.0, SERVER, PHONE_PUBLIC, sip_request("OPTIONS", uri, "sipvi-i22-ping0", 1,
                                                  "z9hG4bK-ping0", "fp0"))
    # i01 media_private_address: the phone's INVITE reaches the server from its NAT's public
    # address, its SDP still says 192.168.1.20.
    cid, ft, tt = "sipvi-i22-01-nat", "f01", "t01"
    n.add(0.5, PHONE_PUBLIC, SERVER, sip_request("INVITE", uri, cid, 1, "z9hG4bK-i01", ft,
                                                  via="192.168.1.20", body=sdp("192.168.1.20")))
    n.add(0.6, SERVER, PHONE_PUBLIC, sip_response(200, "OK", cid, 1, "INVITE", "z9hG4bK-i01", ft, tt,
                                                   via="192.168.1.20", body=sdp(SERVER)))
    n.add(0.7, PHONE_PUBLIC, SERVER, sip_request("ACK", uri, cid, 1, "z9hG4bK-i01a", ft, tt,
                                                  via="192.168.1.20"))
    # i02 answered: a PBX in a private network relays another party's SDP (c= 10.0.0.30).
    cid, ft, tt = "sipvi-i22-02-relay", "f02", "t02"
    n.add(2.0, PBX, PHONE_LAN, sip_request("INVITE", uri, cid, 1, "z9hG4bK-i02", ft, via=PBX,
                                           body=sdp(OTHER_LAN)))
    n.add(2.1, PHONE_LAN, PBX, sip_response(200, "OK", cid, 1, "INVITE", "z9hG4bK-i02", ft, tt,
                                            via=PBX, body=sdp(PHONE_LAN)))
    n.add(2.2, PBX, PHONE_LAN, sip_request("ACK", uri, cid, 1, "z9hG4bK-i02a", ft, tt, via=PBX))
    # i03 answered: lab traffic on loopback with a private c=.
    cid, ft, tt = "sipvi-i22-03-loopback", "f03", "t03"
    n.add(4.0, "127.0.0.1", "127.0.0.1", sip_request("INVITE", uri, cid, 1, "z9hG4bK-i03", ft,
                                                      via="127.0.0.1", body=sdp("192.168.1.20")),
          5070, 5060)
    n.add(4.1, "127.0.0.1", "127.0.0.1", sip_response(200, "OK", cid, 1, "INVITE", "z9hG4bK-i03", ft,
                                                       tt, via="127.0.0.1", body=sdp("192.168.1.21")),
          5060, 5070)
    n.add(4.2, "127.0.0.1", "127.0.0.1", sip_request("ACK", uri, cid, 1, "z9hG4bK-i03a", ft, tt,
                                                      via="127.0.0.1"), 5070, 5060)
    # i04 busy: a stray 500 with a foreign branch, then the 600 that ends the call.
    cid, ft, tt = "sipvi-i22-04-stray", "f04", "t04"
    n.add(6.0, SERVER, PHONE_PUBLIC, sip_request("INVITE", uri, cid, 1, "z9hG4bK-i04", ft, body=sdp(SERVER)))
    n.add(6.1, PHONE_PUBLIC, SERVER, sip_response(180, "Ringing", cid, 1, "INVITE", "z9hG4bK-i04", ft, tt))
    n.add(6.2, PHONE_PUBLIC, SERVER, sip_response(500, "Server Internal Error", cid, 1, "INVITE",
                                                   "z9hG4bK-other", ft, tt))
    n.add(6.3, PHONE_PUBLIC, SERVER, sip_response(600, "Busy Everywhere", cid, 1, "INVITE",
                                                   "z9hG4bK-i04", ft, tt))
    n.add(6.4, SERVER, PHONE_PUBLIC, sip_request("ACK", uri, cid, 1, "z9hG4bK-i04", ft, tt))
    # i05 busy: a 299 first, then 486; the ACK has the INVITE's branch (a non-2xx ACK).
    cid, ft, tt = "sipvi-i22-05-299", "f05", "t05"
    n.add(8.0, SERVER, PHONE_PUBLIC, sip_request("INVITE", uri, cid, 1, "z9hG4bK-i05", ft, body=sdp(SERVER)))
    n.add(8.1, PHONE_PUBLIC, SERVER, sip_response(299, "Odd Success", cid, 1, "INVITE", "z9hG4bK-i05", ft, tt))
    n.add(8.2, PHONE_PUBLIC, SERVER, sip_response(486, "Busy Here", cid, 1, "INVITE", "z9hG4bK-i05", ft, tt))
    n.add(8.3, SERVER, PHONE_PUBLIC, sip_request("ACK", uri, cid, 1, "z9hG4bK-i05", ft, tt))
    # i06 answered, one call: an SBC's hold re-INVITE on the other leg of the same Call-ID, with
    # the tags of the dialog and a lower CSeq.
    cid, ft, tt = "sipvi-i22-06-phantom", "f06", "t06"
    n.add(10.0, SERVER, PHONE_PUBLIC, sip_request("INVITE", uri, cid, 10, "z9hG4bK-i06", ft, body=sdp(SERVER)))
    n.add(10.1, PHONE_PUBLIC, SERVER, sip_response(200, "OK", cid, 10, "INVITE", "z9hG4bK-i06", ft, tt,
                                                    body=sdp(PHONE_PUBLIC)))
    n.add(10.2, SERVER, PHONE_PUBLIC, sip_request("ACK", uri, cid, 10, "z9hG4bK-i06a", ft, tt))
    n.add(11.0, PHONE_PUBLIC, SERVER, sip_request("INVITE", uri, cid, 2, "z9hG4bK-i06h", tt, ft,
                                                   via=PHONE_PUBLIC, body=sdp(PHONE_PUBLIC)))
    n.add(11.1, SERVER, PHONE_PUBLIC, sip_response(200, "OK", cid, 2, "INVITE", "z9hG4bK-i06h", tt, ft,
                                                    via=PHONE_PUBLIC, body=sdp(SERVER)))
    n.add(11.2, PHONE_PUBLIC, SERVER, sip_request("ACK", uri, cid, 2, "z9hG4bK-i06ha", tt, ft,
                                                   via=PHONE_PUBLIC))
    # i07 network_refused: the INVITE answered only by ICMP "administratively prohibited".
    cid, ft = "sipvi-i22-07-icmp", "f07"
    invite = n.add(12.0, SERVER, "198.51.100.9", sip_request("INVITE", uri, cid, 1, "z9hG4bK-i07", ft,
                                                              body=sdp(SERVER)))
    n.add_icmp(12.01, ROUTER, SERVER, 3, 13, invite)
    # i08 ack_missing over TCP: the 200 is never ACKed; the callee's BYE 32 s later (64×T1).
    cid, ft, tt = "sipvi-i22-08-noack-tcp", "f08", "t08"
    n.add_tcp(14.0, SERVER, PHONE_PUBLIC, sip_request("INVITE", uri, cid, 1, "z9hG4bK-i08", ft,
                                                       transport="TCP", body=sdp(SERVER)), 40000, 5060)
    n.add_tcp(14.1, PHONE_PUBLIC, SERVER, sip_response(180, "Ringing", cid, 1, "INVITE", "z9hG4bK-i08",
                                                        ft, tt, transport="TCP"), 5060, 40000)
    n.add_tcp(15.0, PHONE_PUBLIC, SERVER, sip_response(200, "OK", cid, 1, "INVITE", "z9hG4bK-i08", ft,
                                                        tt, transport="TCP", body=sdp(PHONE_PUBLIC)),
              5060, 40000)
    n.add_tcp(47.0, PHONE_PUBLIC, SERVER, sip_request("BYE", "sip:alice@sipvi.test", cid, 1,
                                                       "z9hG4bK-i08b", tt, ft, via=PHONE_PUBLIC,
                                                       transport="TCP"), 5060, 40000)
    n.add_tcp(47.1, SERVER, PHONE_PUBLIC, sip_response(200, "OK", cid, 1, "BYE", "z9hG4bK-i08b", tt, ft,
                                                        via=PHONE_PUBLIC, transport="TCP"), 40000, 5060)
    # i09 cancelled: the PBX gives up ringing (Reason Q.850 19, no answer), not the caller.
    cid, ft, tt = "sipvi-i22-09-pbx-cancel", "f09", "t09"
    n.add(16.0, PBX, PHONE_LAN, sip_request("INVITE", uri, cid, 1, "z9hG4bK-i09", ft, via=PBX, body=sdp(PBX)))
    n.add(16.1, PHONE_LAN, PBX, sip_response(180, "Ringing", cid, 1, "INVITE", "z9hG4bK-i09", ft, tt, via=PBX))
    n.add(46.0, PBX, PHONE_LAN, sip_request("CANCEL", uri, cid, 1, "z9hG4bK-i09", ft, via=PBX,
                                            headers=['Reason: Q.850;cause=19;text="ring timeout"']))
    n.add(46.1, PHONE_LAN, PBX, sip_response(200, "OK", cid, 1, "CANCEL", "z9hG4bK-i09", ft, tt, via=PBX))
    n.add(46.2, PHONE_LAN, PBX, sip_response(487, "Request Terminated", cid, 1, "INVITE", "z9hG4bK-i09",
                                             ft, tt, via=PBX))
    n.add(46.3, PBX, PHONE_LAN, sip_request("ACK", uri, cid, 1, "z9hG4bK-i09", ft, tt, via=PBX))
    # i10 reg_ok: a brute force, five REGISTER transactions reusing CSeq 1, four 401s, a 200.
    cid, ft = "sipvi-i22-10-brute", "f10"
    for k in range(5):
        branch = f"z9hG4bK-i10-{k}"
        n.add(18.0 + k, PHONE_PUBLIC, SERVER, sip_request("REGISTER", "sip:sipvi.test", cid, 1, branch,
                                                           ft, via=PHONE_PUBLIC,
                                                           headers=[REG_AUTH] if k else []))
        code = (401, "Unauthorized") if k < 4 else (200, "OK")
        n.add(18.1 + k, SERVER, PHONE_PUBLIC, sip_response(*code, cid, 1, "REGISTER", branch, ft, "r10",
                                                            via=PHONE_PUBLIC))
    # i11 server_error: "500 Request out of order" says more than the code.
    cid, ft, tt = "sipvi-i22-11-phrase", "f11", "t11"
    n.add(24.0, SERVER, PHONE_PUBLIC, sip_request("INVITE", uri, cid, 1, "z9hG4bK-i11", ft, body=sdp(SERVER)))
    n.add(24.1, PHONE_PUBLIC, SERVER, sip_response(500, "Request out of order", cid, 1, "INVITE",
                                                    "z9hG4bK-i11", ft, tt))
    n.add(24.2, SERVER, PHONE_PUBLIC, sip_request("ACK", uri, cid, 1, "z9hG4bK-i11", ft, tt))
    # i12 codec_mismatch: the authenticated INVITE offers only a disabled stream (m=audio 0).
    cid, ft, tt = "sipvi-i22-12-codec", "f12", "t12"
    n.add(26.0, SERVER, PHONE_PUBLIC, sip_request("INVITE", uri, cid, 1, "z9hG4bK-i12", ft, body=sdp(SERVER)))
    n.add(26.1, PHONE_PUBLIC, SERVER, sip_response(407, "Proxy Authentication Required", cid, 1, "INVITE",
                                                    "z9hG4bK-i12", ft, tt,
                                                    headers=['Proxy-Authenticate: Digest realm="sipvi.test", nonce="n1"']))
    n.add(26.2, SERVER, PHONE_PUBLIC, sip_request("ACK", uri, cid, 1, "z9hG4bK-i12", ft, tt))
    n.add(26.3, SERVER, PHONE_PUBLIC, sip_request("INVITE", uri, cid, 2, "z9hG4bK-i12b", ft, headers=[AUTH],
                                                   body=sdp(SERVER, "m=audio 0 RTP/AVP 18\r\n")))
    n.add(26.4, PHONE_PUBLIC, SERVER, sip_response(488, "Not Acceptable Here", cid, 2, "INVITE",
                                                    "z9hG4bK-i12b", ft, tt))
    n.add(26.5, SERVER, PHONE_PUBLIC, sip_request("ACK", uri, cid, 2, "z9hG4bK-i12b", ft, tt))
    # i13 caller_cancelled: the caller ends the early dialog with a BYE (RFC 3261 §15), answered.
    cid, ft, tt = "sipvi-i22-13-early-bye", "f13", "t13"
    n.add(28.0, SERVER, PHONE_PUBLIC, sip_request("INVITE", uri, cid, 1, "z9hG4bK-i13", ft, body=sdp(SERVER)))
    n.add(28.1, PHONE_PUBLIC, SERVER, sip_response(180, "Ringing", cid, 1, "INVITE", "z9hG4bK-i13", ft, tt))
    n.add(30.0, SERVER, PHONE_PUBLIC, sip_request("BYE", uri, cid, 2, "z9hG4bK-i13b", ft, tt))
    n.add(30.1, PHONE_PUBLIC, SERVER, sip_response(200, "OK", cid, 2, "BYE", "z9hG4bK-i13b", ft, tt))
    n.add(30.2, PHONE_PUBLIC, SERVER, sip_response(487, "Request Terminated", cid, 1, "INVITE",
                                                    "z9hG4bK-i13", ft, tt))
    n.add(30.3, SERVER, PHONE_PUBLIC, sip_request("ACK", uri, cid, 1, "z9hG4bK-i13", ft, tt))
    # The capture runs on: an OPTIONS ping 60 s after the last dialog (no call).
    n.add(107.0, SERVER, PHONE_PUBLIC, sip_request("OPTIONS", uri, "sipvi-i22-ping", 1, "z9hG4bK-ping", "fp"))
    return n


def issue22_end():
    """What is still pending when the capture ends: a REGISTER with credentials after a 401, and
    a BYE of an answered call, both the last frames."""
    n = Network()
    uri = "sip:bob@sipvi.test"
    cid, ft, tt = "sipvi-i22-20-bye-last", "f20", "t20"
    n.add(0.0, SERVER, PHONE_PUBLIC, sip_request("INVITE", uri, cid, 1, "z9hG4bK-i20", ft, body=sdp(SERVER)))
    n.add(0.1, PHONE_PUBLIC, SERVER, sip_response(200, "OK", cid, 1, "INVITE", "z9hG4bK-i20", ft, tt,
                                                   body=sdp(PHONE_PUBLIC)))
    n.add(0.2, SERVER, PHONE_PUBLIC, sip_request("ACK", uri, cid, 1, "z9hG4bK-i20a", ft, tt))
    cid2, ft2 = "sipvi-i22-21-register-last", "f21"
    n.add(5.0, PHONE_PUBLIC, SERVER, sip_request("REGISTER", "sip:sipvi.test", cid2, 1, "z9hG4bK-i21",
                                                  ft2, via=PHONE_PUBLIC))
    n.add(5.1, SERVER, PHONE_PUBLIC, sip_response(401, "Unauthorized", cid2, 1, "REGISTER", "z9hG4bK-i21",
                                                   ft2, "r21", via=PHONE_PUBLIC,
                                                   headers=['WWW-Authenticate: Digest realm="sipvi.test", nonce="n1"']))
    n.add(5.2, PHONE_PUBLIC, SERVER, sip_request("REGISTER", "sip:sipvi.test", cid2, 2, "z9hG4bK-i21b",
                                                  ft2, via=PHONE_PUBLIC, headers=[REG_AUTH]))
    n.add(9.0, SERVER, PHONE_PUBLIC, sip_request("BYE", uri, cid, 2, "z9hG4bK-i20b", ft, tt))
    return n


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
    issue22().write(os.path.join(out, "issue22.pcap"))
    issue22_end().write(os.path.join(out, "issue22-end.pcap"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
