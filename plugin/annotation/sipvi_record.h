/* sipvi_record.h — what SIP parsed of each SIP message of a frame, gathered for this dissection.
 *
 * With a protocol tree, SIP's fields are read from it (sipvi_prime keeps them built). Without
 * one, SIP parses no header tree at all; what it still publishes per message (status code,
 * method, CSeq number, Call-ID) is all there is, and is enough for the Info column. Everything
 * lives in the packet pool: nothing is kept between passes, so -2 and the GUI's re-dissections
 * read SIP again like the first pass did.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_RECORD_H
#define SIPVI_RECORD_H

#include <epan/packet.h>
#include <epan/dissectors/packet-sip.h>

#include "sipvi_reason.h"

/* Bytes of one data source of the frame: the source is the index in pinfo->data_src, which
 * dissection rebuilds in the same order on every pass. */
typedef struct {
    guint source;
    gint start;
    gint length;
} sipvi_loc_t;

typedef struct {
    guint32 code;          /* the warn-code, 0 when the value does not start with three digits */
    const char *text;      /* what follows the code, as sent */
    sipvi_loc_t loc;
} sipvi_warning_rec_t;

typedef struct {
    gboolean is_response;
    gboolean resend;       /* the SIP dissector saw it before (retransmission) */
    guint32 code;          /* responses: the status code as read */
    sipvi_loc_t loc;       /* responses: the status code; requests: the request line */
    const char *method;    /* requests: the method; responses: the CSeq method; NULL if absent */
    guint32 cseq;
    const char *call_id;   /* these three only when asked for (taps); NULL if absent */
    const char *from;
    const char *to;
    gint32 q850_cause;     /* Reason: Q.850;cause=N, or SIPVI_NO_CAUSE */
    sipvi_loc_t q850_loc;
    gint32 sip_cause;      /* Reason: SIP;cause=N, or SIPVI_NO_CAUSE */
    sipvi_loc_t sip_cause_loc;
    guint n_warnings;
    sipvi_warning_rec_t *warnings;
    /* Only for the taps (dialog), read from the header values SIP extracted: */
    gboolean reason_seen;  /* a Reason header: the two causes below replace SIP's */
    gint32 reason_q850;    /* first Q.850 cause of all Reason values (SIP decodes only one) */
    gint32 reason_sip;     /* first SIP cause of all Reason values */
    gboolean credentials;  /* Authorization or Proxy-Authorization */
    guint32 retry_after;
    gboolean has_sdp;
    const char *sdp_mlines;   /* the SDP's m= lines, "\n"-separated; NULL if none */
    const char *sdp_attrs;    /* its a= attributes, "\n"-separated; NULL if none */
    const char *media_addr;   /* its first c= address */
    const char *phrase;       /* responses: the reason phrase, pointing into SIP's status line */
    const char *branch;       /* the top Via's branch (the transaction), NULL if none */
    const char *to_tag;       /* a To tag: the request is in a dialog */
    gint icmp_type;           /* the ICMP error quoting this message (ICMPv6: type + 256), */
    gint icmp_code;           /* or -1 */
} sipvi_message_t;

typedef struct {
    guint n_messages;
    guint n_responses;
    gboolean ip_fragment;  /* no message: an IP fragment that nothing reassembled */
    sipvi_message_t messages[];
} sipvi_frame_t;

/* The SIP dissector's fields that sipvi reads: first those the tree items need, then those only
 * the taps need (SIPVI_DIALOG_FIELDS of them, from cseq_seq on). */
typedef struct {
    int status_line, request_line, status_code, method, cseq_method, q850_cause, sip_cause,
        warning;
    int cseq_seq, call_id, from_addr, to_addr, resend, reason, authorization, proxy_authorization,
        retry_after, sdp_version, sdp_media, sdp_media_attr, sdp_conn_addr, via_branch, to_tag,
        icmp, icmpv6;
} sipvi_sip_fields_t;

#define SIPVI_DIALOG_FIELDS \
    ((guint)((sizeof(sipvi_sip_fields_t) - offsetof(sipvi_sip_fields_t, cseq_seq)) / sizeof(int)))

/* Looks the fields up by name (after registration); FALSE names the first one missing. */
gboolean sipvi_sip_fields_lookup(sipvi_sip_fields_t *fields, const char **missing);
/* The fields as an array of hfids (for sipvi_prime); the last SIPVI_DIALOG_FIELDS are the taps'. */
const int *sipvi_sip_fields_array(const sipvi_sip_fields_t *fields, guint *count);

/* The frame's SIP messages as the tree holds them; NULL when it has none. dialog: also Call-ID,
 * From and To (only the taps use them). */
sipvi_frame_t *sipvi_record_from_tree(proto_tree *tree, packet_info *pinfo,
                                      const sipvi_sip_fields_t *fields, gboolean dialog);

/* What SIP publishes per message without a tree (sip_info_value_t), requests and responses only,
 * in the order of the bytes; returns how many (at most max). */
#define SIPVI_MAX_UNPARSED_MESSAGES 256
#define SIPVI_SIP_INFO_IS_RESPONSE(v) ((v)->reason_phrase != NULL)
guint sipvi_sip_info_collect(packet_info *pinfo, int proto_sip, const sip_info_value_t **out,
                             guint max);
/* Whether SIP published a message in this frame; the one test a frame without SIP and without
 * a tree pays (most frames of a capture are RTP). */
gboolean sipvi_sip_info_present(const packet_info *pinfo, int proto_sip);
/* The same, responses only, as their status codes (all the Info column needs). */
guint sipvi_sip_info_status_codes(packet_info *pinfo, int proto_sip, guint32 *codes, guint max);

/* The frame's SIP messages as SIP publishes them without a tree: no Reason, Warning, CSeq method
 * nor locations. NULL when it has none. */
sipvi_frame_t *sipvi_record_from_sip_info(packet_info *pinfo, int proto_sip);

/* An IP fragment shown as data: nothing reassembled it (its other fragments are not in the
 * capture). A missing INVITE may be in it. */
gboolean sipvi_is_ip_fragment(packet_info *pinfo);

/* The bytes of a location on this pass; the frame itself, zero length, should that ever fail. */
tvbuff_t *sipvi_loc_tvb(packet_info *pinfo, tvbuff_t *frame_tvb, const sipvi_loc_t *loc,
                        gint *start, gint *length);

#endif /* SIPVI_RECORD_H */
