/* sipvi_rtp_stats.c — RFC 3550 loss and jitter of one RTP stream, with the same choices as
 * Wireshark's RTP Stream Analysis (ui/tap-rtp-analysis.c), which a plugin cannot link:
 *  - expected = last sequence number - first + 1, plus 65536 per wrap; a wrap is counted when a
 *    packet in timestamp order comes with a number below the first one (up to 4.2); from 4.4 on
 *    the highest extended sequence number - the lowest + 1 (sipvi_rtp_stats.h says why);
 *  - jitter J += (|D| - J) / 16 with D the packet's arrival minus the arrival its timestamp
 *    predicts from the last in-order packet, in ms;
 *  - max and mean jitter only over "regular" packets: not the first, not marked, not comfort
 *    noise (nor the packet after comfort noise), not with a timestamp before the last in-order
 *    one, and with a known clock rate. The mean divides by the packets before this one, as
 *    Wireshark does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <string.h>

#include "sipvi_rtp_stats.h"

/* RFC 3551 payload types that carry comfort noise (13, and 19 of earlier drafts). */
#define PT_IS_CN(pt) ((pt) == 13 || (pt) == 19)

void
sipvi_rtp_stats_add(sipvi_rtp_stats_t *s, const sipvi_rtp_packet_t *p, sipvi_rtp_analysis_t how)
{
    if (!s->started) {
        memset(s, 0, sizeof *s);
        s->started = TRUE;
        s->start_seq = s->stop_seq = s->seq_num = p->seq;
        s->first_ms = s->last_ms = s->time_ms = p->arrival_ms;
        s->seq_timestamp = s->first_timestamp =
            how == SIPVI_RTP_ANALYSIS_WS40 ? p->timestamp : p->ext_timestamp;
        s->pt = p->pt;
        if (p->clock_rate)
            s->clock_rate = p->clock_rate;
        s->packets = 1;
        s->min_ext_seq = s->max_ext_seq = p->ext_seq;
        s->how = how;
        return;
    }

    gboolean in_order;
    guint64 ts = how == SIPVI_RTP_ANALYSIS_WS40 ? p->timestamp : p->ext_timestamp;
    if (how == SIPVI_RTP_ANALYSIS_WS40) {
        guint32 ahead = p->timestamp - (guint32)s->first_timestamp;
        in_order = ahead < 0x80000000u;
    } else {
        in_order = s->seq_timestamp <= ts;
    }

    /* Wraps of the sequence number. */
    if (in_order && !s->under &&
        (p->seq < s->start_seq || (p->seq == 0 && s->stop_seq == 65535))) {
        s->seq_cycles++;
        s->under = TRUE;
    } else if (in_order && s->under && p->seq > s->start_seq) {
        s->under = FALSE;
    }

    /* Out-of-sequence count (not used for loss, which comes from expected - received). */
    guint16 next = (guint16)(s->seq_num + 1);
    if (in_order && p->seq == next) {
        s->seq_num = p->seq;
    } else if (in_order && ((guint32)s->seq_num + 1 < p->seq ||
                            (gint32)s->seq_num - (gint32)p->seq > 0xFF00)) {
        s->seq_num = p->seq;
        s->wrong_seq++;
    } else if ((guint32)s->seq_num + 1 > p->seq) {
        s->wrong_seq++;
    }

    gboolean cn = PT_IS_CN(p->pt);
    gboolean after_cn = PT_IS_CN(s->pt);
    s->pt = p->pt;

    double jitter_now = 0;
    if (p->clock_rate && (in_order || how != SIPVI_RTP_ANALYSIS_WS40)) {
        s->clock_rate = p->clock_rate;
        double nominal_ms = ((double)((gint64)ts - (gint64)s->seq_timestamp)) /
                            (p->clock_rate / 1000);
        double diff = fabs(p->arrival_ms - (s->time_ms + nominal_ms));
        jitter_now = (15 * s->jitter_ms + diff) / 16;
        s->jitter_ms = jitter_now;
    }
    if (in_order || how != SIPVI_RTP_ANALYSIS_WS40)
        s->delta_ms = p->arrival_ms - s->time_ms;

    if (!p->marker && !cn && in_order && !after_cn) {
        if (s->delta_ms > s->max_delta_ms)
            s->max_delta_ms = s->delta_ms;
        if (p->clock_rate) {
            if (s->jitter_ms > s->max_jitter_ms)
                s->max_jitter_ms = s->jitter_ms;
            s->mean_jitter_ms = (s->mean_jitter_ms * (s->packets - 1) + jitter_now) / s->packets;
        }
    }

    if (in_order) {
        s->time_ms = p->arrival_ms;
        s->seq_timestamp = ts;
    }
    s->stop_seq = p->seq;
    s->min_ext_seq = MIN(s->min_ext_seq, p->ext_seq);
    s->max_ext_seq = MAX(s->max_ext_seq, p->ext_seq);
    s->last_ms = p->arrival_ms;
    s->packets++;
}

