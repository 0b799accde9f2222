"""Building blocks for the generated test captures: Ethernet, IPv4/IPv6, UDP and TCP with valid
checksums between two loopback hosts, written as a classic pcap with fixed timestamps, so that a
generator gives the same bytes on every run. Python standard library only."""

import struct

MAC_SERVER = bytes.fromhex("020000000001")  # locally administered, fixed
MAC_CLIENT = bytes.fromhex("020000000002")
IP4_LOOPBACK = bytes([127, 0, 0, 1])
IP6_LOOPBACK = bytes(15) + b"\x01"


def checksum(data):
    """The Internet checksum (RFC 1071)."""
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ethernet(from_server, ethertype, payload):
    src, dst = (MAC_SERVER, MAC_CLIENT) if from_server else (MAC_CLIENT, MAC_SERVER)
    return dst + src + struct.pack("!H", ethertype) + payload


def ipv4(ip_id, proto, payload):
    """An IPv4 packet from 127.0.0.1 to 127.0.0.1 (don't fragment, TTL 64)."""
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ip_id, 0x4000, 64, proto, 0,
                      IP4_LOOPBACK, IP4_LOOPBACK)
    return hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:] + payload


def ipv6(proto, payload):
    """An IPv6 packet from ::1 to ::1 (hop limit 64)."""
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), proto, 64, IP6_LOOPBACK,
                       IP6_LOOPBACK) + payload


def pseudo4(proto, length):
    return IP4_LOOPBACK + IP4_LOOPBACK + struct.pack("!BBH", 0, proto, length)


def pseudo6(proto, length):
    return IP6_LOOPBACK + IP6_LOOPBACK + struct.pack("!IxxxB", length, proto)


def udp(src_port, dst_port, payload, pseudo=pseudo4):
    length = 8 + len(payload)
    hdr = struct.pack("!HHHH", src_port, dst_port, length, 0)
    csum = checksum(pseudo(17, length) + hdr + payload) or 0xFFFF
    return struct.pack("!HHHH", src_port, dst_port, length, csum) + payload


def tcp(src_port, dst_port, seq, ack, flags, payload, options=b"", pseudo=pseudo4):
    off = (20 + len(options)) // 4
    seg = struct.pack("!HHIIBBHHH", src_port, dst_port, seq, ack, off << 4, flags, 65535, 0, 0)
    seg += options + payload
    csum = checksum(pseudo(6, len(seg)) + seg)
    return seg[:16] + struct.pack("!H", csum) + seg[18:]


def write_pcap(path, frames, base_time, step_us, snaplen=65535, times_us=None):
    """Classic pcap, LINKTYPE_ETHERNET, microseconds; frame i at base_time + i * step_us, or at
    base_time + times_us[i] when times_us (offsets in microseconds) is given."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, 1)]
    for i, frame in enumerate(frames):
        t_us = times_us[i] if times_us is not None else i * step_us
        out.append(struct.pack("<IIII", base_time + t_us // 1000000, t_us % 1000000, len(frame),
                               len(frame)))
        out.append(frame)
    with open(path, "wb") as f:
        f.write(b"".join(out))
