/* sipvi_call_media.h — what a call's signalling says about its media, and its media figures per
 * direction once the capture's RTP is known.
 *
 * The dialog book keeps one sipvi_call_media_t per call (fixed size) and feeds it every SIP
 * message of the call (sipvi_call_media_note: one line in the book). At report time
 * sipvi_call_media_figures ties the media book's streams to the call:
 *  - a direction is named by its receiver: to the caller = RTP sent to the address and port of
 *    the caller's SDP; to the callee = to those of the callee's SDP (every SDP each side sent,
 *    the last SIPVI_CALL_MEDIA_SDPS of them, so that re-INVITEs that move the media count);
 *  - a stream belongs to the call when Wireshark set it up from one of the call's SDP frames
 *    (rtp.setup-frame), or when it went to one of those addresses and ports while the call ran;
 *  - all SSRCs of a direction add up (packets, expected, lost); the max jitter is the worst
 *    stream's, the mean jitter the packet-weighted mean.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_CALL_MEDIA_H
#define SIPVI_CALL_MEDIA_H

#include <glib.h>
#include <epan/packet.h>

#include "sipvi_media.h"
#include "sipvi_record.h"

#define SIPVI_CALL_MEDIA_SDPS 4

enum { SIPVI_TO_CALLER = 0, SIPVI_TO_CALLEE = 1 };
enum { SIPVI_ENDED_NONE = 0, SIPVI_ENDED_BY_CALLER, SIPVI_ENDED_BY_CALLEE };
typedef enum {
    SIPVI_SDP_SENDRECV = 0, SIPVI_SDP_SENDONLY, SIPVI_SDP_RECVONLY, SIPVI_SDP_INACTIVE
} sipvi_sdp_direction_t;

typedef struct {
    sipvi_media_addr_t addr;   /* c= (AT_NONE: none, or not an IP address) */
    guint16 port;              /* of the first audio m= line; 0: none or declined */
    guint8 direction;          /* sipvi_sdp_direction_t; c=0.0.0.0 counts as inactive */
    guint32 frame;
    double time_ms;
} sipvi_sdp_seen_t;

typedef struct {
    sipvi_sdp_seen_t sdp[2][SIPVI_CALL_MEDIA_SDPS];  /* [side][n % SDPS], side 0 the caller */
    guint32 n_sdp[2];
    double invite_ms;          /* < 0: none of these seen */
    double first_reply_ms;     /* first 18x or final response to the INVITE */
    double answer_ms;          /* first 2xx to an INVITE */
    double end_ms;             /* first BYE */
    guint32 end_frame;
    guint32 bye_ok_frame;      /* the first 2xx answering a BYE: the call's end is final there */
    guint8 ended_by;
} sipvi_call_media_t;

void sipvi_call_media_init(sipvi_call_media_t *cm);

/* One SIP message of the call (retransmissions are skipped here). caller: the From URI of the
 * call's INVITE, by which requests from the caller are told from the callee's. */
void sipvi_call_media_note(sipvi_call_media_t *cm, const packet_info *pinfo,
                           const sipvi_message_t *m, const char *caller);

/* The SDP of a message noted before without it (dissected without SIP's tree, whose SDP only a
 * tree holds), read when the frame is dissected again with one: kept in frame order among the
 * side's SDPs, as if it had been read in its turn. Nothing else of the message is noted again. */
void sipvi_call_media_note_late_sdp(sipvi_call_media_t *cm, const packet_info *pinfo,
                                    const sipvi_message_t *m, const char *caller);

/* The latest SDP of a side, NULL when it sent none. */
const sipvi_sdp_seen_t *sipvi_call_media_last_sdp(const sipvi_call_media_t *cm, int side);

typedef struct {
    gboolean declared;         /* the receiver declared an address and port */
    gboolean hold;             /* the latest SDPs make silence this way expected */
    guint n_streams;
    guint32 packets;
    gint64 expected, lost;
    double lost_pct;
    double max_jitter_ms, mean_jitter_ms;
    double reported_lost_pct;  /* < 0: no receiver report about it */
    double mos;                /* < 0: no packets, or a codec without E-model factors */
    double first_ms, last_ms;  /* the first and the last packet */
    char codec[24];            /* payload of the stream with most packets */
    gboolean src_mismatch;     /* RTP came from an address:port the sender's SDP does not declare */
    gboolean path_seen;        /* the capture holds RTP (of any call) to or from a host that one of
                                * the call's SDPs declares: its media path is in view */
    sipvi_media_addr_t seen_src;
    guint16 seen_src_port;
    guint32 first_frame;
} sipvi_direction_figures_t;

/* Both directions of a call ([SIPVI_TO_CALLER], [SIPVI_TO_CALLEE]). */
void sipvi_call_media_figures(const sipvi_call_media_t *cm, const sipvi_media_t *media,
                              sipvi_direction_figures_t out[2]);

/* Setup time: INVITE to the first 18x or final response, in ms; duration: answer to the first
 * BYE, in s; < 0 when the capture does not show them. Ended by: "caller", "callee" or "". */
double sipvi_call_media_setup_ms(const sipvi_call_media_t *cm);
double sipvi_call_media_duration_s(const sipvi_call_media_t *cm);
const char *sipvi_call_media_ended_by(const sipvi_call_media_t *cm);

#endif /* SIPVI_CALL_MEDIA_H */
