/* sipvi_media.h — the RTP streams and RTCP receiver reports of a capture, from Wireshark's rtp
 * tap and the RTCP its dissector found, one fixed-size record per stream (never per packet).
 *
 * A media book exists only while a report or view that needs it is open: its tap listeners are
 * registered then, so plain dissection pays nothing for it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_MEDIA_H
#define SIPVI_MEDIA_H

#include <glib.h>
#include <epan/packet.h>

#include "sipvi_rtp_stats.h"

/* An IPv4 or IPv6 address, by value. */
typedef struct {
    guint8 type;               /* AT_IPv4, AT_IPv6; AT_NONE for anything else */
    guint8 len;
    guint8 bytes[16];
} sipvi_media_addr_t;

/* The last receiver report block a host sent about an SSRC. */
typedef struct {
    sipvi_media_addr_t reporter;
    guint32 ssrc;
    guint32 count;             /* report blocks seen */
    guint32 frame;             /* of the last one */
    guint8 fraction_lost;      /* /256, of the last interval */
    gint32 cumulative_lost;    /* since the receiver's first packet (24-bit signed) */
    guint32 ext_highest_seq;
} sipvi_media_rr_t;

typedef struct {
    sipvi_media_addr_t src, dst;
    guint16 src_port, dst_port;
    guint32 ssrc;
    guint32 setup_frame;       /* the SDP (or other) frame that set RTP up there; 0: none */
    guint32 first_frame, last_frame;
    char payload[24];          /* the first packet's payload type name, cut to fit */
    gboolean from_udp;         /* found by sipvi in UDP that Wireshark did not dissect as RTP */
    guint32 last_ts;           /* from_udp: sipvi extends the timestamps itself */
    guint64 ts_cycles;
    guint32 last_ext_seq;      /* from_udp: and the sequence numbers, as the RTP dissector does */
    sipvi_rtp_stats_t stats;
    const sipvi_media_rr_t *rr; /* the receiver's last report about it, filled by _finish */
} sipvi_media_stream_t;

typedef struct sipvi_media sipvi_media_t;

sipvi_media_t *sipvi_media_new(void);
/* Registers the listeners; FALSE with *error set (g_string_free it) when the host refused. */
gboolean sipvi_media_listen(sipvi_media_t *media, GString **error);
/* The same for a book fed while a file is dissected (the expert items): each frame once, in
 * order, whatever dissects it again later; not emptied by a retap (sipvi_media_reset at a new
 * file). */
gboolean sipvi_media_listen_in_order(sipvi_media_t *media, GString **error);
void sipvi_media_reset(sipvi_media_t *media);
/* Removes the listeners: for an owner that is removed while the host runs on (the GUI's
 * tables). Not from a finish callback run by the host's own tap cleanup at exit, which is walking
 * the listener list and frees these itself (they have no finish of their own). */
void sipvi_media_unlisten(sipvi_media_t *media);
/* Frees the book; its listeners must be gone or never be called again. */
void sipvi_media_free(sipvi_media_t *media);

/* Ties each stream to the last receiver report its receiver sent about its SSRC. Call before
 * reading the streams' rr. */
void sipvi_media_finish(sipvi_media_t *media);

/* The arrival of the last RTP packet of the capture (where it ends, as far as media shows). */
double sipvi_media_last_ms(const sipvi_media_t *media);

/* The streams in the order their first packet came. */
guint sipvi_media_n_streams(const sipvi_media_t *media);
const sipvi_media_stream_t *sipvi_media_stream(const sipvi_media_t *media, guint i);

/* The loss a receiver reported about a stream, in percent of the packets it expected; < 0 when
 * no report is about it. */
double sipvi_media_reported_lost_pct(const sipvi_media_stream_t *s);

/* Reads a pinfo address; FALSE when it is neither IPv4 nor IPv6. */
gboolean sipvi_media_addr_set(sipvi_media_addr_t *out, const address *a);
gboolean sipvi_media_addr_equal(const sipvi_media_addr_t *a, const sipvi_media_addr_t *b);
/* Text form into buf (at least 46 bytes). */
const char *sipvi_media_addr_str(const sipvi_media_addr_t *a, char *buf, gsize size);

#endif /* SIPVI_MEDIA_H */
