/* sipvi_rtp_stats.h — the figures of one RTP stream (one SSRC from one address:port to another),
 * computed packet by packet the way Wireshark's RTP Stream Analysis does (ui/tap-rtp-analysis.c),
 * so that sipvi and `tshark -z rtp,streams` give the same packets, loss and jitter.
 *
 * A fixed-size record: nothing is kept per packet. Plain C over glib, unit-tested without tshark.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_RTP_STATS_H
#define SIPVI_RTP_STATS_H

#include <glib.h>

typedef struct {
    gboolean started;
    guint32 packets;           /* every packet of the stream, duplicates and late ones too */
    guint16 start_seq;         /* the first packet's sequence number */
    guint16 stop_seq;          /* the last packet's */
    guint16 seq_num;           /* the highest in order so far (for the wrong-sequence count) */
    guint32 seq_cycles;        /* wraps of the sequence number */
    gboolean under;            /* the sequence number is below start_seq in this cycle */
    guint32 wrong_seq;         /* packets out of sequence (lost before, late or duplicate) */
    guint64 first_timestamp;   /* extended RTP timestamp of the first packet */
    guint64 seq_timestamp;     /* extended RTP timestamp of the last in-order packet */
    double time_ms;            /* its arrival time */
    double first_ms, last_ms;  /* arrival of the first and of the last packet */
    double jitter_ms;          /* RFC 3550 A.8 running estimate */
    double max_jitter_ms;
    double mean_jitter_ms;
    double delta_ms;           /* time since the previous in-order packet */
    double max_delta_ms;
    guint pt;                  /* payload type of the last packet */
    guint32 clock_rate;        /* of the last packet with a known rate; 0: none yet */
} sipvi_rtp_stats_t;

/* One packet as the RTP dissector saw it. clock_rate 0: jitter cannot be computed for it (an
 * unknown dynamic payload type, telephone-event). */
typedef struct {
    double arrival_ms;         /* relative to the capture's first frame */
    guint16 seq;
    guint32 timestamp;         /* as sent */
    guint64 ext_timestamp;     /* the RTP dissector's extended timestamp (4.2 on: see below) */
    guint pt;
    guint32 clock_rate;
    gboolean marker;
} sipvi_rtp_packet_t;

/* Which Wireshark's analysis to follow: up to 4.0, a packet is "in time sequence" when its
 * timestamp is within 2^31 after the stream's first one, and only those count for jitter; from
 * 4.2 on, when it is not before the last in-order packet's, and every packet updates the jitter.
 * Up to 4.0 the timestamps compared are the 32-bit ones as sent, from 4.2 the extended ones.
 * The plugin follows the series it is built for, so that it agrees with that tshark. */
typedef enum { SIPVI_RTP_ANALYSIS_WS40, SIPVI_RTP_ANALYSIS_WS42 } sipvi_rtp_analysis_t;

void sipvi_rtp_stats_add(sipvi_rtp_stats_t *s, const sipvi_rtp_packet_t *p,
                         sipvi_rtp_analysis_t how);

/* RFC 3550 §6.4.1 / A.3: packets the sequence numbers say were sent, from the first to the last
 * seen; and those of them not seen (negative when duplicates outnumber the losses). */
gint64 sipvi_rtp_stats_expected(const sipvi_rtp_stats_t *s);
gint64 sipvi_rtp_stats_lost(const sipvi_rtp_stats_t *s);
/* Lost as a percentage of expected; 0 when nothing was expected. */
double sipvi_rtp_stats_lost_pct(const sipvi_rtp_stats_t *s);

/* The sampling clock of a payload type, as Wireshark's analysis takes it: the static types' rates,
 * else the rate SDP gave (rate > 0), else the rate of the encoding name; 0 when unknown or for
 * telephone-event (its timestamps do not advance). */
guint32 sipvi_rtp_clock_rate(guint pt, const char *encoding_name, int rate);

#endif /* SIPVI_RTP_STATS_H */
