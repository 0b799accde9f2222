"""The RTP streams sipvi finds and their figures (tshark -z sipvi,streams), against Wireshark's own
RTP Streams (tshark -z rtp,streams) on the same capture, in one pass and in two (-2): packets
equal, lost % within 0.5 point, max and mean jitter within 10 % or 1 ms. Then exact figures of the
generated captures (tests/captures/media/gen_media.py), worked out from how they were made."""

import csv
import io
import os
import unittest

from harness import CAPTURE_DIR, PluginTestCase

MEDIA_DIR = os.path.join(CAPTURE_DIR, "media")
CAPTURES = sorted(f for f in os.listdir(MEDIA_DIR) if f.endswith((".pcap", ".pcapng")))


def parse_rtp_streams(text):
    """Wireshark's -z rtp,streams table: {(src, sport, dst, dport, ssrc): figures}."""
    rows, inside = {}, False
    for line in text.splitlines():
        if line.startswith("====") and "RTP Streams" in line:
            inside = True
            continue
        if not inside or line.startswith("====") or "Src IP addr" in line or not line.strip():
            if line.startswith("====") and inside and rows:
                inside = False
            continue
        f = line.split()
        # start end src sport dst dport ssrc payload... pkts lost (pct%) 6 delta/jitter [X]
        if f[-1] == "X":
            f = f[:-1]
        key = (f[2], int(f[3]), f[4], int(f[5]), f[6].upper().replace("0X", "0x"))
        rows[key] = {"packets": int(f[-9]), "lost": int(f[-8]),
                     "lost_pct": float(f[-7].strip("()%")), "max_delta": float(f[-4]),
                     "mean_jitter": float(f[-2]), "max_jitter": float(f[-1])}
    return rows


def parse_sipvi_streams(text):
    start = text.index("src_addr,")
    rows = {}
    for r in csv.DictReader(io.StringIO(text[start:])):
        if not r.get("ssrc"):
            continue
        key = (r["src_addr"], int(r["src_port"]), r["dst_addr"], int(r["dst_port"]), r["ssrc"])
        rows[key] = r
    return rows


def within(ours, theirs, rel=0.10, abs_ms=1.0):
    return abs(ours - theirs) <= max(abs_ms, rel * abs(theirs))


