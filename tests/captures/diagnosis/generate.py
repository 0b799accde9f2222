#!/usr/bin/env python3
"""Generate the diagnosis captures that loopback recording cannot give, and the bad-input ones.

Usage: generate.py [OUT_DIR]      (default: the directory of this script)

Writes classic pcaps (LINKTYPE_ETHERNET, microsecond timestamps) between the caller/phone
127.0.0.1:5070 and the callee/registrar 127.0.0.1:5060, over UDP, with fixed timestamps, IP IDs
and Call-IDs, so that every run gives the same bytes:

  g16-invite_missing-udp.pcap   an INVITE too big for one 1500-byte packet, IP-fragmented, of
                                which only the first fragment was captured (so tshark never
                                shows it as SIP), then 100 and 408 answers to it: the
                                invite_missing case of issue 12 as seen on a real network
                                (on lo, whose MTU is 65536, nothing is ever fragmented)
  b01-reason_garbage-udp.pcap   Reason headers with garbage values and lists
  b02-sdp_without_m-udp.pcap    offers and answers whose SDP has no m= line
  b03-callid_reused-udp.pcap    one Call-ID, two INVITE dialogs: the second starts after the
                                first ended with BYE/200
  b04-register_storm-udp.pcap.gz  10,000 REGISTERs with distinct Call-IDs, each answered 200

What each call is and what a diagnosis must say: README.md and expected.tsv.
Python 3 standard library only (plus tests/pcapwrite.py).
"""

import gzip
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
import pcapwrite  # noqa: E402

BASE_TIME = 1767225600  # 2026-01-01 00:00:00 UTC
A_PORT, B_PORT = 5070, 5060
A = "127.0.0.1:5070"
B = "127.0.0.1:5060"
STORM_SIZE = 10000


class Capture:
    """Frames with their times; A is the client side of pcapwrite's fixed MACs, B the server."""

    def __init__(self):
        self.frames, self.times = [], []
        self.ip_id = 0x4000

    def _ipv4(self, proto, payload, flags_off=0x4000):
        self.ip_id += 1
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), self.ip_id, flags_off, 64, proto, 0,
                          pcapwrite.IP4_LOOPBACK, pcapwrite.IP4_LOOPBACK)
        return hdr[:10] + struct.pack("!H", pcapwrite.checksum(hdr)) + hdr[12:] + payload

    def sip(self, t_ms, from_b, text):
        msg = text.replace("\n", "\r\n").encode("utf-8")
        sport, dport = (B_PORT, A_PORT) if from_b else (A_PORT, B_PORT)
        self.frames.append(pcapwrite.ethernet(from_b, 0x0800, self._ipv4(17, pcapwrite.udp(sport, dport, msg))))
        self.times.append(int(round(t_ms * 1000)))

    def first_fragment_only(self, t_ms, text, mtu=1500):
        """The first IPv4 fragment of a UDP datagram from A; the rest was not captured."""
        msg = text.replace("\n", "\r\n").encode("utf-8")
        dgram = pcapwrite.udp(A_PORT, B_PORT, msg)
        cut = (mtu - 20) // 8 * 8
        assert len(dgram) > cut, "the INVITE must not fit one packet"
        self.frames.append(pcapwrite.ethernet(False, 0x0800, self._ipv4(17, dgram[:cut], flags_off=0x2000)))
        self.times.append(int(round(t_ms * 1000)))

    def write(self, path):
        pcapwrite.write_pcap(path, self.frames, BASE_TIME, 0, times_us=self.times)


def body(sdp):
    return "Content-Type: application/sdp\nContent-Length: %d\n\n%s" % (len(sdp.replace("\n", "\r\n")), sdp)


def request(method, cid, cseq, branch, ftag, ttag=None, extra=(), sdp=None, ruri="sip:bob@" + B):
    lines = ["%s %s SIP/2.0" % (method, ruri),
             "Via: SIP/2.0/UDP %s;branch=z9hG4bK-%s" % (A, branch),
             "Max-Forwards: 70",
             'From: "alice" <sip:alice@%s>;tag=%s' % (A, ftag),
             "To: <sip:bob@%s>%s" % (B, ";tag=" + ttag if ttag else ""),
             "Call-ID: " + cid,
             "CSeq: %d %s" % (cseq, method)]
    if method == "INVITE":
        lines.append("Contact: <sip:alice@%s>" % A)
    lines += list(extra)
    lines.append(body(sdp) if sdp is not None else "Content-Length: 0\n")
    return "\n".join(lines) + "\n"


