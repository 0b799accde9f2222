/* sipvi_diagnosis.h — why a call or a registration ended as it did, from what is on the wire.
 *
 * Pure C over glib: no Wireshark type here, so the rules are unit-tested without tshark. The
 * reports (sipvi_calls.c, sipvi_registrations.c) feed each SIP message of a dialog in, in frame
 * order, and ask for the one diagnosis at the end; the wording comes from data/diagnoses.tsv.
 * Every record is a fixed size (under 1 KB): lists of frames are capped, the rest only counted.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_DIAGNOSIS_H
#define SIPVI_DIAGNOSIS_H

#include <glib.h>

#include "sipvi_table.h"

#define SIPVI_DIAG_NO_CAUSE (-1)

/* One SIP message as the rules see it. Strings are borrowed for the call of _note only. */
typedef struct {
    guint32 frame;
    double time;              /* seconds from the first frame of the capture */
    gboolean is_response;
    gboolean resend;          /* SIP's retransmission flag (same addresses and ports) */
    const char *method;       /* requests: the method; responses: the CSeq method */
    guint32 code;             /* responses */
    guint32 cseq;
    gboolean credentials;     /* an Authorization or Proxy-Authorization header */
    gint32 q850;              /* first Q.850 cause of the Reason headers, or SIPVI_DIAG_NO_CAUSE */
    gint32 sip_cause;         /* first SIP cause of the Reason headers, or SIPVI_DIAG_NO_CAUSE */
    guint32 warning;          /* first warn-code 300–399, 0 if none */
    guint32 retry_after;      /* 0 if none */
    gboolean has_sdp;
    const char *codecs;       /* what the SDP offers (sipvi_sdp_codecs), NULL if no m= line */
    const char *media_addr;   /* first c= address of the SDP, NULL if none */
    const char *src_addr;     /* the packet's source address (no port) */
    const char *dst;          /* the packet's destination, address and port */
    guint32 src_hash, dst_hash; /* the packet's addresses (no ports), hashed: INVITE responses */
    const guint32 *fragments; /* INVITE responses: frames of unreassembled IP fragments sent the */
    guint n_fragments;        /* other way before it (sipvi_fragments_match) */
    guint32 flow;             /* a hash of source and destination, addresses and ports; 0 if
                               * unknown. SIP flags no retransmission over TCP, and a proxy's
                               * relayed copy is no retransmission: the same request or 2xx again
                               * on the same flow is one. */
} sipvi_diag_msg_t;

/* Frame numbers kept as evidence: the first SIPVI_EVIDENCE_MAX, the others counted. */
#define SIPVI_EVIDENCE_MAX 12
typedef struct {
    guint32 frame[SIPVI_EVIDENCE_MAX];
    guint32 kept;
    guint32 total;
} sipvi_frames_t;

#define SIPVI_DIAG_TEXT 64

/* A request sent this many times without an answer is certainly unanswered: RFC 3261's timer A
 * has an INVITE sent 7 times in the 32 s of timer B (0, 0.5, 1.5 … 31.5 s), and a non-INVITE
 * request is sent at least that often before timer F. */
#define SIPVI_GIVE_UP_TRANSMISSIONS 7

/* The last IP fragments that nothing reassembled into SIP: an INVITE larger than the MTU whose
 * other fragments were lost shows up only as these. */
#define SIPVI_FRAGMENTS_KEPT 16
#define SIPVI_FRAGMENTS_PER_CALL 4
typedef struct {
    struct {
        guint32 frame;
        double time;
        guint32 src_hash, dst_hash;
    } f[SIPVI_FRAGMENTS_KEPT];
    guint next, count;
} sipvi_fragment_ring_t;

void sipvi_fragments_add(sipvi_fragment_ring_t *ring, guint32 frame, double time,
                         guint32 src_hash, guint32 dst_hash);
/* The fragments sent from src to dst in the 64 s (timer B and more) before time, oldest first. */
guint sipvi_fragments_match(const sipvi_fragment_ring_t *ring, double time, guint32 src_hash,
                            guint32 dst_hash, guint32 *out, guint max);