class MediaStreams(PluginTestCase):

    def streams(self, name, two_pass=False):
        cap = self.ts.capture(os.path.join("media", name))
        args = ["-r", cap, "-q", "-z", "rtp,streams", "-z", "sipvi,streams"]
        if two_pass:
            args.insert(0, "-2")
        out = self.ts.run(args)
        return parse_rtp_streams(out), parse_sipvi_streams(out)

    def test_agree_with_wireshark(self):
        for name in CAPTURES:
            for two_pass in (False, True):
                with self.subTest(capture=name, two_pass=two_pass):
                    ws, ours = self.streams(name, two_pass)
                    self.assertEqual(sorted(ws), sorted(ours))
                    for key, w in ws.items():
                        o = ours[key]
                        self.assertEqual(int(o["packets"]), w["packets"], key)
                        self.assertEqual(int(o["lost"]), w["lost"], key)
                        self.assertLessEqual(abs(float(o["lost_pct"]) - w["lost_pct"]), 0.5, key)
                        for ours_col, ws_col in (("max_jitter_ms", "max_jitter"),
                                                 ("mean_jitter_ms", "mean_jitter"),
                                                 ("max_delta_ms", "max_delta")):
                            self.assertTrue(within(float(o[ours_col]), w[ws_col]),
                                            f"{key} {ours_col} {o[ours_col]} vs {w[ws_col]}")

    def test_one_pass_equals_two(self):
        for name in CAPTURES:
            with self.subTest(capture=name):
                self.assertEqual(self.streams(name)[1], self.streams(name, True)[1])

    def test_loss_and_receiver_reports(self):
        _, s = self.streams("g02-loss-jitter.pcap")
        to_callee = s[("10.1.0.1", 10000, "10.1.0.2", 20000, "0x4444DDDD")]
        self.assertEqual((to_callee["packets"], to_callee["expected"], to_callee["lost"],
                          to_callee["lost_pct"]), ("546", "600", "54", "9.00"))
        # The callee's last receiver report: 54 lost of 1000..1599.
        self.assertEqual((to_callee["reported_lost_pct"], to_callee["rtcp_reports"]), ("9.00", "3"))
        to_caller = s[("10.1.0.2", 20000, "10.1.0.1", 10000, "0x3333CCCC")]
        # 600 sent from 65300 across the wrap; reordered by up to 40 ms of jitter.
        self.assertEqual((to_caller["packets"], to_caller["expected"]), ("600", "599"))
        self.assertEqual(to_caller["reported_lost_pct"], "0.00")
        self.assertGreater(float(to_caller["mean_jitter_ms"]), 10)
        self.assertEqual(to_caller["setup_frame"], "1")

    def test_ssrc_change_two_streams_one_way(self):
        _, s = self.streams("g03-ssrc-change.pcap")
        self.assertEqual(len(s), 3)
        second = s[("10.1.0.2", 20000, "10.1.0.1", 10000, "0x6666FFFF")]
        self.assertEqual((second["packets"], second["lost"]), ("190", "10"))

    def test_same_ports_other_hosts(self):
        _, s = self.streams("g04-same-ports.pcap")
        self.assertEqual(len(s), 4)
        lossy = s[("10.3.0.2", 16384, "10.3.0.1", 16384, "0x00001001")]
        clean = s[("10.2.0.2", 16384, "10.2.0.1", 16384, "0x00001000")]
        self.assertEqual((lossy["lost"], clean["lost"]), ("14", "0"))
        self.assertEqual((lossy["setup_frame"], clean["setup_frame"]), ("3", "1"))

    def test_ipv6(self):
        _, s = self.streams("g05-ipv6.pcap")
        r = s[("2001:db8::2", 20000, "2001:db8::1", 10000, "0x0A0A0A0A")]
        self.assertEqual((r["packets"], r["lost"], r["rtcp_reports"]), ("293", "7", "1"))
        self.assertEqual(r["reported_lost_pct"], "2.67")  # 4 of 1000..1149

    def test_sip_only(self):
        _, s = self.streams("g06-sip-only.pcap")
        self.assertEqual(s, {})

    def test_hostile(self):
        _, s = self.streams("g07-hostile.pcap")
        r = s[("10.1.0.2", 20000, "10.1.0.1", 10000, "0xDEAD0001")]
        self.assertEqual(r["packets"], "203")
        # Report blocks about SSRCs nobody sent, a truncated RR and one longer than its datagram:
        # none is tied to a stream.
        self.assertEqual(r["rtcp_reports"], "0")
        self.assertEqual(r["reported_lost_pct"], "")


    def test_recorded(self):
        """sipp in two network namespaces (record-media.sh): what tc and nftables did shows."""
        a, b = "10.210.0.1", "10.210.0.2"
        to_callee = (a, 6000, b, 6000, "0xCA110000")
        to_caller = (b, 6000, a, 6000, "0xCA110000")
        _, clean = self.streams("r-clean.pcapng")
        self.assertEqual([(clean[k]["packets"], clean[k]["lost"]) for k in (to_callee, to_caller)],
                         [("400", "0"), ("400", "0")])
        _, loss = self.streams("r-loss.pcapng")
        self.assertEqual((loss[to_caller]["packets"], loss[to_caller]["lost"],
                          loss[to_caller]["lost_pct"]), ("371", "30", "7.48"))
        _, jitter = self.streams("r-jitter.pcapng")
        self.assertGreater(float(jitter[to_caller]["mean_jitter_ms"]), 5)
        self.assertLess(float(jitter[to_callee]["mean_jitter_ms"]), 5)
        _, oneway = self.streams("r-oneway.pcapng")
        self.assertEqual(list(oneway), [to_callee])


if __name__ == "__main__":
    unittest.main()
