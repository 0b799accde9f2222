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
    const char *phrase;       /* responses: the reason phrase as sent, NULL if unknown */
    guint32 cseq;
    guint32 branch;           /* hash of the top Via branch (never 0), 0 if none: the
                               * transaction (RFC 3261 §17.1.3) */
    gboolean to_tag;          /* a To tag: an in-dialog request (RFC 3261 §12.2) */
    gboolean in_icmp;         /* the message is the copy an ICMP error quotes, */
    gint icmp_type;           /* with its type and code (ICMPv6: type + 256) */
    gint icmp_code;
    gboolean credentials;     /* an Authorization or Proxy-Authorization header */
    gint32 q850;              /* first Q.850 cause of the Reason headers, or SIPVI_DIAG_NO_CAUSE */
    gint32 sip_cause;         /* first SIP cause of the Reason headers, or SIPVI_DIAG_NO_CAUSE */
    guint32 warning;          /* first warn-code 300–399, 0 if none */
    guint32 retry_after;      /* 0 if none */
    gboolean has_sdp;
    const char *codecs;       /* what the SDP offers (sipvi_sdp_codecs), NULL if no m= line */
    gboolean media_disabled;  /* every m= line has port 0 */
    const char *media_addr;   /* first c= address of the SDP, NULL if none */
    const char *src_addr;     /* the packet's source address (no port) */
    const char *dst;          /* the packet's destination, address and port */
    guint32 src_hash, dst_hash; /* the packet's addresses (no ports), hashed */
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

/* Timer B and timer F: 64×T1 (RFC 3261 §17.1.1.2, §17.1.2.2). A request not answered this long
 * after it was first sent will not be; nor is a 2xx ACKed that late (timer H). */
#define SIPVI_TIMER_B 32.0
/* A call that rang this long past its last provisional response without a final one should have
 * ended: timer C of a proxy (RFC 3261 §16.6, more than 3 minutes). */
#define SIPVI_TIMER_C 180.0
/* INVITE branches remembered per call: the caller's, and those of the legs a proxy forwards. */
#define SIPVI_BRANCHES_MAX 8

/* The end of what the capture holds: its last frame and when it came. Decisions that depend on
 * "the capture ran on long enough" read it. */
typedef struct {
    guint32 frame;
    double time;
} sipvi_diag_end_t;

/* One BYE transaction: its request and retransmissions, and its answer. */
#define SIPVI_BYES_MAX 2
typedef struct {
    sipvi_frames_t frames;
    guint32 cseq, flow, branch, src;
    double time;
    guint32 code;                 /* its final response, 0 if none */
    guint32 response_frame;
    guint32 provisional_frame;
} sipvi_diag_bye_t;