gint64
sipvi_rtp_stats_expected(const sipvi_rtp_stats_t *s)
{
    if (!s->started)
        return 0;
    if (s->how == SIPVI_RTP_ANALYSIS_WS44)
        return (gint64)s->max_ext_seq - (gint64)s->min_ext_seq + 1;
    return (gint64)s->stop_seq + (gint64)s->seq_cycles * 65536 - (gint64)s->start_seq + 1;
}

guint32
sipvi_rtp_extend_seq(guint32 previous, guint16 seq)
{
    guint32 ext = (previous & 0xFFFF0000u) | seq;
    if (ext + 0x8000u < previous)
        ext += 0x10000u;
    else if (previous + 0x8000u < ext)
        ext -= 0x10000u;
    return ext;
}

gint64
sipvi_rtp_stats_lost(const sipvi_rtp_stats_t *s)
{
    return sipvi_rtp_stats_expected(s) - (gint64)s->packets;
}

double
sipvi_rtp_stats_lost_pct(const sipvi_rtp_stats_t *s)
{
    gint64 expected = sipvi_rtp_stats_expected(s);
    return expected ? (double)sipvi_rtp_stats_lost(s) * 100.0 / (double)expected : 0.0;
}

typedef struct {
    const char *name;
    guint32 rate;
} named_rate_t;

/* RTP clock rates of encodings with dynamic payload types (IANA RTP parameters), the subset
 * telephony uses; names compare case-insensitively on their length, longest first. */
static const named_rate_t named_rates[] = {
    { "AMR-WB", 16000 }, { "AMR", 8000 }, { "EVS", 16000 }, { "G7221", 16000 },
    { "G726-16", 8000 }, { "G726-24", 8000 }, { "G726-32", 8000 }, { "G726-40", 8000 },
    { "G729D", 8000 }, { "G729E", 8000 }, { "GSM-EFR", 8000 }, { "iLBC", 8000 },
    { "opus", 48000 }, { "SILK", 16000 }, { "speex", 8000 }, { "H264", 90000 },
    { "H263-1998", 90000 }, { "H263-2000", 90000 }, { "VP8", 90000 }, { "red", 1000 },
    { "t140", 1000 },
};

guint32
sipvi_rtp_clock_rate(guint pt, const char *encoding_name, int rate)
{
    if (pt < 96) {
        switch (pt) {
        case 0: case 1: case 2: case 3: case 4: case 5: case 7: case 8: case 9: case 12:
        case 13: case 15: case 18: case 19:
            return 8000;
        case 6: return 16000;
        case 10: case 11: return 44100;
        case 16: return 11025;
        case 17: return 22050;
        case 14: case 25: case 26: case 28: case 31: case 32: case 33: case 34:
            return 90000;
        default: return 0;
        }
    }
    if (!encoding_name)
        return 0;
    if (g_ascii_strncasecmp(encoding_name, "telephone-event", 15) == 0)
        return 0;
    if (rate > 0)
        return (guint32)rate;
    for (gsize i = 0; i < G_N_ELEMENTS(named_rates); i++) {
        if (g_ascii_strncasecmp(encoding_name, named_rates[i].name, strlen(named_rates[i].name)) == 0)
            return named_rates[i].rate;
    }
    return 0;
}