def response(code, phrase, cid, cseq, method, branch, ftag, ttag=None, extra=(), sdp=None):
    lines = ["SIP/2.0 %d %s" % (code, phrase),
             "Via: SIP/2.0/UDP %s;branch=z9hG4bK-%s" % (A, branch),
             'From: "alice" <sip:alice@%s>;tag=%s' % (A, ftag),
             "To: <sip:bob@%s>%s" % (B, ";tag=" + ttag if ttag else ""),
             "Call-ID: " + cid,
             "CSeq: %d %s" % (cseq, method)]
    if code in range(180, 300) and method == "INVITE":
        lines.append("Contact: <sip:bob@%s>" % B)
    lines += list(extra)
    lines.append(body(sdp) if sdp is not None else "Content-Length: 0\n")
    return "\n".join(lines) + "\n"


OFFER = """v=0
o=alice 1001 1001 IN IP4 127.0.0.1
s=sipvi
c=IN IP4 127.0.0.1
t=0 0
m=audio 16000 RTP/AVP 0 8 18 101
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:18 G729/8000
a=rtpmap:101 telephone-event/8000
a=sendrecv
"""
ANSWER = """v=0
o=bob 2002 2002 IN IP4 127.0.0.1
s=sipvi
c=IN IP4 127.0.0.1
t=0 0
m=audio 20000 RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=sendrecv
"""


def call(cap, t, cid, tag, finals, sdp=OFFER, answer=ANSWER, ring=True, bye_extra=(), final_extra=(),
         cancel_extra=None):
    """One INVITE dialog from t ms: INVITE, 100, [180], then final(s); 2xx -> ACK, BYE, 200;
    non-2xx -> ACK. cancel_extra (list) sends a CANCEL before the 487. Returns the end time."""
    br = tag
    cap.sip(t, False, request("INVITE", cid, 1, br + "-1", "uac-" + tag, sdp=sdp))
    cap.sip(t + 1, True, response(100, "Trying", cid, 1, "INVITE", br + "-1", "uac-" + tag))
    t += 2
    if ring:
        cap.sip(t, True, response(180, "Ringing", cid, 1, "INVITE", br + "-1", "uac-" + tag, "uas-" + tag))
    if cancel_extra is not None:
        t += 1000
        cap.sip(t, False, request("CANCEL", cid, 1, br + "-1", "uac-" + tag, extra=cancel_extra))
        cap.sip(t + 1, True, response(200, "OK", cid, 1, "CANCEL", br + "-1", "uac-" + tag, "uas-" + tag))
        t += 1
    code, phrase = finals
    t += 500
    if code < 300:
        cap.sip(t, True, response(code, phrase, cid, 1, "INVITE", br + "-1", "uac-" + tag, "uas-" + tag,
                                  extra=final_extra, sdp=answer))
        cap.sip(t + 1, False, request("ACK", cid, 1, br + "-2", "uac-" + tag, "uas-" + tag))
        t += 1001
        cap.sip(t, False, request("BYE", cid, 2, br + "-3", "uac-" + tag, "uas-" + tag, extra=bye_extra))
        cap.sip(t + 1, True, response(200, "OK", cid, 2, "BYE", br + "-3", "uac-" + tag, "uas-" + tag))
    else:
        cap.sip(t, True, response(code, phrase, cid, 1, "INVITE", br + "-1", "uac-" + tag, "uas-" + tag,
                                  extra=final_extra))
        cap.sip(t + 1, False, request("ACK", cid, 1, br + "-1", "uac-" + tag, "uas-" + tag))
    return t + 1


def g16(path):
    cap = Capture()
    cid = "sipvi-diag-g16-udp-1@127.0.0.1"
    # A WebRTC-gateway-sized offer: ICE candidates and SRTP keys push the INVITE past 1500 bytes.
    sdp = OFFER.replace("a=sendrecv\n", "".join(
        "a=candidate:%d 1 UDP %d 127.0.0.1 %d typ host\n" % (i, 2130706431 - i, 16000 + 2 * i) for i in range(12))
        + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2lwdmktZGlhZy1nMTYtc3J0cC1rZXktMDEyMzQ1Njc4OQ\n"
          "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:c2lwdmktZGlhZy1nMTYtc3J0cC1rZXktOTg3NjU0MzIxMA\n"
          "a=ice-ufrag:sipviG16\na=ice-pwd:sipvi-diag-g16-ice-password-0123\na=sendrecv\n")
    invite = request("INVITE", cid, 1, "g16-1", "uac-g16", sdp=sdp)
    # The caller retransmits (T1 = 0.5 s); every copy loses its second fragment.
    cap.first_fragment_only(0, invite)
    cap.sip(2, True, response(100, "Trying", cid, 1, "INVITE", "g16-1", "uac-g16"))
    cap.first_fragment_only(500, invite)
    # The callee's side timed out waiting for the rest of the call setup: 408, retransmitted, then ACK.
    for t in (4000, 4500, 5500):
        cap.sip(t, True, response(408, "Request Timeout", cid, 1, "INVITE", "g16-1", "uac-g16", "uas-g16"))
    cap.sip(5501, False, request("ACK", cid, 1, "g16-1", "uac-g16", "uas-g16"))
    cap.write(path)