/* What one INVITE dialog showed. Zero-initialise with sipvi_diag_call_init(). */
typedef struct {
    gboolean invite_seen;
    guint32 invite_cseq;          /* CSeq of the latest INVITE before the call was established */
    guint32 invite_frame;         /* first INVITE of that CSeq */
    guint32 invite_flow;
    guint32 invite_resends;
    guint32 invite_timeout_frame; /* the SIPVI_GIVE_UP_TRANSMISSIONS-th transmission */
    gboolean invite_credentials;
    sipvi_frames_t invites;       /* the latest INVITE transaction's requests */
    guint32 sdp_frame;            /* the INVITE whose SDP offered the codecs */
    gboolean offer_has_sdp;
    char codecs[SIPVI_DIAG_TEXT];
    char dst[SIPVI_DIAG_TEXT];    /* where the first INVITE went */

    sipvi_frames_t responses;     /* every response to an INVITE */
    guint32 fragments[SIPVI_FRAGMENTS_PER_CALL]; /* an INVITE's IP fragments, when it is missing */
    guint32 n_fragments;
    double first_response_time;
    guint32 ring_frame;           /* first 180 or 183 */
    guint32 last_provisional_code;
    guint32 last_provisional_frame;

    guint32 final_code;           /* first final response before any 2xx, or the 2xx */
    guint32 final_cseq;
    guint32 final_frame;
    gint32 final_q850;
    guint32 final_warning;
    guint32 final_retry_after;
    sipvi_frames_t auth_failures; /* 401/407/403 to an INVITE that carried credentials */

    gboolean established;
    double ok_time;
    guint32 ok_flow;
    sipvi_frames_t ok_resends;    /* retransmitted 2xx */
    guint32 ack_frame;

    guint32 cancel_frame;
    gint32 cancel_sip_cause;
    gint32 ending_q850;           /* Q.850 cause of the BYE or CANCEL */

    sipvi_frames_t byes;          /* the first BYE and its retransmissions */
    guint32 bye_cseq;
    guint32 bye_flow;
    double bye_time;
    guint32 bye_code;
    guint32 bye_response_frame;

    guint32 private_frame;
    char private_addr[48];
    char private_source[48];
} sipvi_diag_call_t;

/* What the REGISTER transactions of one Call-ID showed. */
typedef struct {
    guint32 cseq;                 /* the latest REGISTER's CSeq */
    guint32 flow;
    guint32 transmissions;        /* REGISTERs of that CSeq (first and retransmissions) */
    guint32 timeout_frame;        /* the SIPVI_GIVE_UP_TRANSMISSIONS-th of them */
    guint32 attempts;             /* REGISTER transactions (CSeq numbers) */
    gboolean credentials;         /* the latest REGISTER carried credentials */
    sipvi_frames_t requests;      /* the latest REGISTER's frames */
    char dst[SIPVI_DIAG_TEXT];
    gboolean any_response;
    guint32 final_code;           /* the latest final response */
    guint32 final_frame;
    gboolean final_to_credentials;
    sipvi_frames_t finals;        /* every final response (challenges, failures, 2xx) */
    sipvi_frames_t auth_failures;
} sipvi_diag_reg_t;

/* The one diagnosis, with the values its explanation names. */
typedef struct {
    sipvi_diag_id_t id;
    guint32 code;                 /* 0: none */
    gint32 q850;
    guint32 count;
    double seconds;
    guint32 warning;
    guint32 retry_after;
    const char *codecs;           /* these point into the record */
    const char *addr;
    const char *source;
    gboolean has_sdp;
    const guint32 *fragments;
    guint32 n_fragments;
    sipvi_frames_t evidence;
    guint32 certain_frame;        /* where the diagnosis became certain; 0 for a success, and
                                   * while more could still come (a challenge, provisional
                                   * responses only, too few retransmissions to give up) */
} sipvi_diagnosis_t;

void sipvi_diag_call_init(sipvi_diag_call_t *call);
void sipvi_diag_call_note(sipvi_diag_call_t *call, const sipvi_diag_msg_t *m);
void sipvi_diag_call_decide(const sipvi_diag_call_t *call, sipvi_diagnosis_t *out);

void sipvi_diag_reg_init(sipvi_diag_reg_t *reg);
void sipvi_diag_reg_note(sipvi_diag_reg_t *reg, const sipvi_diag_msg_t *m);
void sipvi_diag_reg_decide(const sipvi_diag_reg_t *reg, sipvi_diagnosis_t *out);

/* A diagnosis that is not a failure raises no expert item. */
gboolean sipvi_diag_is_failure(const sipvi_diagnosis_t *d);

/* The words the explanation borrows from the other tables (overrides included). */
typedef struct {
    const char *(*code_meaning)(guint32 code);
    const char *(*q850_meaning)(gint32 cause);
    const char *(*warning_meaning)(guint32 code);
} sipvi_diag_words_t;

/* The explanation with its placeholders filled in; g_free() it. aor: of a registration, or NULL. */
char *sipvi_diag_explain(const sipvi_diagnosis_t *d, const char *aor,
                         const sipvi_diag_words_t *words);
/* "12, 14, 15" and " (+N)" when more were counted than kept; g_free() it. */
char *sipvi_diag_frames_text(const sipvi_frames_t *frames);

/* RFC 3326 Reason header values (a list: "SIP;cause=500, Q.850;cause=41"): the first cause of
 * each protocol, keeping what *q850 and *sip already hold. Entries that do not parse are
 * skipped. */
void sipvi_reason_parse(const char *value, gint32 *q850, gint32 *sip);

/* The codecs an SDP offers, from its m= lines and a= attributes (each list "\n"-separated, as
 * SIP's SDP dissector extracted them): "audio G729/8000 (18), telephone-event/8000 (101)". */
void sipvi_sdp_codecs(const char *mlines, const char *attrs, char *out, size_t size);

/* An RFC 1918 IPv4 address in dotted form. */
gboolean sipvi_addr_is_private(const char *addr);

#endif /* SIPVI_DIAGNOSIS_H */
