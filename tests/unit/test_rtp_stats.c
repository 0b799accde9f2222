/* test_rtp_stats.c — the RFC 3550 loss and jitter of plugin/calls/media/sipvi_rtp_stats.c on packet
 * sequences written out by hand, with figures worked out on paper. The same code runs inside
 * tshark against Wireshark's own -z rtp,streams (tests/test_media.py).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdio.h>

#include "sipvi_rtp_stats.h"

#include "unit_check.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static void
feed(sipvi_rtp_stats_t *s, double t_ms, unsigned seq, guint32 ts, gboolean marker,
     sipvi_rtp_analysis_t how)
{
    /* The extended sequence number as the RTP dissector gives it, for one stream at a time. */
    static guint32 last_ext;
    last_ext = sipvi_rtp_extend_seq(s->started ? last_ext : 0x10000u, (guint16)seq);
    sipvi_rtp_packet_t p = { t_ms, (guint16)seq, ts, ts, 0, 8000, marker, last_ext };
    sipvi_rtp_stats_add(s, &p, how);
}

static void
test_loss_and_wrap(sipvi_rtp_analysis_t how)
{
    sipvi_rtp_stats_t s = { 0 };
    /* 65530 .. 65535, 0 .. 9 sent (16 packets), 65533 and 4 lost: 14 received. */
    unsigned seq = 65530;
    for (int i = 0; i < 16; i++, seq = (seq + 1) & 0xFFFF) {
        if (seq == 65533 || seq == 4)
            continue;
        feed(&s, 20.0 * i, seq, (guint32)(160 * i), i == 0, how);
    }
    CHECK(s.packets == 14, "packets %u", s.packets);
    CHECK(s.seq_cycles == 1, "cycles %u", s.seq_cycles);
    CHECK(sipvi_rtp_stats_expected(&s) == 16, "expected %ld", (long)sipvi_rtp_stats_expected(&s));
    CHECK(sipvi_rtp_stats_lost(&s) == 2, "lost %ld", (long)sipvi_rtp_stats_lost(&s));
    CHECK(NEAR(sipvi_rtp_stats_lost_pct(&s), 12.5), "lost %% %f", sipvi_rtp_stats_lost_pct(&s));
    /* On time to the microsecond: no jitter however many are lost. */
    CHECK(NEAR(s.max_jitter_ms, 0) && NEAR(s.mean_jitter_ms, 0), "jitter %f", s.max_jitter_ms);
}

static void
test_jitter(sipvi_rtp_analysis_t how)
{
    /* Every 20 ms of timestamp, packet 1 arrives 16 ms late, the others on time:
     * packet 1: D = 16, J = 1; packet 2: D = 16 (early against packet 1), J = 15/16 + 1 = 1.9375;
     * packet 3: D = 0, J = 1.81640625. Max 1.9375; mean over packets 1-3 as Wireshark divides:
     * m1 = 1/1, m2 = (1*1 + 1.9375)/2, m3 = (m2*2 + 1.81640625)/3. */
    sipvi_rtp_stats_t s = { 0 };
    feed(&s, 0, 10, 0, TRUE, how);
    feed(&s, 36, 11, 160, FALSE, how);
    feed(&s, 40, 12, 320, FALSE, how);
    feed(&s, 60, 13, 480, FALSE, how);
    double m2 = (1.0 + 1.9375) / 2, m3 = (m2 * 2 + 1.81640625) / 3;
    CHECK(NEAR(s.jitter_ms, 1.81640625), "jitter %f", s.jitter_ms);
    CHECK(NEAR(s.max_jitter_ms, 1.9375), "max %f", s.max_jitter_ms);
    CHECK(NEAR(s.mean_jitter_ms, m3), "mean %f want %f", s.mean_jitter_ms, m3);
    CHECK(NEAR(s.max_delta_ms, 36), "max delta %f", s.max_delta_ms);
    CHECK(sipvi_rtp_stats_lost(&s) == 0, "lost");
}

static void
test_marker_excluded(void)
{
    /* A marked packet (talk spurt) updates the running jitter but not the max. */
    sipvi_rtp_stats_t s = { 0 };
    feed(&s, 0, 1, 0, TRUE, SIPVI_RTP_ANALYSIS_WS42);
    feed(&s, 52, 2, 160, TRUE, SIPVI_RTP_ANALYSIS_WS42);
    CHECK(NEAR(s.jitter_ms, 2), "jitter %f", s.jitter_ms);
    CHECK(NEAR(s.max_jitter_ms, 0), "max %f", s.max_jitter_ms);
}

static void
test_duplicates(void)
{
    /* Duplicates outnumber losses: lost is negative, as Wireshark shows it. */
    sipvi_rtp_stats_t s = { 0 };
    feed(&s, 0, 1, 0, FALSE, SIPVI_RTP_ANALYSIS_WS42);
    feed(&s, 20, 2, 160, FALSE, SIPVI_RTP_ANALYSIS_WS42);
    feed(&s, 21, 2, 160, FALSE, SIPVI_RTP_ANALYSIS_WS42);
    CHECK(sipvi_rtp_stats_lost(&s) == -1, "lost %ld", (long)sipvi_rtp_stats_lost(&s));
    sipvi_rtp_stats_t none = { 0 };
    CHECK(sipvi_rtp_stats_expected(&none) == 0 && NEAR(sipvi_rtp_stats_lost_pct(&none), 0),
          "empty stream");
}

