#!/usr/bin/env python3
"""A SIP peer that reads and never answers (d13 no_response, d24 reg_no_response).

Usage: silent.py udp|tcp IP PORT SECONDS
Binds IP:PORT, accepts (TCP) and reads everything for SECONDS, sends nothing, then exits.
Unlike a closed port it draws no ICMP port-unreachable or TCP RST, as a firewall that drops
the traffic or a hung server would."""

import select
import socket
import sys
import time


def main():
    proto, ip, port, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    kind = socket.SOCK_DGRAM if proto == "udp" else socket.SOCK_STREAM
    lsock = socket.socket(socket.AF_INET, kind)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((ip, port))
    if proto == "tcp":
        lsock.listen(4)
    socks = [lsock]
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        ready, _, _ = select.select(socks, [], [], left)
        for s in ready:
            if s is lsock and proto == "tcp":
                conn, _ = lsock.accept()
                socks.append(conn)
            elif s is lsock:
                lsock.recvfrom(65535)
            elif not s.recv(65535):
                socks.remove(s)
                s.close()


if __name__ == "__main__":
    main()