/* What one INVITE dialog showed. Zero-initialise with sipvi_diag_call_init(). */
typedef struct {
    gboolean invite_seen;
    guint32 invite_cseq;          /* CSeq of the latest INVITE before the call was established */
    guint32 invite_frame;         /* first INVITE of that CSeq */
    double invite_time;
    guint32 invite_flow;
    guint32 invite_branch;        /* the first branch of that INVITE: its retransmissions */
    guint32 invite_src;           /* the caller's address (hash) */
    guint32 invite_resends;
    guint32 invite_timeout_frame; /* the SIPVI_GIVE_UP_TRANSMISSIONS-th transmission */
    gboolean invite_credentials;
    guint32 credentials_frame;    /* the latest INVITE that carried credentials */
    sipvi_frames_t invites;       /* the latest INVITE transaction's requests */
    guint32 branches[SIPVI_BRANCHES_MAX]; /* every INVITE branch of the call before a 2xx */
    guint32 n_branches;
    guint32 sdp_frame;            /* the INVITE whose SDP offered the codecs */
    gboolean offer_has_sdp;
    gboolean offer_disabled;      /* its only streams are disabled (m= port 0) */
    char codecs[SIPVI_DIAG_TEXT];
    char dst[SIPVI_DIAG_TEXT];    /* where the first INVITE went */

    guint32 icmp_frame;           /* the first ICMP error quoting an INVITE of the call */
    gint icmp_type, icmp_code;
    guint32 icmp_count;

    sipvi_frames_t responses;     /* every response to an INVITE */
    guint32 fragments[SIPVI_FRAGMENTS_PER_CALL]; /* an INVITE's IP fragments, when it is missing */
    guint32 n_fragments;
    double first_response_time;
    double last_response_time;
    guint32 ring_frame;           /* first 180 or 183 */
    guint32 last_provisional_code;
    guint32 last_provisional_frame;

    guint32 final_code;           /* first final response before any 2xx, or the 2xx */
    char final_phrase[SIPVI_DIAG_TEXT]; /* its reason phrase, when it is not the usual one */
    guint32 final_cseq;
    guint32 final_frame;
    double final_time;
    gint32 final_q850;
    guint32 final_warning;
    guint32 final_retry_after;
    sipvi_frames_t auth_failures; /* 401/407 of one code to an INVITE that carried credentials */
    guint32 auth_code;

    /* A failure that came after a 2xx to the same INVITE: the ACK with the INVITE's branch
     * (an ACK to a non-2xx, RFC 3261 §17.1.1.3) says the caller took it as the answer. */
    guint32 late_code, late_frame;
    double late_time;
    gint32 late_q850;

    gboolean established;
    double ok_time;
    guint32 ok_flow;
    guint32 ok_src;               /* who sent the 2xx (hash): a BYE from there is the callee's */
    sipvi_frames_t ok_resends;    /* retransmitted 2xx */
    guint32 ack_frame;

    guint32 cancel_frame;
    gint32 cancel_sip_cause;
    gint32 cancel_q850;
    gboolean cancel_by_other;     /* sent from another address than the caller's */
    gint32 ending_q850;           /* Q.850 cause of the BYE or CANCEL */

    /* The first two BYE transactions (each side may send one; a B2BUA's two legs). */
    sipvi_diag_bye_t bye[SIPVI_BYES_MAX];
    guint32 n_byes;
    guint32 early_bye_frame;      /* a BYE from the caller before any final response */

    guint32 private_frame;
    char private_addr[48];
    char private_source[48];
} sipvi_diag_call_t;

/* What the REGISTER transactions of one Call-ID showed. */
typedef struct {
    guint32 cseq;                 /* the latest REGISTER's CSeq */
    guint32 branch;               /* and its branch */
    guint32 relay_branch;         /* the branch of its copy relayed by a proxy, if seen */
    guint32 flow;
    double time;                  /* when it was first sent */
    guint32 transmissions;        /* REGISTERs of that transaction (first and retransmissions) */
    guint32 timeout_frame;        /* the SIPVI_GIVE_UP_TRANSMISSIONS-th of them */
    guint32 attempts;             /* REGISTER transactions (branches, else CSeq numbers) */
    gboolean credentials;         /* the latest REGISTER carried credentials */
    gboolean answered;            /* the latest REGISTER got a final response */
    sipvi_frames_t requests;      /* the latest REGISTER's frames */
    char dst[SIPVI_DIAG_TEXT];
    gboolean any_response;
    guint32 final_code;           /* the latest final response */
    guint32 final_frame;
    double final_time;
    guint32 final_request;        /* the first frame of the REGISTER it answered */
    gboolean final_to_credentials;
    sipvi_frames_t finals;        /* every final response (challenges, failures, 2xx) */
    sipvi_frames_t auth_failures; /* 401/407 of one code to REGISTERs with credentials */
    guint32 auth_code;
    guint32 auth_request;         /* the first REGISTER with credentials that got one */
    guint32 icmp_frame;
    gint icmp_type, icmp_code;
} sipvi_diag_reg_t;