static void
test_extend_seq(void)
{
    /* As packet-rtp.c extends (its first previous is 0x10000): g11-jitter.pcap's first packet,
     * 1002, is 66538 in tshark -T fields -e rtp.extseq. */
    CHECK(sipvi_rtp_extend_seq(0x10000, 1002) == 66538, "first low");
    CHECK(sipvi_rtp_extend_seq(0x10000, 65300) == 65300, "first high: no offset");
    CHECK(sipvi_rtp_extend_seq(65535, 0) == 65536, "wrap forward");
    CHECK(sipvi_rtp_extend_seq(65536, 65535) == 65535, "late across the wrap");
    CHECK(sipvi_rtp_extend_seq(66537, 40000) == 40000, "a jump of more than 32768 reads as back");
}

static void
test_late_last_packet(void)
{
    /* 1, 2, 4 then 3 late (its timestamp before 4's): up to 4.2 the last packet's number ends the
     * stream (expected 3 of 4 received: -1 lost); from 4.4 the highest does (0 lost). */
    const sipvi_rtp_analysis_t hows[] = { SIPVI_RTP_ANALYSIS_WS40, SIPVI_RTP_ANALYSIS_WS42,
                                          SIPVI_RTP_ANALYSIS_WS44 };
    const gint64 lost[] = { -1, -1, 0 };
    for (int i = 0; i < 3; i++) {
        sipvi_rtp_stats_t s = { 0 };
        feed(&s, 0, 1, 0, FALSE, hows[i]);
        feed(&s, 20, 2, 160, FALSE, hows[i]);
        feed(&s, 40, 4, 480, FALSE, hows[i]);
        feed(&s, 45, 3, 320, FALSE, hows[i]);
        CHECK(sipvi_rtp_stats_lost(&s) == lost[i], "how %d: lost %ld", i,
              (long)sipvi_rtp_stats_lost(&s));
        CHECK(s.packets == 4, "packets %u", s.packets);
    }
}

static void
test_big_jump(void)
{
    /* 1000, 1001, then 40000 (a sender's restart or garbage): up to 4.2 a plain gap of 38998; from
     * 4.4 the extended numbers (66536, 66537, 40000) say 40000 came before 1000: expected
     * 66537 - 40000 + 1 = 26538, 26535 lost (g07-hostile.pcap's 25434 lost in tshark 4.4 and 4.6
     * comes the same way). */
    sipvi_rtp_stats_t a = { 0 }, b = { 0 };
    for (int i = 0; i < 2; i++) {
        sipvi_rtp_stats_t *s = i ? &b : &a;
        sipvi_rtp_analysis_t how = i ? SIPVI_RTP_ANALYSIS_WS44 : SIPVI_RTP_ANALYSIS_WS42;
        feed(s, 0, 1000, 0, FALSE, how);
        feed(s, 20, 1001, 160, FALSE, how);
        feed(s, 40, 40000, 320, FALSE, how);
    }
    CHECK(sipvi_rtp_stats_lost(&a) == 38998, "4.2 lost %ld", (long)sipvi_rtp_stats_lost(&a));
    CHECK(sipvi_rtp_stats_expected(&b) == 26538, "4.4 expected %ld",
          (long)sipvi_rtp_stats_expected(&b));
    CHECK(sipvi_rtp_stats_lost(&b) == 26535, "4.4 lost %ld", (long)sipvi_rtp_stats_lost(&b));
}

static void
test_clock_rates(void)
{
    CHECK(sipvi_rtp_clock_rate(0, NULL, 0) == 8000, "PCMU");
    CHECK(sipvi_rtp_clock_rate(9, NULL, 0) == 8000, "G.722 (RFC 3551: 8000)");
    CHECK(sipvi_rtp_clock_rate(18, NULL, 0) == 8000, "G.729");
    CHECK(sipvi_rtp_clock_rate(111, "opus", 0) == 48000, "opus by name");
    CHECK(sipvi_rtp_clock_rate(111, "OPUS", 48000) == 48000, "opus by rate");
    CHECK(sipvi_rtp_clock_rate(97, "AMR-WB", 0) == 16000, "AMR-WB not AMR");
    CHECK(sipvi_rtp_clock_rate(101, "telephone-event", 8000) == 0, "DTMF has no clock");
    CHECK(sipvi_rtp_clock_rate(99, NULL, 0) == 0, "unknown dynamic type");
    CHECK(sipvi_rtp_clock_rate(99, "X-unknown", 0) == 0, "unknown name");
}

int
main(void)
{
    test_loss_and_wrap(SIPVI_RTP_ANALYSIS_WS40);
    test_loss_and_wrap(SIPVI_RTP_ANALYSIS_WS42);
    test_loss_and_wrap(SIPVI_RTP_ANALYSIS_WS44);
    test_jitter(SIPVI_RTP_ANALYSIS_WS40);
    test_jitter(SIPVI_RTP_ANALYSIS_WS42);
    test_jitter(SIPVI_RTP_ANALYSIS_WS44);
    test_extend_seq();
    test_late_last_packet();
    test_big_jump();
    test_marker_excluded();
    test_duplicates();
    test_clock_rates();
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
