#!/usr/bin/env python3
"""Generates the media edge-case captures of sipvi's tests (tests/captures/media/g*.pcap): SIP
calls whose SDP sets up RTP, with RTP and RTCP written packet by packet from a fixed random seed,
so that every run gives the same bytes. Python standard library only.

    python3 tests/captures/media/gen_media.py [OUT_DIR]

Each capture and what it holds is listed in CAPTURES at the end; README.md says why each exists.
"""

import ipaddress
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
import pcapwrite  # noqa: E402

BASE_TIME = 1767225600  # 2026-01-01 00:00:00 UTC


def ip_packet(src, dst, proto, payload, ip_id=0):
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    if s.version == 4:
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ip_id & 0xFFFF, 0x4000, 64,
                          proto, 0, s.packed, d.packed)
        hdr = hdr[:10] + struct.pack("!H", pcapwrite.checksum(hdr)) + hdr[12:]
        return 0x0800, hdr + payload
    hdr = struct.pack("!IHBB16s16s", 6 << 28, len(payload), proto, 64, s.packed, d.packed)
    return 0x86DD, hdr + payload


def udp_frame(src, sport, dst, dport, payload, ip_id=0):
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    length = 8 + len(payload)
    if s.version == 4:
        pseudo = s.packed + d.packed + struct.pack("!BBH", 0, 17, length)
    else:
        pseudo = s.packed + d.packed + struct.pack("!IxxxB", length, 17)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    csum = pcapwrite.checksum(pseudo + hdr + payload) or 0xFFFF
    seg = struct.pack("!HHHH", sport, dport, length, csum) + payload
    ethertype, pkt = ip_packet(src, dst, 17, seg, ip_id)
    return pcapwrite.ethernet(False, ethertype, pkt)


def rtp(seq, ts, ssrc, pt=0, marker=False, payload_len=160):
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, seq & 0xFFFF,
                       ts & 0xFFFFFFFF, ssrc) + bytes([0xD5]) * payload_len


