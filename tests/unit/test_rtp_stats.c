/* test_rtp_stats.c — the RFC 3550 loss and jitter of plugin/calls/media/sipvi_rtp_stats.c on packet
 * sequences written out by hand, with figures worked out on paper. The same code runs inside
 * tshark against Wireshark's own -z rtp,streams (tests/test_media.py).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdio.h>

#include "sipvi_rtp_stats.h"

static unsigned passed, failed;

#define CHECK(cond, ...)                                     \
    do {                                                     \
        if (cond) {                                          \
            passed++;                                        \
        } else {                                             \
            failed++;                                        \
            fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);  \
            fprintf(stderr, __VA_ARGS__);                    \
            fputc('\n', stderr);                             \
        }                                                    \
    } while (0)

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static void
feed(sipvi_rtp_stats_t *s, double t_ms, unsigned seq, guint32 ts, gboolean marker,
     sipvi_rtp_analysis_t how)
{
    sipvi_rtp_packet_t p = { t_ms, (guint16)seq, ts, ts, 0, 8000, marker };
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
    test_jitter(SIPVI_RTP_ANALYSIS_WS40);
    test_jitter(SIPVI_RTP_ANALYSIS_WS42);
    test_marker_excluded();
    test_duplicates();
    test_clock_rates();
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