def b01(path):
    cap = Capture()
    t = call(cap, 0, "sipvi-diag-b01-1@127.0.0.1", "b01a", (486, "Busy Here"), ring=False, final_extra=[
        'Reason: Q.850;cause=abc;text="garbage", SIP;cause=, ;;;, Q.850;cause=99999999999999999999, '
        'Q.850 cause=17, Q.850;cause=-1, =;=;=, "unterminated'])
    t = call(cap, t + 1000, "sipvi-diag-b01-2@127.0.0.1", "b01b", (200, "OK"), bye_extra=[
        'Reason: Q.850;cause=;text="", Q.850;cause=0x10, garbage, SIP;cause=20000000000000000000'])
    t = call(cap, t + 1000, "sipvi-diag-b01-3@127.0.0.1", "b01c", (500, "Server Internal Error"), ring=False,
             final_extra=['Reason: Q.850;cause=999;text="out of range", Q.850;cause=0'])
    t = call(cap, t + 1000, "sipvi-diag-b01-4@127.0.0.1", "b01d", (487, "Request Terminated"),
             cancel_extra=['Reason: SIP;cause=200;text="unterminated quote'])
    cap.sip(t + 1, True, "SIP/2.0 200 OK\n")  # not SIP to tshark either (no headers): one more frame
    cap.write(path)


def b02(path):
    cap = Capture()
    no_m_offer = "v=0\no=alice 1001 1001 IN IP4 127.0.0.1\ns=sipvi\nc=IN IP4 127.0.0.1\nt=0 0\n"
    no_m_answer = "v=0\no=bob 2002 2002 IN IP4 127.0.0.1\ns=sipvi\nc=IN IP4 127.0.0.1\nt=0 0\n"
    t = call(cap, 0, "sipvi-diag-b02-1@127.0.0.1", "b02a", (488, "Not Acceptable Here"), sdp=no_m_offer,
             ring=False, final_extra=['Warning: 304 127.0.0.1 "Media type not available"'])
    call(cap, t + 1000, "sipvi-diag-b02-2@127.0.0.1", "b02b", (200, "OK"), sdp=no_m_offer, answer=no_m_answer)
    cap.write(path)


def b03(path):
    cap = Capture()
    cid = "sipvi-diag-b03-1@127.0.0.1"
    t = call(cap, 0, cid, "b03a", (200, "OK"))
    call(cap, t + 2000, cid, "b03b", (486, "Busy Here"), final_extra=['Reason: Q.850;cause=17;text="User busy"'])
    cap.write(path)


def b04(path):
    # Short messages (one-letter domain, no User-Agent, short branch/tag/Call-ID), gzipped (tshark
    # reads .pcap.gz as such): about 0.5 MB on disk, 5.5 MB read.
    cap = Capture()
    for i in range(1, STORM_SIZE + 1):
        cid = "s%05d@127.0.0.1" % i
        t = i * 2.0  # ms: 500 REGISTERs a second
        cap.sip(t, False, "REGISTER sip:s SIP/2.0\nVia: SIP/2.0/UDP %s;branch=z9hG4bK%d\n"
                          "From: <sip:u%d@s>;tag=%d\nTo: <sip:u%d@s>\nCall-ID: %s\n"
                          "CSeq: 1 REGISTER\nContact: <sip:u%d@%s>\nContent-Length: 0\n\n"
                % (A, i, i, i, i, cid, i, A))
        cap.sip(t + 0.5, True, "SIP/2.0 200 OK\nVia: SIP/2.0/UDP %s;branch=z9hG4bK%d\n"
                               "From: <sip:u%d@s>;tag=%d\nTo: <sip:u%d@s>;tag=r\nCall-ID: %s\n"
                               "CSeq: 1 REGISTER\nContact: <sip:u%d@%s>;expires=3600\nContent-Length: 0\n\n"
                % (A, i, i, i, i, cid, i, A))
    cap.write(path)
    with open(path, "rb") as f:
        data = f.read()
    os.unlink(path)
    with open(path + ".gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0,
                                                           filename="") as gz:
        gz.write(data)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, fn in (("g16-invite_missing-udp", g16), ("b01-reason_garbage-udp", b01),
                     ("b02-sdp_without_m-udp", b02), ("b03-callid_reused-udp", b03),
                     ("b04-register_storm-udp", b04)):
        fn(os.path.join(out, name + ".pcap"))


if __name__ == "__main__":
    main()
