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
    guint32 min_ext_seq;       /* lowest and highest extended sequence number (4.4 on) */
    guint32 max_ext_seq;
    int how;                   /* the sipvi_rtp_analysis_t the stream is counted by */
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
    guint32 ext_seq;           /* the RTP dissector's extended sequence number (4.4 on) */
} sipvi_rtp_packet_t;

/* Which Wireshark's analysis to follow (ui/tap-rtp-analysis.c and ui/rtp_stream.c of each series):
 *  - up to 4.0: a packet is "in time sequence" when its 32-bit timestamp as sent is within 2^31
 *    after the stream's first one, and only those count for jitter and delta; expected packets
 *    are the last packet's sequence number less the first's, plus one, plus 65536 per wrap
 *    (counted on in-order packets);
 *  - 4.2: in order when its extended timestamp is not before the last in-order packet's, and
 *    every packet with a known clock rate updates the jitter and the delta (the max and the mean
 *    still only over in-order ones); expected as up to 4.0;
 *  - from 4.4 on (checked: 4.4.19 and 4.6.9): as 4.2, but expected is the highest extended
 *    sequence number (the RTP dissector's, info_extended_seq_num) less the lowest, plus one. A
 *    late packet does not end the stream any more (up to 4.2 the last packet's number was the
 *    end, so a reordered last packet counted as -1 lost), and a jump of more than 32768 reads as
 *    the dissector's extension reads it (a jump back across a wrap), not as a wrap.
 * The plugin follows the series it is built for (sipvi_media.c), so that it agrees with that
 * tshark's -z rtp,streams and Telephony > RTP > RTP Streams. */
typedef enum {
    SIPVI_RTP_ANALYSIS_WS40, SIPVI_RTP_ANALYSIS_WS42, SIPVI_RTP_ANALYSIS_WS44
} sipvi_rtp_analysis_t;

/* The extended sequence number as the RTP dissector makes it (packet-rtp.c, every series): the
 * previous one's top 16 bits with this one's, moved by 65536 when that jumps more than 32768.
 * For packets the RTP dissector did not see; the first packet's previous is 0x10000. */
guint32 sipvi_rtp_extend_seq(guint32 previous, guint16 seq);

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