/* The one diagnosis, with the values its explanation names. */
typedef struct {
    sipvi_diag_id_t id;
    guint32 code;                 /* 0: none */
    const char *phrase;           /* the response's own reason phrase where it says more */
    gint32 q850;
    guint32 count;
    double seconds;
    guint32 warning;
    guint32 retry_after;
    const char *codecs;           /* these point into the record */
    gboolean disabled;            /* the offer's streams are all disabled (m= port 0) */
    const char *addr;
    const char *source;
    gboolean has_sdp;
    gint icmp_type, icmp_code;    /* network_refused: what the ICMP said */
    guint32 request;              /* the request the explanation names, 0 if none */
    const guint32 *fragments;
    guint32 n_fragments;
    sipvi_frames_t evidence;
    guint32 certain_frame;        /* where the diagnosis became certain; 0 for a success, and
                                   * while more could still come (a challenge, provisional
                                   * responses only, too few retransmissions to give up) */
    double recheck_at;            /* the capture time from which, with no new message, the
                                   * diagnosis changes (a timer runs out); 0 if never */
} sipvi_diagnosis_t;

void sipvi_diag_call_init(sipvi_diag_call_t *call);
void sipvi_diag_call_note(sipvi_diag_call_t *call, const sipvi_diag_msg_t *m);
/* end: the capture's end, or for a decision made while reading, the frame read last. */
void sipvi_diag_call_decide(const sipvi_diag_call_t *call, const sipvi_diag_end_t *end,
                            sipvi_diagnosis_t *out);
/* Whether a message on a Call-ID whose latest call is `call` starts a new call: only an INVITE
 * outside any dialog (no To tag, RFC 3261 §12) after that call ended, or with a lower CSeq. */
gboolean sipvi_diag_call_starts_new(const sipvi_diag_call_t *call, const sipvi_diag_msg_t *m);

void sipvi_diag_reg_init(sipvi_diag_reg_t *reg);
void sipvi_diag_reg_note(sipvi_diag_reg_t *reg, const sipvi_diag_msg_t *m);
void sipvi_diag_reg_decide(const sipvi_diag_reg_t *reg, const sipvi_diag_end_t *end,
                           sipvi_diagnosis_t *out);

/* A failure (warning severity); not: answered, answered elsewhere, redirected, reg_ok, and the
 * capture ending before the answer. */
gboolean sipvi_diag_id_is_failure(sipvi_diag_id_t id);
gboolean sipvi_diag_is_failure(const sipvi_diagnosis_t *d);
/* Whether the diagnosis raises an expert item: failures (warning), a redirect (note). */
gboolean sipvi_diag_has_item(const sipvi_diagnosis_t *d);

/* The words the explanation borrows from the other tables (overrides included). */
typedef struct {
    const char *(*code_meaning)(guint32 code);
    const char *(*q850_meaning)(gint32 cause);
    const char *(*warning_meaning)(guint32 code);
    const char *(*icmp_meaning)(gint type, gint code);  /* "ICMP 3/3: …" */
} sipvi_diag_words_t;

/* The explanation with its placeholders filled in; g_free() it. aor: of a registration, or NULL. */
char *sipvi_diag_explain(const sipvi_diagnosis_t *d, const char *aor,
                         const sipvi_diag_words_t *words);
/* "12, 14, 15" and " (+N)" when more were counted than kept; g_free() it. */
char *sipvi_diag_frames_text(const sipvi_frames_t *frames);

/* The codecs an SDP offers, from its m= lines and a= attributes (each list "\n"-separated, as
 * SIP's SDP dissector extracted them): "audio G729/8000 (18), telephone-event/8000 (101)". */
void sipvi_sdp_codecs(const char *mlines, const char *attrs, char *out, size_t size);

/* Every m= line of an SDP ("\n"-separated) has port 0: the offer disables all its streams. */
gboolean sipvi_sdp_all_disabled(const char *mlines);

/* An RFC 1918 IPv4 address in dotted form. */
gboolean sipvi_addr_is_private(const char *addr);
/* A global unicast IPv4 address in dotted form: not private, loopback, link-local, shared
 * (100.64/10, carrier NAT), multicast or reserved. */
gboolean sipvi_addr_is_public(const char *addr);
/* The hash the rules compare branches and tags with: never 0 for a string, 0 for NULL. */
guint32 sipvi_diag_hash(const char *s);

#endif /* SIPVI_DIAGNOSIS_H */