def rtcp_rr(sender_ssrc, blocks):
    """blocks: (ssrc, fraction_lost/256, cumulative_lost, ext_highest_seq)."""
    body = struct.pack("!I", sender_ssrc)
    for ssrc, fraction, cum, ext in blocks:
        body += struct.pack("!IB3sIIII", ssrc, fraction, (cum & 0xFFFFFF).to_bytes(3, "big"), ext,
                            0, 0, 0)
    return struct.pack("!BBH", 0x80 | len(blocks), 201, (4 + len(body)) // 4 - 1) + body


class Capture:
    def __init__(self):
        self.frames = []   # (time_us, bytes)
        self.ip_id = 1

    def add(self, t_us, src, sport, dst, dport, payload):
        self.frames.append((int(t_us), udp_frame(src, sport, dst, dport, payload, self.ip_id)))
        self.ip_id += 1

    def write(self, path):
        self.frames.sort(key=lambda f: f[0])
        pcapwrite.write_pcap(path, [f for _, f in self.frames], BASE_TIME, 0,
                             times_us=[t for t, _ in self.frames])


def host(addr):
    return f"[{addr}]" if ":" in addr else addr


def sdp(addr, port, direction=None, conn=None, image=False):
    """image: a T.38 fax offer or answer (m=image udptl t38) instead of audio."""
    ipv = "IP6" if ":" in addr else "IP4"
    lines = ["v=0", f"o=- 1 1 IN {ipv} {addr}", "s=-", f"c=IN {ipv} {conn or addr}", "t=0 0"]
    if image:
        lines += [f"m=image {port} udptl t38", "a=T38FaxVersion:0", "a=T38FaxRateManagement:transferredTCF",
                  "a=T38FaxUdpEC:t38UDPRedundancy"]
    else:
        lines += [f"m=audio {port} RTP/AVP 0 101", "a=rtpmap:0 PCMU/8000",
                  "a=rtpmap:101 telephone-event/8000", "a=ptime:20"]
    if direction:
        lines.append("a=" + direction)
    return "\r\n".join(lines) + "\r\n"


class Call:
    """One SIP call from a to b: INVITE with a's SDP, 180, 200 with b's SDP, ACK, later BYE."""

    def __init__(self, cap, call_id, a, b, a_rtp, b_rtp, t0_us=0, sip_port=5060):
        self.cap, self.call_id, self.a, self.b = cap, call_id, a, b
        self.a_rtp, self.b_rtp = a_rtp, b_rtp
        self.sip_port = sip_port
        self.cseq = 1
        self.t0 = t0_us

    def from_to(self, from_a, first_line, cseq_method, cseq):
        """From and To of the request's sender: the caller's tag is a-, the callee's b-; the
        first INVITE has no To tag yet. A response carries its request's From and To."""
        alice = f"<sip:alice@{host(self.a)}>;tag=a-{self.call_id}"
        bob = f"<sip:bob@{host(self.b)}>"
        if not (first_line.startswith("INVITE") and cseq_method == "INVITE" and (cseq or self.cseq) == 1):
            bob += f";tag=b-{self.call_id}"
        request_from_a = from_a != first_line.startswith("SIP/2.0")
        return (f"From: {alice}\r\nTo: {bob}" if request_from_a else f"From: {bob}\r\nTo: {alice}")

    def msg(self, t_us, from_a, first_line, cseq_method, body=None, cseq=None):
        src, dst = (self.a, self.b) if from_a else (self.b, self.a)
        hdrs = [first_line,
                f"Via: SIP/2.0/UDP {host(src)}:{self.sip_port};branch=z9hG4bK-{self.call_id}-{cseq_method}-{cseq or self.cseq}",
                self.from_to(from_a, first_line, cseq_method, cseq),
                f"Call-ID: {self.call_id}",
                f"CSeq: {cseq or self.cseq} {cseq_method}",
                f"Contact: <sip:{'alice' if from_a else 'bob'}@{host(src)}:{self.sip_port}>",
                "Max-Forwards: 70"]
        if body:
            hdrs += ["Content-Type: application/sdp", f"Content-Length: {len(body)}", "", body]
        else:
            hdrs += ["Content-Length: 0", "", ""]
        text = "\r\n".join(hdrs)
        self.cap.add(self.t0 + t_us, src, self.sip_port, dst, self.sip_port, text.encode())

    def setup(self, a_dir=None, b_dir=None):
        uri = f"sip:bob@{host(self.b)}"
        self.msg(0, True, f"INVITE {uri} SIP/2.0", "INVITE", sdp(self.a, self.a_rtp, a_dir))
        self.msg(40_000, False, "SIP/2.0 180 Ringing", "INVITE")
        self.msg(1_000_000, False, "SIP/2.0 200 OK", "INVITE", sdp(self.b, self.b_rtp, b_dir))
        self.msg(1_020_000, True, f"ACK {uri} SIP/2.0", "ACK")
        return 1_100_000

    def reinvite(self, t_us, a_dir=None, b_dir=None, a_port=None, b_port=None, image=False):
        self.cseq += 1
        uri = f"sip:bob@{host(self.b)}"
        self.a_rtp = a_port or self.a_rtp
        self.b_rtp = b_port or self.b_rtp
        self.msg(t_us, True, f"INVITE {uri} SIP/2.0", "INVITE",
                 sdp(self.a, self.a_rtp, a_dir, image=image))
        self.msg(t_us + 30_000, False, "SIP/2.0 200 OK", "INVITE",
                 sdp(self.b, self.b_rtp, b_dir, image=image))
        self.msg(t_us + 50_000, True, f"ACK {uri} SIP/2.0", "ACK")

    def bye(self, t_us, from_a=True):
        self.cseq += 1
        uri = f"sip:bob@{host(self.b)}" if from_a else f"sip:alice@{host(self.a)}"
        self.msg(t_us, from_a, f"BYE {uri} SIP/2.0", "BYE")
        self.msg(t_us + 20_000, not from_a, "SIP/2.0 200 OK", "BYE")


def stream(cap, rng, src, sport, dst, dport, start_us, seconds, ssrc, seq0=1000, ts0=0,
           loss=0.0, jitter_ms=0.0, drop=None, t0=0, ptime_ms=20):
    """An RTP stream of PCMU every ptime_ms; arrival = send time + uniform(0, jitter_ms) delay.
    Returns the last (seq, ts) sent."""
    n = int(seconds * 1000 / ptime_ms)
    seq, ts = seq0, ts0
    for i in range(n):
        send = start_us + i * ptime_ms * 1000
        lost = rng.random() < loss or (drop is not None and drop(i))
        if not lost:
            delay = rng.uniform(0, jitter_ms) * 1000 if jitter_ms else 0
            cap.add(t0 + send + delay, src, sport, dst, dport, rtp(seq, ts, ssrc, marker=(i == 0)))
        seq += 1
        ts += 8 * ptime_ms
    return seq, ts


A, B = "10.1.0.1", "10.1.0.2"


def g01_clean(path):
    cap, rng = Capture(), random.Random(1)
    call = Call(cap, "g01", A, B, 10000, 20000)
    t = call.setup()
    stream(cap, rng, B, 20000, A, 10000, t, 10, 0x1111AAAA)
    stream(cap, rng, A, 10000, B, 20000, t + 5000, 10, 0x2222BBBB)
    call.bye(t + 10_100_000)
    cap.write(path)


def g02_loss_jitter(path):
    """9 % random loss towards the callee, 0-40 ms jitter towards the caller, a sequence number
    wrap in the callee's stream, RTCP receiver reports from both sides."""
    cap, rng = Capture(), random.Random(2)
    call = Call(cap, "g02", A, B, 10000, 20000)
    t = call.setup()
    stream(cap, rng, B, 20000, A, 10000, t, 12, 0x3333CCCC, seq0=65300, jitter_ms=40)
    stream(cap, rng, A, 10000, B, 20000, t + 5000, 12, 0x4444DDDD, loss=0.09)
    # The callee reports 9 % of the caller's stream lost (cumulative 54 of 600, highest 1599);
    # the caller reports none lost of the callee's.
    for k in range(1, 3):
        tr = t + k * 5_000_000
        cap.add(tr, B, 20001, A, 10001, rtcp_rr(0x3333CCCC, [(0x4444DDDD, 23, 22 * k, 1000 + 250 * k - 1)]))
        cap.add(tr + 1000, A, 10001, B, 20001, rtcp_rr(0x4444DDDD, [(0x3333CCCC, 0, 0, 65300 + 250 * k - 1)]))
    cap.add(t + 12_050_000, B, 20001, A, 10001, rtcp_rr(0x3333CCCC, [(0x4444DDDD, 23, 54, 1599)]))
    call.bye(t + 12_100_000, from_a=False)
    cap.write(path)


def g03_ssrc_change(path):
    """The callee's SSRC changes mid-call (a transfer or a restarted phone): two streams one way."""
    cap, rng = Capture(), random.Random(3)
    call = Call(cap, "g03", A, B, 10000, 20000)
    t = call.setup()
    stream(cap, rng, B, 20000, A, 10000, t, 4, 0x5555EEEE, seq0=100)
    stream(cap, rng, B, 20000, A, 10000, t + 4_000_000, 4, 0x6666FFFF, seq0=40000, ts0=123456,
           loss=0.05)
    stream(cap, rng, A, 10000, B, 20000, t + 5000, 8, 0x77770000)
    call.bye(t + 8_100_000)
    cap.write(path)


def g04_same_ports(path):
    """Two calls at the same time between other hosts on the same RTP ports."""
    cap, rng = Capture(), random.Random(4)
    for n, (a, b) in enumerate((("10.2.0.1", "10.2.0.2"), ("10.3.0.1", "10.3.0.2"))):
        call = Call(cap, f"g04-{n}", a, b, 16384, 16384, t0_us=n * 300_000)
        t = call.setup()
        stream(cap, rng, b, 16384, a, 16384, t, 6, 0x1000 + n, t0=n * 300_000,
               loss=0.04 if n else 0.0)
        stream(cap, rng, a, 16384, b, 16384, t + 5000, 6, 0x2000 + n, t0=n * 300_000,
               jitter_ms=30 if n else 0.0)
        call.bye(t + 6_100_000)
    cap.write(path)


def g05_ipv6(path):
    cap, rng = Capture(), random.Random(5)
    a, b = "2001:db8::1", "2001:db8::2"
    call = Call(cap, "g05", a, b, 10000, 20000)
    t = call.setup()
    stream(cap, rng, b, 20000, a, 10000, t, 6, 0x0A0A0A0A, loss=0.03, jitter_ms=10)
    stream(cap, rng, a, 10000, b, 20000, t + 5000, 6, 0x0B0B0B0B)
    cap.add(t + 3_000_000, a, 10001, b, 20001, rtcp_rr(0x0B0B0B0B, [(0x0A0A0A0A, 8, 4, 1149)]))
    call.bye(t + 6_100_000)
    cap.write(path)


def g06_sip_only(path):
    """A call whose capture was filtered to SIP: no media at all."""
    cap = Capture()
    call = Call(cap, "g06", A, B, 10000, 20000)
    t = call.setup()
    call.bye(t + 20_000_000)
    cap.write(path)


def g07_hostile(path):
    """Hostile RTP and RTCP: sequence numbers wrapping and jumping back, timestamps jumping by
    2^31, a zero-length UDP datagram and a 12-byte RTP without payload to the RTP port, RTCP
    report blocks about SSRCs nobody sent, a truncated RTCP and one whose length runs past the
    datagram."""
    cap, rng = Capture(), random.Random(7)
    call = Call(cap, "g07", A, B, 10000, 20000)
    t = call.setup()
    seq, ts = stream(cap, rng, B, 20000, A, 10000, t, 2, 0xDEAD0001, seq0=65500)
    cap.add(t + 2_000_000, B, 20000, A, 10000, rtp(seq + 5000, ts + 0x80000000, 0xDEAD0001))
    cap.add(t + 2_020_000, B, 20000, A, 10000, rtp(seq, ts, 0xDEAD0001))
    cap.add(t + 2_030_000, B, 20000, A, 10000, rtp(seq - 40000, ts + 160, 0xDEAD0001, payload_len=0))
    cap.add(t + 2_040_000, B, 20000, A, 10000, b"")
    stream(cap, rng, B, 20000, A, 10000, t + 2_060_000, 2, 0xDEAD0001, seq0=seq + 1, ts0=ts + 160)
    stream(cap, rng, A, 10000, B, 20000, t + 5000, 4, 0xBEEF0002)
    cap.add(t + 1_000_000, A, 10001, B, 20001,
            rtcp_rr(0xBEEF0002, [(0x01020304 + i, 255, -5, 0xFFFFFFFF) for i in range(31)]))
    cap.add(t + 1_500_000, A, 10001, B, 20001, rtcp_rr(0xBEEF0002, [(0xDEAD0001, 0, 0, 1)])[:20])
    bad = bytearray(rtcp_rr(0xBEEF0002, [(0xDEAD0001, 10, 3, 70000)]))
    bad[2:4] = struct.pack("!H", 200)
    cap.add(t + 1_600_000, A, 10001, B, 20001, bytes(bad))
    call.bye(t + 4_100_000)
    cap.write(path)


def g08_one_way(path):
    """Answered, RTP from the caller only: the caller hears nothing."""
    cap, rng = Capture(), random.Random(8)
    call = Call(cap, "g08", A, B, 10000, 20000)
    t = call.setup()
    stream(cap, rng, A, 10000, B, 20000, t + 5000, 10, 0x08080808)
    call.bye(t + 10_100_000)
    cap.write(path)


def g09_no_media(path):
    """Two calls of one PBX (10.4.0.1): one with RTP both ways, one answered for 5 s without any
    RTP. The capture holds the PBX's media (the first call's), so its media path is in view and
    the second call's silence is a fault."""
    cap, rng = Capture(), random.Random(9)
    ok = Call(cap, "g09-ok", "10.4.0.1", "10.4.0.2", 10000, 20000)
    t = ok.setup()
    stream(cap, rng, "10.4.0.2", 20000, "10.4.0.1", 10000, t, 6, 0x09000001)
    stream(cap, rng, "10.4.0.1", 10000, "10.4.0.2", 20000, t + 5000, 6, 0x09000002)
    ok.bye(t + 6_100_000)
    silent = Call(cap, "g09-silent", "10.4.0.1", "10.5.0.2", 12000, 22000, t0_us=200_000)
    t = silent.setup()
    silent.bye(t + 5_000_000)
    cap.write(path)


def g10_stopped(path):
    """RTP to the caller stops after 3 s of a 12 s call, no hold."""
    cap, rng = Capture(), random.Random(10)
    call = Call(cap, "g10", A, B, 10000, 20000)
    t = call.setup()
    stream(cap, rng, B, 20000, A, 10000, t, 3, 0x10000001)
    stream(cap, rng, A, 10000, B, 20000, t + 5000, 12, 0x10000002)
    call.bye(t + 12_100_000)
    cap.write(path)


def g11_jitter(path):
    """0-150 ms of jitter on the RTP to the callee."""
    cap, rng = Capture(), random.Random(11)
    call = Call(cap, "g11", A, B, 10000, 20000)
    t = call.setup()
    stream(cap, rng, B, 20000, A, 10000, t, 8, 0x11000001)
    stream(cap, rng, A, 10000, B, 20000, t + 5000, 8, 0x11000002, jitter_ms=150)
    call.bye(t + 8_300_000)
    cap.write(path)


def g12_nat(path):
    """The callee is behind NAT: its SDP declares 192.168.1.20:20000, its RTP comes from
    203.0.113.7:31000; the caller keeps sending to 192.168.1.20:20000."""
    cap, rng = Capture(), random.Random(12)
    call = Call(cap, "g12", A, "192.168.1.20", 10000, 20000)
    t = call.setup()
    stream(cap, rng, "203.0.113.7", 31000, A, 10000, t, 8, 0x12000001)
    stream(cap, rng, A, 10000, "192.168.1.20", 20000, t + 5000, 8, 0x12000002)
    call.bye(t + 8_100_000)
    cap.write(path)


def g13_hold(path):
    """After 4 s the caller puts the callee on hold (re-INVITE a=sendonly, answered
    a=recvonly): the callee stops sending, the caller plays music on hold. Not a fault."""
    cap, rng = Capture(), random.Random(13)
    call = Call(cap, "g13", A, B, 10000, 20000)
    t = call.setup()
    stream(cap, rng, B, 20000, A, 10000, t, 4, 0x13000001)
    stream(cap, rng, A, 10000, B, 20000, t + 5000, 12, 0x13000002)
    call.reinvite(t + 4_000_000, a_dir="sendonly", b_dir="recvonly")
    call.bye(t + 12_100_000)
    cap.write(path)


def g14_bye_failed(path):
    """One-way RTP, and the BYE is answered 481: the signalling failure keeps its id."""
    cap, rng = Capture(), random.Random(14)
    call = Call(cap, "g14", A, B, 10000, 20000)
    t = call.setup()
    stream(cap, rng, A, 10000, B, 20000, t + 5000, 6, 0x14000001)
    call.cseq += 1
    call.msg(t + 6_100_000, True, f"BYE sip:bob@{B} SIP/2.0", "BYE")
    call.msg(t + 6_120_000, False, "SIP/2.0 481 Call/Transaction Does Not Exist", "BYE")
    cap.write(path)


def g15_capture_limits(path):
    """Four answered calls at once, between different hosts, where silence or gaps are what the
    capture shows of its own limits, not faults of the call (docs/media.md):
    - g15-sbc: an SBC leg whose SDPs declare 10.7.0.1 and 10.7.0.2; no RTP to or from those
      hosts anywhere in the capture (its media passes elsewhere): no no_media;
    - g15-together: RTP both ways for 3 s, both ending at once, the BYE 9 s later: a stop or the
      capture point losing the media, the capture cannot tell: no media_stopped;
    - g15-gaps: only every 30th RTP packet of each direction captured (~97 % sequence gaps), no
      RTCP: packets missing from the capture, not network loss: no media_loss;
    - g15-t38: re-INVITE to T.38 (m=image) after 4 s; RTP stops, UDPTL flows: no media_stopped."""
    cap, rng = Capture(), random.Random(15)
    sbc = Call(cap, "g15-sbc", "10.6.0.1", "10.6.0.2", 30000, 40000)
    uri = "sip:bob@10.6.0.2"
    sbc.msg(0, True, f"INVITE {uri} SIP/2.0", "INVITE", sdp("10.7.0.1", 30000))
    sbc.msg(40_000, False, "SIP/2.0 180 Ringing", "INVITE")
    sbc.msg(1_000_000, False, "SIP/2.0 200 OK", "INVITE", sdp("10.7.0.2", 40000))
    sbc.msg(1_020_000, True, f"ACK {uri} SIP/2.0", "ACK")
    sbc.bye(6_100_000)

    together = Call(cap, "g15-together", "10.8.0.1", "10.8.0.2", 10000, 20000, t0_us=100_000)
    t = together.setup()
    stream(cap, rng, "10.8.0.2", 20000, "10.8.0.1", 10000, t, 3, 0x15000001, t0=100_000)
    stream(cap, rng, "10.8.0.1", 10000, "10.8.0.2", 20000, t + 5000, 3, 0x15000002, t0=100_000)
    together.bye(t + 12_100_000)

    gaps = Call(cap, "g15-gaps", "10.9.0.1", "10.9.0.2", 10000, 20000, t0_us=200_000)
    t = gaps.setup()
    sparse = lambda i: i % 30 != 0  # noqa: E731
    stream(cap, rng, "10.9.0.2", 20000, "10.9.0.1", 10000, t, 10, 0x15000003, t0=200_000, drop=sparse)
    stream(cap, rng, "10.9.0.1", 10000, "10.9.0.2", 20000, t + 5000, 10, 0x15000004, t0=200_000,
           drop=sparse)
    gaps.bye(t + 10_100_000)

    fax = Call(cap, "g15-t38", "10.10.0.1", "10.10.0.2", 10000, 20000, t0_us=300_000)
    t = fax.setup()
    stream(cap, rng, "10.10.0.2", 20000, "10.10.0.1", 10000, t, 4, 0x15000005, t0=300_000)
    stream(cap, rng, "10.10.0.1", 10000, "10.10.0.2", 20000, t + 5000, 4, 0x15000006, t0=300_000)
    fax.reinvite(t + 4_000_000, a_port=10002, b_port=20002, image=True)
    for i in range(200):
        # UDPTL (T.38): sequence number, the IFP (t30-indicator CNG), no redundancy; not RTP
        udptl = struct.pack("!H", i) + bytes([0x01, 0x02, 0x00, 0x00])
        send = 300_000 + t + 4_100_000 + i * 40_000
        cap.add(send, "10.10.0.1", 10002, "10.10.0.2", 20002, udptl)
        cap.add(send + 5000, "10.10.0.2", 20002, "10.10.0.1", 10002, udptl)
    fax.bye(t + 14_100_000)
    cap.write(path)


CAPTURES = {
    "g01-clean.pcap": g01_clean,
    "g02-loss-jitter.pcap": g02_loss_jitter,
    "g03-ssrc-change.pcap": g03_ssrc_change,
    "g04-same-ports.pcap": g04_same_ports,
    "g05-ipv6.pcap": g05_ipv6,
    "g06-sip-only.pcap": g06_sip_only,
    "g07-hostile.pcap": g07_hostile,
    "g08-one-way.pcap": g08_one_way,
    "g09-no-media.pcap": g09_no_media,
    "g10-stopped.pcap": g10_stopped,
    "g11-jitter.pcap": g11_jitter,
    "g12-nat.pcap": g12_nat,
    "g13-hold.pcap": g13_hold,
    "g14-bye-failed.pcap": g14_bye_failed,
    "g15-capture-limits.pcap": g15_capture_limits,
}


def bench(path, calls=100, seconds=30):
    """The media benchmark capture (not committed): calls × seconds of G.711 both ways, the calls
    overlapping (one starts every 0.3 s), 1 % loss and 0-10 ms jitter one way; mostly RTP."""
    cap, rng = Capture(), random.Random(100)
    for n in range(calls):
        a, b = f"10.{20 + n // 200}.{n % 200}.1", f"10.{20 + n // 200}.{n % 200}.2"
        call = Call(cap, f"bench-{n}", a, b, 10000 + 2 * n, 20000 + 2 * n, t0_us=n * 300_000)
        t = call.setup()
        stream(cap, rng, b, call.b_rtp, a, call.a_rtp, t, seconds, 0xB0000000 + n,
               t0=n * 300_000, loss=0.01, jitter_ms=10)
        stream(cap, rng, a, call.a_rtp, b, call.b_rtp, t + 5000, seconds, 0xC0000000 + n,
               t0=n * 300_000)
        call.bye(t + seconds * 1_000_000 + 100_000)
    cap.write(path)


def main():
    """gen_media.py [OUT_DIR] writes the test captures; gen_media.py --bench FILE [CALLS SECONDS]
    the benchmark capture."""
    if len(sys.argv) > 2 and sys.argv[1] == "--bench":
        bench(sys.argv[2], *(int(a) for a in sys.argv[3:5]))
        return
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, make in CAPTURES.items():
        make(os.path.join(out, name))


if __name__ == "__main__":
    main()
