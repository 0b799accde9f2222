/* sipvi_diagnosis.c — the rules: one diagnosis per INVITE dialog and per registration.
 *
 * Precedence for a call, first match wins (docs/diagnosis.md lists every code and cause per id):
 *   1. invite_missing       responses to an INVITE that is not in the capture (unless a 2xx and
 *                           its ACK show the call answered)
 *   2. a CANCEL             answered_elsewhere (Reason SIP 200), caller_cancelled (no Reason or
 *                           the caller hanging up), cancelled (another Reason, or another sender)
 *   3. caller_cancelled     the caller's BYE on the early dialog
 *   4. auth_failed          401/407 again to an INVITE that carried credentials
 *   5. answered calls:      no ACK of the 2xx: ack_missing when the capture shows it should have
 *                           come, else capture_ended; then bye_failed (either side's BYE), then
 *                           media_private_address (only from a public source), else answered
 *   6. final failure:       loop and redirected by their code; then the Q.850 cause of the final
 *                           response, else of the BYE/CANCEL, when it maps; then the code; an
 *                           unanswered challenge is capture_ended while a retry could come
 *   7. no final response:   network_refused (ICMP only), no_response (to timer B, or the capture
 *                           ran on 32 s), no_final_response (1xx, the capture ran on 180 s), else
 *                           capture_ended
 * Transactions are told apart by their top Via branch where the message has one (RFC 3261
 * §17.1.3): retransmissions, stray responses of other transactions, the ACK of a non-2xx.
 * Each diagnosis names the frame where it became certain (the expert item goes there); one that
 * later frames or the capture's end could still change has none.
 * A registration: the latest REGISTER unanswered is reg_capture_ended or reg_no_response; else
 * its final response decides: 2xx reg_ok, 401/407 to credentials reg_auth_failed, 403
 * reg_forbidden, a challenge not retried reg_capture_ended or reg_rejected, other reg_rejected.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "sipvi_diagnosis.h"

static void
frames_add(sipvi_frames_t *f, guint32 frame)
{
    if (f->kept < SIPVI_EVIDENCE_MAX)
        f->frame[f->kept++] = frame;
    f->total++;
}

/* Evidence in frame order without repeats, whatever order the rules collect it in. */
static void
evidence_add(sipvi_frames_t *e, guint32 frame)
{
    if (frame == 0)
        return;
    for (guint32 i = 0; i < e->kept; i++) {
        if (e->frame[i] == frame)
            return;
    }
    if (e->kept == SIPVI_EVIDENCE_MAX) {
        /* Full: keep the earliest frames, count the rest. */
        if (frame > e->frame[e->kept - 1]) {
            e->total++;
            return;
        }
        e->kept--;
    }
    guint32 i = e->kept;
    while (i > 0 && e->frame[i - 1] > frame) {
        e->frame[i] = e->frame[i - 1];
        i--;
    }
    e->frame[i] = frame;
    e->kept++;
    e->total++;
}

static void
evidence_add_all(sipvi_frames_t *e, const sipvi_frames_t *f)
{
    for (guint32 i = 0; i < f->kept; i++)
        evidence_add(e, f->frame[i]);
    e->total += f->total - f->kept;
}

static void
copy_text(char *dst, size_t size, const char *src)
{
    g_strlcpy(dst, src ? src : "", size);
}

/* The same message again: the same transaction's branch (RFC 3261 §17.1.3) where the message
 * has one, else flagged by SIP or sent again on the same flow. A proxy's relayed copy carries
 * its own branch and is no retransmission. */
static gboolean
again(const sipvi_diag_msg_t *m, guint32 first_flow, guint32 first_branch)
{
    if (m->branch && first_branch)
        return m->branch == first_branch;
    return m->resend || (m->flow && m->flow == first_flow);
}

static gboolean
is_method(const sipvi_diag_msg_t *m, const char *method)
{
    return m->method && strcmp(m->method, method) == 0;
}

guint32
sipvi_diag_hash(const char *s)
{
    /* Not "| 1": that merges the hashes of "b1" and "b2". */
    guint32 h = s ? g_str_hash(s) : 0;
    return s && !h ? 1 : h;
}

void
sipvi_diag_call_init(sipvi_diag_call_t *c)
{
    memset(c, 0, sizeof *c);
    c->final_q850 = SIPVI_DIAG_NO_CAUSE;
    c->late_q850 = SIPVI_DIAG_NO_CAUSE;
    c->cancel_sip_cause = SIPVI_DIAG_NO_CAUSE;
    c->cancel_q850 = SIPVI_DIAG_NO_CAUSE;
    c->ending_q850 = SIPVI_DIAG_NO_CAUSE;
    c->icmp_type = c->icmp_code = -1;
}

/* A private c= is a sign of NAT only in a message that reached the capture from a public
 * address: a proxy relaying SDP inside a private network, a gateway with one address for
 * signalling and another for media, or lab traffic on loopback are no NAT. */
static void
note_media(sipvi_diag_call_t *c, const sipvi_diag_msg_t *m)
{
    if (c->private_frame || !m->media_addr || !sipvi_addr_is_public(m->src_addr))
        return;
    if (sipvi_addr_is_private(m->media_addr)) {
        c->private_frame = m->frame;
        copy_text(c->private_addr, sizeof c->private_addr, m->media_addr);
        copy_text(c->private_source, sizeof c->private_source, m->src_addr);
    }
}

static gboolean
branch_known(const sipvi_diag_call_t *c, guint32 branch)
{
    for (guint32 i = 0; i < c->n_branches; i++) {
        if (c->branches[i] == branch)
            return TRUE;
    }
    return FALSE;
}

static void
add_branch(sipvi_diag_call_t *c, guint32 branch)
{
    if (branch && !branch_known(c, branch) && c->n_branches < SIPVI_BRANCHES_MAX)
        c->branches[c->n_branches++] = branch;
}

static void
note_invite(sipvi_diag_call_t *c, const sipvi_diag_msg_t *m)
{
    if (c->established || m->to_tag)
        return;   /* a re-INVITE (in the dialog) does not change how the call went */
    /* A new attempt: a new CSeq from the caller (after a challenge). The copy a proxy forwards
     * has the same CSeq and its own branch: one more leg of the same transaction. */
    if (!c->invite_seen || m->cseq != c->invite_cseq) {
        if (!c->invite_seen) {
            copy_text(c->dst, sizeof c->dst, m->dst);
            c->invite_src = m->src_hash;
        }
        c->invite_seen = TRUE;
        c->invite_cseq = m->cseq;
        c->invite_frame = m->frame;
        c->invite_time = m->time;
        c->invite_flow = m->flow;
        c->invite_branch = m->branch;
        c->invite_resends = 0;
        c->invite_timeout_frame = 0;
        c->invite_credentials = m->credentials;
        memset(&c->invites, 0, sizeof c->invites);
        frames_add(&c->invites, m->frame);
    } else if (again(m, c->invite_flow, c->invite_branch)) {
        c->invite_resends++;
        if (c->invite_resends + 1 == SIPVI_GIVE_UP_TRANSMISSIONS)
            c->invite_timeout_frame = m->frame;
        frames_add(&c->invites, m->frame);
    }
    add_branch(c, m->branch);
    if (m->credentials)
        c->credentials_frame = c->invite_frame;
    /* The offer that was answered is the latest attempt's (the one with credentials). */
    if (m->has_sdp && (!c->sdp_frame || (c->invite_frame > c->sdp_frame && m->frame == c->invite_frame))) {
        c->sdp_frame = m->frame;
        c->offer_has_sdp = TRUE;
        c->offer_disabled = m->media_disabled;
        copy_text(c->codecs, sizeof c->codecs, m->codecs);
    }
    note_media(c, m);
}

/* A response to an INVITE of this call: its top Via branch is one of the INVITE's. A response
 * with another branch answers some other transaction (a stray, or another leg's re-INVITE). */
static gboolean
answers_invite(const sipvi_diag_call_t *c, const sipvi_diag_msg_t *m)
{
    return !m->branch || c->n_branches == 0 || branch_known(c, m->branch);
}

static void
note_invite_response(sipvi_diag_call_t *c, const sipvi_diag_msg_t *m)
{
    if (!c->established && !answers_invite(c, m))
        return;
    if (c->responses.total == 0)
        c->first_response_time = m->time;
    c->last_response_time = m->time;
    /* Each response may follow more fragments of the INVITE (its retransmissions). */
    for (guint i = 0; !c->invite_seen && i < m->n_fragments; i++) {
        gboolean known = FALSE;
        for (guint32 k = 0; k < c->n_fragments; k++)
            known = known || c->fragments[k] == m->fragments[i];
        if (!known && c->n_fragments < SIPVI_FRAGMENTS_PER_CALL)
            c->fragments[c->n_fragments++] = m->fragments[i];
    }
    if (m->code < 200) {
        if (c->established || c->final_code)
            return;
        frames_add(&c->responses, m->frame);
        if ((m->code == 180 || m->code == 183) && !c->ring_frame)
            c->ring_frame = m->frame;
        if (m->code > 100 || !c->last_provisional_code) {
            c->last_provisional_code = m->code;
            c->last_provisional_frame = m->frame;
        }
        return;
    }
    if (c->established) {
        if (m->code < 300 && m->cseq == c->final_cseq && again(m, c->ok_flow, 0))
            frames_add(&c->ok_resends, m->frame);
        if (m->code < 300)
            note_media(c, m);
        else if (m->cseq == c->final_cseq && branch_known(c, m->branch) && !c->late_code) {
            c->late_code = m->code;
            c->late_frame = m->frame;
            c->late_q850 = m->q850;
            c->late_time = m->time;
        }
        return;
    }
    frames_add(&c->responses, m->frame);
    /* The same final again (a retransmission, or the copy a proxy relays) adds nothing. */
    if (c->final_code == m->code && c->final_cseq == m->cseq)
        return;
    c->final_code = m->code;
    c->final_cseq = m->cseq;
    c->final_frame = m->frame;
    c->final_time = m->time;
    c->final_q850 = m->q850;
    c->final_warning = m->warning;
    c->final_retry_after = m->retry_after;
    copy_text(c->final_phrase, sizeof c->final_phrase, m->phrase);
    if ((m->code == 401 || m->code == 407) && c->invite_credentials && m->cseq == c->invite_cseq) {
        if (m->code != c->auth_code)
            memset(&c->auth_failures, 0, sizeof c->auth_failures);
        c->auth_code = m->code;
        frames_add(&c->auth_failures, m->frame);
    }
    if (m->code < 300) {
        c->established = TRUE;
        c->ok_time = m->time;
        c->ok_flow = m->flow;
        c->ok_src = m->src_hash;
        note_media(c, m);
    }
}

static void
note_ack(sipvi_diag_call_t *c, const sipvi_diag_msg_t *m)
{
    if (!c->established || m->cseq != c->final_cseq)
        return;
    /* An ACK with the INVITE's own branch acknowledges a non-2xx final (RFC 3261 §17.1.1.3):
     * when a failure followed the 2xx, that failure was the answer the caller took. Without
     * one it is the 2xx's ACK: many devices reuse the INVITE's branch for it. */
    if (m->branch && branch_known(c, m->branch) && c->late_code && !c->ack_frame) {
        c->established = FALSE;
        c->final_code = c->late_code;
        c->final_frame = c->late_frame;
        c->final_q850 = c->late_q850;
        c->final_time = c->late_time;
        c->final_phrase[0] = '\0';
        memset(&c->ok_resends, 0, sizeof c->ok_resends);
        return;
    }
    if (!c->ack_frame)
        c->ack_frame = m->frame;
}

/* The BYE transaction a BYE or its response belongs to: the same branch, else the same CSeq
 * (and for a request, the same sender). */
static sipvi_diag_bye_t *
find_bye(sipvi_diag_call_t *c, const sipvi_diag_msg_t *m)
{
    for (guint32 i = 0; i < c->n_byes; i++) {
        sipvi_diag_bye_t *b = &c->bye[i];
        if (m->branch && b->branch) {
            if (m->branch == b->branch)
                return b;
        } else if (m->cseq == b->cseq && (m->is_response || m->src_hash == b->src)) {
            return b;
        }
    }
    return NULL;
}

static gboolean
any_bye_answered(const sipvi_diag_call_t *c)
{
    for (guint32 i = 0; i < c->n_byes; i++) {
        if (c->bye[i].code >= 200)
            return TRUE;
    }
    return FALSE;
}

void
sipvi_diag_call_note(sipvi_diag_call_t *c, const sipvi_diag_msg_t *m)
{
    if (!m->method)
        return;
    if (m->in_icmp) {
        /* A request the network refused: the ICMP error quotes it. It is no transmission. */
        if (!m->is_response && is_method(m, "INVITE") && !c->established) {
            if (!c->icmp_frame) {
                c->icmp_frame = m->frame;
                c->icmp_type = m->icmp_type;
                c->icmp_code = m->icmp_code;
            }
            c->icmp_count++;
        }
        return;
    }
    if (m->is_response) {
        if (is_method(m, "INVITE")) {
            note_invite_response(c, m);
        } else if (is_method(m, "BYE")) {
            sipvi_diag_bye_t *b = find_bye(c, m);
            if (b && !b->code) {
                if (m->code >= 200) {
                    b->code = m->code;
                    b->response_frame = m->frame;
                } else if (!b->provisional_frame) {
                    b->provisional_frame = m->frame;
                }
            }
        }
        return;
    }
    if (is_method(m, "INVITE")) {
        note_invite(c, m);
    } else if (is_method(m, "ACK")) {
        note_ack(c, m);
    } else if (is_method(m, "CANCEL")) {
        if (!c->established && !c->cancel_frame && !(c->final_code >= 300)) {
            c->cancel_frame = m->frame;
            c->cancel_sip_cause = m->sip_cause;
            c->cancel_q850 = m->q850;
            c->cancel_by_other = c->invite_src && m->src_hash && m->src_hash != c->invite_src;
        }
        if (c->ending_q850 == SIPVI_DIAG_NO_CAUSE)
            c->ending_q850 = m->q850;
    } else if (is_method(m, "BYE")) {
        sipvi_diag_bye_t *b = find_bye(c, m);
        if (!b && c->n_byes < SIPVI_BYES_MAX) {
            b = &c->bye[c->n_byes++];
            b->cseq = m->cseq;
            b->flow = m->flow;
            b->branch = m->branch;
            b->time = m->time;
            b->src = m->src_hash;
            if (!c->established && !c->final_code && c->invite_src && m->src_hash == c->invite_src &&
                    !c->early_bye_frame)
                c->early_bye_frame = m->frame;
            frames_add(&b->frames, m->frame);
        } else if (b && again(m, b->flow, b->branch)) {
            frames_add(&b->frames, m->frame);
        }
        if (c->ending_q850 == SIPVI_DIAG_NO_CAUSE)
            c->ending_q850 = m->q850;
    }
}

gboolean
sipvi_diag_call_starts_new(const sipvi_diag_call_t *c, const sipvi_diag_msg_t *m)
{
    if (m->is_response || m->resend || m->to_tag || m->in_icmp || !is_method(m, "INVITE"))
        return FALSE;
    if (!c->invite_seen)
        return FALSE;
    return any_bye_answered(c) || m->cseq < c->invite_cseq;
}

static sipvi_diag_id_t
by_q850(gint32 cause)
{
    switch (cause) {
    case 17: return SIPVI_DIAG_BUSY;
    case 19: return SIPVI_DIAG_NO_ANSWER;
    case 18: case 20: return SIPVI_DIAG_UNREACHABLE;
    case 21: return SIPVI_DIAG_REJECTED;
    case 1: case 28: return SIPVI_DIAG_NUMBER_INVALID;
    case 2: case 3: return SIPVI_DIAG_NO_ROUTE;
    case 22: return SIPVI_DIAG_NUMBER_CHANGED;
    case 65: case 88: return SIPVI_DIAG_CODEC_MISMATCH;
    case 79: return SIPVI_DIAG_NOT_IMPLEMENTED;
    case 38: case 41: return SIPVI_DIAG_DOWNSTREAM_FAILURE;
    case 34: case 42: case 47: return SIPVI_DIAG_CAPACITY;
    default: return SIPVI_DIAG_COUNT;
    }
}

static sipvi_diag_id_t
by_code(guint32 code, gboolean rang)
{
    switch (code) {
    case 486: case 600: return SIPVI_DIAG_BUSY;
    case 403: return SIPVI_DIAG_FORBIDDEN;
    case 603: case 607: case 608: return SIPVI_DIAG_REJECTED;
    case 404: case 484: case 604: return SIPVI_DIAG_NUMBER_INVALID;
    case 410: return SIPVI_DIAG_NUMBER_CHANGED;
    case 488: case 606: return SIPVI_DIAG_CODEC_MISMATCH;
    case 406: case 415: case 420: case 421: case 501: case 580:
        return SIPVI_DIAG_NOT_IMPLEMENTED;
    case 500: return SIPVI_DIAG_SERVER_ERROR;
    case 502: case 504: return SIPVI_DIAG_DOWNSTREAM_FAILURE;
    case 503: return SIPVI_DIAG_CAPACITY;
    case 408: case 480: return rang ? SIPVI_DIAG_NO_ANSWER : SIPVI_DIAG_UNREACHABLE;
    default: return SIPVI_DIAG_OTHER_FAILURE;
    }
}

/* The capture ended before time could tell: nothing to blame. */
static void
decide_capture_ended(sipvi_diagnosis_t *d, guint32 request, double deadline)
{
    d->id = SIPVI_DIAG_CAPTURE_ENDED;
    d->request = request;
    d->recheck_at = deadline;
    evidence_add(&d->evidence, request);
    d->certain_frame = 0;
}

static void
decide_failure(const sipvi_diag_call_t *c, const sipvi_diag_end_t *end, sipvi_diagnosis_t *d)
{
    gint32 q850 = c->final_q850 != SIPVI_DIAG_NO_CAUSE ? c->final_q850 : c->ending_q850;
    d->code = c->final_code;
    d->phrase = c->final_phrase[0] ? c->final_phrase : NULL;
    d->q850 = q850;
    /* A challenge, or a session interval too small, is normally answered with a new INVITE:
     * nothing is certain while that may still come. */
    gboolean retried = c->final_code == 401 || c->final_code == 407 || c->final_code == 422;
    if (retried && end->time - c->final_time < SIPVI_TIMER_B) {
        decide_capture_ended(d, c->final_frame, c->final_time + SIPVI_TIMER_B);
        return;
    }
    d->certain_frame = retried ? 0 : c->final_frame;
    evidence_add(&d->evidence, c->final_frame);
    if (c->final_code == 482 || c->final_code == 483)
        d->id = SIPVI_DIAG_LOOP;
    else if (c->final_code < 400)
        d->id = SIPVI_DIAG_REDIRECTED;
    else if ((d->id = by_q850(q850)) == SIPVI_DIAG_COUNT)
        d->id = by_code(c->final_code, c->ring_frame != 0);
    switch (d->id) {
    case SIPVI_DIAG_NO_ANSWER:
        evidence_add(&d->evidence, c->ring_frame);
        break;
    case SIPVI_DIAG_CODEC_MISMATCH:
        d->request = c->sdp_frame ? c->sdp_frame : c->invite_frame;
        evidence_add(&d->evidence, d->request);
        d->codecs = c->codecs[0] ? c->codecs : NULL;
        d->has_sdp = c->offer_has_sdp;
        d->disabled = c->offer_disabled;
        d->warning = c->final_warning;
        break;
    case SIPVI_DIAG_CAPACITY:
        d->retry_after = c->final_retry_after;
        break;
    default:
        break;
    }
}

static void
decide_established(const sipvi_diag_call_t *c, const sipvi_diag_end_t *end, sipvi_diagnosis_t *d)
{
    d->code = c->final_code;
    if (!c->ack_frame) {
        /* No ACK of the 2xx. It is missing when the capture shows that it should have come:
         * the 2xx sent again, a BYE, or the capture running on past timer H. */
        gboolean evident = c->ok_resends.total || c->n_byes ||
                           end->time - c->ok_time >= SIPVI_TIMER_B;
        if (!evident) {
            decide_capture_ended(d, c->final_frame, c->ok_time + SIPVI_TIMER_B);
            return;
        }
        d->id = SIPVI_DIAG_ACK_MISSING;
        d->count = 1 + c->ok_resends.total;
        evidence_add(&d->evidence, c->final_frame);
        evidence_add_all(&d->evidence, &c->ok_resends);
        if (c->n_byes) {
            evidence_add(&d->evidence, c->bye[0].frames.frame[0]);
            d->seconds = c->bye[0].time - c->ok_time;
            d->certain_frame = c->bye[0].frames.frame[0];
        } else {
            d->seconds = end->time - c->ok_time;
            /* No BYE yet: certain once the 2xx was sent as often as a UAS does before it gives
             * up (timer H). */
            d->certain_frame = c->ok_resends.total + 1 >= SIPVI_GIVE_UP_TRANSMISSIONS
                               ? c->ok_resends.frame[SIPVI_GIVE_UP_TRANSMISSIONS - 2] : 0;
        }
        return;
    }
    /* Any BYE that failed: either side's (a B2BUA's two legs share the Call-ID). */
    for (guint32 i = 0; i < c->n_byes; i++) {
        const sipvi_diag_bye_t *b = &c->bye[i];
        gboolean bye_error = b->code >= 300;
        /* An unanswered BYE is a failure once it was sent until the sender gave up, or the
         * capture ran on past timer F; before that the capture just ended. */
        gboolean bye_unanswered = !b->code && (b->frames.total >= SIPVI_GIVE_UP_TRANSMISSIONS ||
                                               end->time - b->time >= SIPVI_TIMER_B);
        if (!bye_error && !bye_unanswered)
            continue;
        d->id = SIPVI_DIAG_BYE_FAILED;
        d->code = b->code;
        d->count = b->frames.total;
        d->request = b->frames.frame[0];
        /* The BYE and its answer: the 2xx that set the call up proves nothing here. */
        evidence_add_all(&d->evidence, &b->frames);
        evidence_add(&d->evidence, b->response_frame);
        d->certain_frame = bye_error ? b->response_frame
                         : b->frames.total >= SIPVI_GIVE_UP_TRANSMISSIONS
                         ? b->frames.frame[SIPVI_GIVE_UP_TRANSMISSIONS - 1] : 0;
        return;
    }
    for (guint32 i = 0; i < c->n_byes; i++) {
        /* A BYE still unanswered fails at timer F. */
        if (!c->bye[i].code && (d->recheck_at == 0 || c->bye[i].time + SIPVI_TIMER_B < d->recheck_at))
            d->recheck_at = c->bye[i].time + SIPVI_TIMER_B;
    }
    evidence_add(&d->evidence, c->final_frame);
    if (c->private_frame) {
        d->id = SIPVI_DIAG_MEDIA_PRIVATE_ADDRESS;
        d->addr = c->private_addr;
        d->source = c->private_source;
        evidence_add(&d->evidence, c->private_frame);
        d->certain_frame = MAX(c->private_frame, c->ack_frame);
        return;
    }
    d->id = SIPVI_DIAG_ANSWERED;
    evidence_add(&d->evidence, c->ack_frame);
}

static void
decide_cancel(const sipvi_diag_call_t *c, sipvi_diagnosis_t *d)
{
    d->code = c->final_code;
    d->q850 = c->cancel_q850;
    /* The caller hanging up says no Reason, or normal clearing (Q.850 16, 31) or "request
     * terminated" (SIP 487); any other Reason, or a CANCEL from elsewhere, is not the caller. */
    gboolean callers_reason = (c->cancel_q850 == SIPVI_DIAG_NO_CAUSE || c->cancel_q850 == 16 ||
                               c->cancel_q850 == 31) &&
                              (c->cancel_sip_cause == SIPVI_DIAG_NO_CAUSE ||
                               c->cancel_sip_cause == 487);
    if (c->cancel_sip_cause == 200)
        d->id = SIPVI_DIAG_ANSWERED_ELSEWHERE;
    else if (callers_reason && !c->cancel_by_other)
        d->id = SIPVI_DIAG_CALLER_CANCELLED;
    else
        d->id = SIPVI_DIAG_CANCELLED;
    d->request = c->cancel_frame;
    evidence_add(&d->evidence, c->cancel_frame);
    evidence_add(&d->evidence, c->final_frame);
    d->certain_frame = c->cancel_frame;
}

void
sipvi_diag_call_decide(const sipvi_diag_call_t *c, const sipvi_diag_end_t *end,
                       sipvi_diagnosis_t *d)
{
    memset(d, 0, sizeof *d);
    d->q850 = SIPVI_DIAG_NO_CAUSE;
    d->icmp_type = d->icmp_code = -1;
    /* Without its INVITE a call is invite_missing, unless the capture shows it answered and
     * ACKed: then what happened is plain. */
    if (!c->invite_seen && !(c->established && c->ack_frame)) {
        d->id = SIPVI_DIAG_INVITE_MISSING;
        d->code = c->final_code;
        d->count = c->responses.total;
        d->seconds = c->first_response_time;
        d->fragments = c->fragments;
        d->n_fragments = c->n_fragments;
        for (guint32 i = 0; i < c->n_fragments; i++)
            evidence_add(&d->evidence, c->fragments[i]);
        evidence_add_all(&d->evidence, &c->responses);
        /* Certain with the first final response: provisional ones alone may precede an INVITE
         * retransmission that the capture does show. */
        d->certain_frame = c->final_frame;
        return;
    }
    if (c->cancel_frame && !c->established) {
        decide_cancel(c, d);
        return;
    }
    if (c->early_bye_frame && !c->established && !(c->final_code >= 200 && c->final_frame < c->early_bye_frame)) {
        /* RFC 3261 §15: the caller may end an early dialog with a BYE: it hung up. */
        d->id = SIPVI_DIAG_CALLER_CANCELLED;
        d->code = c->final_code;
        d->request = c->early_bye_frame;
        evidence_add(&d->evidence, c->early_bye_frame);
        d->certain_frame = c->early_bye_frame;
        return;
    }
    if (c->auth_failures.total && !c->established && c->final_code == c->auth_code) {
        d->id = SIPVI_DIAG_AUTH_FAILED;
        d->code = c->final_code;
        d->count = c->auth_failures.total;
        d->request = c->credentials_frame;
        evidence_add(&d->evidence, d->request);
        evidence_add_all(&d->evidence, &c->auth_failures);
        d->certain_frame = c->auth_failures.frame[0];
        return;
    }
    if (c->established) {
        decide_established(c, end, d);
        return;
    }
    if (c->final_code) {
        decide_failure(c, end, d);
        return;
    }
    if (c->responses.total == 0) {
        if (c->icmp_frame) {
            d->id = SIPVI_DIAG_NETWORK_REFUSED;
            d->icmp_type = c->icmp_type;
            d->icmp_code = c->icmp_code;
            d->count = c->icmp_count;
            d->addr = c->dst;
            d->request = c->invite_frame;
            evidence_add(&d->evidence, c->icmp_frame);
            d->certain_frame = c->icmp_frame;
            return;
        }
        guint32 sent = 1 + c->invite_resends;
        if (sent < SIPVI_GIVE_UP_TRANSMISSIONS && end->time - c->invite_time < SIPVI_TIMER_B) {
            decide_capture_ended(d, c->invite_frame, c->invite_time + SIPVI_TIMER_B);
            evidence_add_all(&d->evidence, &c->invites);
            return;
        }
        d->id = SIPVI_DIAG_NO_RESPONSE;
        d->count = sent;
        d->addr = c->dst;
        evidence_add_all(&d->evidence, &c->invites);
        d->certain_frame = c->invite_timeout_frame;
        return;
    }
    /* Provisional responses only: a final one could still come until timer C. */
    double since = end->time - c->last_response_time;
    if (since < SIPVI_TIMER_C) {
        decide_capture_ended(d, c->invite_frame, c->last_response_time + SIPVI_TIMER_C);
        evidence_add(&d->evidence, c->last_provisional_frame);
        return;
    }
    d->id = SIPVI_DIAG_NO_FINAL_RESPONSE;
    d->code = c->last_provisional_code;
    evidence_add(&d->evidence, c->invite_frame);
    evidence_add(&d->evidence, c->ring_frame);
    evidence_add(&d->evidence, c->last_provisional_frame);
    /* Only the end of the capture says that no final response came. */
    d->certain_frame = 0;
}

void
sipvi_diag_reg_init(sipvi_diag_reg_t *r)
{
    memset(r, 0, sizeof *r);
    r->icmp_type = r->icmp_code = -1;
}

void
sipvi_diag_reg_note(sipvi_diag_reg_t *r, const sipvi_diag_msg_t *m)
{
    if (!is_method(m, "REGISTER"))
        return;
    if (m->in_icmp) {
        if (!m->is_response && !r->icmp_frame) {
            r->icmp_frame = m->frame;
            r->icmp_type = m->icmp_type;
            r->icmp_code = m->icmp_code;
        }
        return;
    }
    if (!m->is_response) {
        /* A new transaction: a new branch (RFC 3261 §17.1.3) sent by the same client, even with
         * the CSeq of the last one (a brute force does that), or a new CSeq. The copy a proxy
         * relays has its own branch, the same CSeq and another flow: the same attempt. */
        gboolean fresh = !r->attempts || m->cseq != r->cseq ||
                         (m->branch && r->branch && m->branch != r->branch &&
                          (!m->flow || m->flow == r->flow));
        if (fresh) {
            if (!r->attempts)
                copy_text(r->dst, sizeof r->dst, m->dst);
            r->attempts++;
            r->cseq = m->cseq;
            r->branch = m->branch;
            r->relay_branch = 0;
            r->flow = m->flow;
            r->time = m->time;
            r->credentials = m->credentials;
            r->answered = FALSE;
            r->transmissions = 0;
            r->timeout_frame = 0;
            memset(&r->requests, 0, sizeof r->requests);
        }
        if (!fresh && m->branch && m->branch != r->branch && !r->relay_branch)
            r->relay_branch = m->branch;
        if (r->transmissions == 0 || again(m, r->flow, r->branch)) {
            r->transmissions++;
            if (r->transmissions == SIPVI_GIVE_UP_TRANSMISSIONS)
                r->timeout_frame = m->frame;
            frames_add(&r->requests, m->frame);
        }
        return;
    }
    /* A response to another transaction than the latest REGISTER's: an earlier one's, late. */
    gboolean current = m->cseq == r->cseq && (!m->branch || !r->branch || m->branch == r->branch ||
                                              m->branch == r->relay_branch);
    r->any_response = TRUE;
    if (m->code < 200)
        return;
    if (r->answered && current)
        return;   /* the same answer again to the same request */
    if (!current && r->final_code)
        return;
    r->answered = current;
    r->final_code = m->code;
    r->final_frame = m->frame;
    r->final_time = m->time;
    r->final_request = current && r->requests.kept ? r->requests.frame[0] : 0;
    r->final_to_credentials = r->credentials && current;
    frames_add(&r->finals, m->frame);
    if ((m->code == 401 || m->code == 407) && r->final_to_credentials) {
        if (m->code != r->auth_code) {
            memset(&r->auth_failures, 0, sizeof r->auth_failures);
            r->auth_request = 0;
        }
        r->auth_code = m->code;
        if (!r->auth_request)
            r->auth_request = r->final_request;
        frames_add(&r->auth_failures, m->frame);
    }
}

void
sipvi_diag_reg_decide(const sipvi_diag_reg_t *r, const sipvi_diag_end_t *end,
                      sipvi_diagnosis_t *d)
{
    memset(d, 0, sizeof *d);
    d->q850 = SIPVI_DIAG_NO_CAUSE;
    d->icmp_type = d->icmp_code = -1;
    /* The latest REGISTER still unanswered: the capture may have ended before its answer. */
    if (r->attempts && !r->answered) {
        if (r->transmissions < SIPVI_GIVE_UP_TRANSMISSIONS &&
                end->time - r->time < SIPVI_TIMER_B && !r->icmp_frame) {
            d->id = SIPVI_DIAG_REG_CAPTURE_ENDED;
            d->count = r->transmissions;
            d->code = r->final_code;
            d->request = r->requests.kept ? r->requests.frame[0] : 0;
            d->recheck_at = r->time + SIPVI_TIMER_B;
            evidence_add_all(&d->evidence, &r->requests);
            return;
        }
        d->id = SIPVI_DIAG_REG_NO_RESPONSE;
        d->count = r->transmissions;
        d->addr = r->dst;
        d->request = r->requests.kept ? r->requests.frame[0] : 0;
        d->icmp_type = r->icmp_type;
        d->icmp_code = r->icmp_code;
        evidence_add_all(&d->evidence, &r->requests);
        evidence_add(&d->evidence, r->icmp_frame);
        d->certain_frame = r->timeout_frame ? r->timeout_frame : r->icmp_frame;
        return;
    }
    if (!r->final_code) {
        /* Responses without a REGISTER, none of them final. */
        d->id = SIPVI_DIAG_REG_CAPTURE_ENDED;
        return;
    }
    d->code = r->final_code;
    d->certain_frame = r->final_frame;
    if (r->final_code >= 200 && r->final_code < 300) {
        d->id = SIPVI_DIAG_REG_OK;
        d->count = r->attempts;
        d->certain_frame = 0;
        evidence_add(&d->evidence, r->final_frame);
        return;
    }
    if ((r->final_code == 401 || r->final_code == 407) && r->final_to_credentials) {
        d->id = SIPVI_DIAG_REG_AUTH_FAILED;
        d->count = r->auth_failures.total;
        d->request = r->auth_request;
        evidence_add(&d->evidence, d->request);
        evidence_add_all(&d->evidence, &r->auth_failures);
        return;
    }
    evidence_add(&d->evidence, r->final_frame);
    if (r->final_code == 403) {
        d->id = SIPVI_DIAG_REG_FORBIDDEN;
        d->request = r->final_request;
        return;
    }
    /* A challenge or "interval too brief" is normally followed by a new REGISTER. */
    if (r->final_code == 401 || r->final_code == 407 || r->final_code == 423) {
        d->certain_frame = 0;
        if (end->time - r->final_time < SIPVI_TIMER_B) {
            d->id = SIPVI_DIAG_REG_CAPTURE_ENDED;
            d->request = r->final_request;
            d->recheck_at = r->final_time + SIPVI_TIMER_B;
            return;
        }
    }
    d->id = SIPVI_DIAG_REG_REJECTED;
    d->request = r->final_request;
}

gboolean
sipvi_diag_id_is_failure(sipvi_diag_id_t id)
{
    switch (id) {
    case SIPVI_DIAG_ANSWERED: case SIPVI_DIAG_ANSWERED_ELSEWHERE: case SIPVI_DIAG_REDIRECTED:
    case SIPVI_DIAG_CAPTURE_ENDED: case SIPVI_DIAG_REG_OK: case SIPVI_DIAG_REG_CAPTURE_ENDED:
    case SIPVI_DIAG_COUNT:
        return FALSE;
    default:
        return TRUE;
    }
}

gboolean
sipvi_diag_has_item(const sipvi_diagnosis_t *d)
{
    /* A success needs no item, nor does a call answered elsewhere; a redirect is noted. */
    return sipvi_diag_is_failure(d) || d->id == SIPVI_DIAG_REDIRECTED;
}

gboolean
sipvi_diag_is_failure(const sipvi_diagnosis_t *d)
{
    /* A call answered whose INVITE the capture missed is a capture problem, not a failure. */
    if (d->id == SIPVI_DIAG_INVITE_MISSING)
        return !(d->code >= 200 && d->code < 300);
    return sipvi_diag_id_is_failure(d->id);
}

char *
sipvi_diag_frames_text(const sipvi_frames_t *f)
{
    GString *s = g_string_new(NULL);
    for (guint32 i = 0; i < f->kept; i++)
        g_string_append_printf(s, i ? ", %u" : "%u", f->frame[i]);
    if (f->total > f->kept)
        g_string_append_printf(s, " (+%u)", f->total - f->kept);
    return g_string_free(s, FALSE);
}

/* Words for values that are absent: short, and the same in every explanation. */
static const char none_text[] = "không có";
static const char unknown_codecs[] = "không rõ (INVITE không có SDP)";
static const char no_m_line[] = "không rõ (SDP không có dòng m=)";
static const char no_response_text[] = "không có phản hồi cuối";
static const char no_fragments_text[] = "không thấy";
static const char disabled_text[] = " — mọi luồng đều bị tắt (m= cổng 0)";

static void
append_value(GString *s, sipvi_placeholder_t ph, const sipvi_diagnosis_t *d, const char *aor,
             const sipvi_diag_words_t *w)
{
    switch (ph) {
    case SIPVI_PH_CODE:
        if (d->code)
            g_string_append_printf(s, "%u", d->code);
        else
            g_string_append(s, none_text);
        break;
    case SIPVI_PH_MEANING:
        g_string_append(s, d->code ? w->code_meaning(d->code) : no_response_text);
        /* The response's own words where they say more than the code's usual phrase. */
        if (d->code && d->phrase && *d->phrase)
            g_string_append_printf(s, ", “%s”", d->phrase);
        break;
    case SIPVI_PH_Q850:
        if (d->q850 != SIPVI_DIAG_NO_CAUSE)
            g_string_append_printf(s, "%d %s", d->q850, w->q850_meaning(d->q850));
        else
            g_string_append(s, none_text);
        break;
    case SIPVI_PH_COUNT:
        g_string_append_printf(s, "%u", d->count);
        break;
    case SIPVI_PH_CODECS:
        g_string_append(s, d->codecs ? d->codecs : d->has_sdp ? no_m_line : unknown_codecs);
        if (d->codecs && d->disabled)
            g_string_append(s, disabled_text);
        break;
    case SIPVI_PH_WARNING:
        if (d->warning)
            g_string_append_printf(s, "%u (%s)", d->warning, w->warning_meaning(d->warning));
        else
            g_string_append(s, none_text);
        break;
    case SIPVI_PH_ADDR:
        g_string_append(s, d->addr && *d->addr ? d->addr : "?");
        break;
    case SIPVI_PH_SOURCE:
        g_string_append(s, d->source && *d->source ? d->source : "?");
        break;
    case SIPVI_PH_SECONDS:
        g_string_append_printf(s, "%.1f", d->seconds);
        break;
    case SIPVI_PH_RETRY_AFTER:
        if (d->retry_after)
            g_string_append_printf(s, "%u s", d->retry_after);
        else
            g_string_append(s, none_text);
        break;
    case SIPVI_PH_AOR:
        g_string_append(s, aor && *aor ? aor : "?");
        break;
    case SIPVI_PH_FRAGMENTS:
        if (d->n_fragments) {
            g_string_append(s, "khung ");
            for (guint32 i = 0; i < d->n_fragments; i++)
                g_string_append_printf(s, i ? ", %u" : "%u", d->fragments[i]);
        } else {
            g_string_append(s, no_fragments_text);
        }
        break;
    case SIPVI_PH_FRAMES: {
        char *frames = sipvi_diag_frames_text(&d->evidence);
        g_string_append(s, frames);
        g_free(frames);
        break;
    }
    case SIPVI_PH_REQUEST:
        if (d->request)
            g_string_append_printf(s, "%u", d->request);
        else
            g_string_append(s, "?");
        break;
    case SIPVI_PH_ICMP:
        g_string_append(s, w->icmp_meaning ? w->icmp_meaning(d->icmp_type, d->icmp_code) : "ICMP");
        break;
    case SIPVI_PH_SIDE: case SIPVI_PH_PEER: case SIPVI_PH_PERCENT: case SIPVI_PH_MS:
    case SIPVI_PH_OTHERS:      /* the media diagnoses fill these themselves (plugin/calls/media) */
    case SIPVI_PLACEHOLDER_COUNT:
        break;
    }
}

char *
sipvi_diag_explain(const sipvi_diagnosis_t *d, const char *aor, const sipvi_diag_words_t *w)
{
    GString *s = g_string_new(NULL);
    const char *p = sipvi_diagnosis_table[d->id].explanation;
    while (*p) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        int ph = close ? sipvi_placeholder_lookup(open + 1, (size_t)(close - open - 1)) : -1;
        if (ph < 0) {
            /* The generator allows no other brace; copy the rest as it is. */
            g_string_append(s, p);
            break;
        }
        g_string_append_len(s, p, open - p);
        append_value(s, (sipvi_placeholder_t)ph, d, aor, w);
        p = close + 1;
    }
    return g_string_free(s, FALSE);
}

/* --- SDP -------------------------------------------------------------------------------- */

static const char *
static_payload_name(unsigned pt)
{
    switch (pt) {
    case 0: return "PCMU/8000";
    case 3: return "GSM/8000";
    case 4: return "G723/8000";
    case 8: return "PCMA/8000";
    case 9: return "G722/8000";
    case 13: return "CN/8000";
    case 18: return "G729/8000";
    default: return NULL;
    }
}

/* The encoding of payload type pt from "rtpmap:PT NAME/RATE" attributes (its length in *length),
 * or NULL. */
static const char *
rtpmap_name(const char *attrs, const char *pt, size_t pt_len, size_t *length)
{
    for (const char *line = attrs; line && *line;) {
        const char *next = strchr(line, '\n');
        size_t len = next ? (size_t)(next - line) : strlen(line);
        if (len > 7 + pt_len && strncmp(line, "rtpmap:", 7) == 0 &&
                strncmp(line + 7, pt, pt_len) == 0 && line[7 + pt_len] == ' ') {
            *length = len - 8 - pt_len;
            return line + 8 + pt_len;
        }
        line = next ? next + 1 : NULL;
    }
    return NULL;
}

/* The text being made: what fits of it in buf, and its whole length. Made once per offer (it runs
 * for every INVITE with SDP), so without allocations or printf. */
typedef struct {
    char *buf;
    size_t capacity;
    size_t length;
} codec_text_t;

static void
codec_put(codec_text_t *t, const char *s, size_t n)
{
    if (t->length < t->capacity)
        memcpy(t->buf + t->length, s, MIN(n, t->capacity - t->length));
    t->length += n;
}

static void
codec_puts(codec_text_t *t, const char *s)
{
    codec_put(t, s, strlen(s));
}

/* One payload type: "NAME (PT)", NAME from the offer's rtpmap, else the static type's, else "?". */
static void
codec_payload(codec_text_t *t, const char *attrs, const char *pt, size_t pt_len)
{
    size_t name_len = 0;
    const char *name = rtpmap_name(attrs, pt, pt_len, &name_len);
    const char *fixed = NULL;
    if (!name) {
        char number[32];
        if (pt_len < sizeof number) {
            memcpy(number, pt, pt_len);
            number[pt_len] = '\0';
            char *end = NULL;
            unsigned long value = strtoul(number, &end, 10);
            if (end && !*end && value < 128)
                fixed = static_payload_name((unsigned)value);
        }
    }
    if (name)
        codec_put(t, name, name_len);
    else
        codec_puts(t, fixed ? fixed : "?");
    codec_put(t, " (", 2);
    codec_put(t, pt, pt_len);
    codec_put(t, ")", 1);
}

void
sipvi_sdp_codecs(const char *mlines, const char *attrs, char *out, size_t size)
{
    if (size == 0)
        return;
    char buf[SIPVI_DIAG_TEXT * 4];
    codec_text_t t = {buf, sizeof buf, 0};
    /* Enough room for every rule below: what is cut must have been written. */
    if (size + 8 > sizeof buf) {
        t.buf = (char *)g_malloc(size + 8);
        t.capacity = size + 8;
    }
    for (const char *line = mlines; line && *line;) {
        const char *next = strchr(line, '\n');
        const char *stop = next ? next : line + strlen(line);
        /* m=<media> <port> <proto> <fmt> …, split at every single space. */
        const char *parts[3];
        size_t lengths[3];
        guint n = 0;
        const char *p = line;
        while (n < 3) {
            const char *space = memchr(p, ' ', (size_t)(stop - p));
            if (!space)
                break;
            parts[n] = p;
            lengths[n] = (size_t)(space - p);
            n++;
            p = space + 1;
        }
        if (n == 3) {
            /* p starts the 4th part: the formats. */
            if (t.length)
                codec_put(&t, "; ", 2);
            codec_put(&t, parts[0], lengths[0]);
            for (guint i = 3;; i++) {
                const char *space = memchr(p, ' ', (size_t)(stop - p));
                const char *end = space ? space : stop;
                if (end > p) {
                    codec_puts(&t, i == 3 ? " " : ", ");
                    codec_payload(&t, attrs, p, (size_t)(end - p));
                }
                if (!space)
                    break;
                p = space + 1;
            }
        }
        line = next ? next + 1 : NULL;
    }
    size_t length = t.length;
    if (length >= size && size > 4) {
        /* Cut at a character boundary and say so. */
        size_t cut = size - 4;
        while (cut > 0 && ((unsigned char)t.buf[cut] & 0xC0) == 0x80)
            cut--;
        memcpy(out, t.buf, cut);
        memcpy(out + cut, "…", sizeof "…");
    } else {
        length = MIN(length, size - 1);
        memcpy(out, t.buf, length);
        out[length] = '\0';
    }
    if (t.buf != buf)
        g_free(t.buf);
}

/* Dotted decimal made of digits and dots only, read without sscanf (which costs more than the
 * rest of a message's diagnosis); FALSE when it is not four numbers up to 255. */
static gboolean
dotted_quad(const char *addr, unsigned *quad)
{
    const char *p = addr;
    for (int i = 0; i < 4; i++) {
        unsigned value = 0;
        const char *digits = p;
        while (*p >= '0' && *p <= '9') {
            if (value <= 255)
                value = value * 10 + (unsigned)(*p - '0');
            p++;
        }
        if (p == digits || value > 255 || *p != (i < 3 ? '.' : '\0'))
            return FALSE;
        quad[i] = value;
        p++;
    }
    return TRUE;
}

gboolean
sipvi_sdp_all_disabled(const char *mlines)
{
    gboolean any = FALSE;
    for (const char *line = mlines; line && *line;) {
        /* m=<media> <port> …: a port of 0 disables the stream (RFC 3264 §5.1). */
        const char *port = strchr(line, ' ');
        const char *next = strchr(line, '\n');
        if (!port || (next && port > next))
            return FALSE;
        if (!(port[1] == '0' && (port[2] == ' ' || port[2] == '/')))
            return FALSE;
        any = TRUE;
        line = next ? next + 1 : NULL;
    }
    return any;
}

/* A dotted IPv4 address and nothing after it: its four bytes. */
static gboolean
parse_ipv4(const char *addr, unsigned *a, unsigned *b)
{
    if (!addr)
        return FALSE;
    unsigned q[4];
    if (addr[strspn(addr, "0123456789.")] == '\0') {
        if (!dotted_quad(addr, q))
            return FALSE;
    } else {
        /* Anything else keeps sscanf's reading (spaces, signs). */
        char tail;
        if (sscanf(addr, "%u.%u.%u.%u%c", &q[0], &q[1], &q[2], &q[3], &tail) != 4 || q[0] > 255 ||
                q[1] > 255 || q[2] > 255 || q[3] > 255)
            return FALSE;
    }
    *a = q[0];
    *b = q[1];
    return TRUE;
}

gboolean
sipvi_addr_is_public(const char *addr)
{
    unsigned a, b;
    if (!parse_ipv4(addr, &a, &b))
        return FALSE;
    if (a == 0 || a == 10 || a == 127 || a >= 224 || (a == 169 && b == 254) ||
            (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) ||
            (a == 100 && b >= 64 && b <= 127))
        return FALSE;
    return TRUE;
}

gboolean
sipvi_addr_is_private(const char *addr)
{
    unsigned a, b;
    if (!parse_ipv4(addr, &a, &b))
        return FALSE;
    return a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168);
}

void
sipvi_fragments_add(sipvi_fragment_ring_t *ring, guint32 frame, double time, guint32 src_hash,
                    guint32 dst_hash)
{
    ring->f[ring->next].frame = frame;
    ring->f[ring->next].time = time;
    ring->f[ring->next].src_hash = src_hash;
    ring->f[ring->next].dst_hash = dst_hash;
    ring->next = (ring->next + 1) % SIPVI_FRAGMENTS_KEPT;
    if (ring->count < SIPVI_FRAGMENTS_KEPT)
        ring->count++;
}

guint
sipvi_fragments_match(const sipvi_fragment_ring_t *ring, double time, guint32 src_hash,
                      guint32 dst_hash, guint32 *out, guint max)
{
    guint n = 0;
    /* Oldest first: start where the next one will be written, if the ring is full. */
    guint first = ring->count < SIPVI_FRAGMENTS_KEPT ? 0 : ring->next;
    for (guint k = 0; k < ring->count && n < max; k++) {
        guint i = (first + k) % SIPVI_FRAGMENTS_KEPT;
        if (ring->f[i].src_hash == src_hash && ring->f[i].dst_hash == dst_hash &&
                ring->f[i].time <= time && time - ring->f[i].time <= 64.0)
            out[n++] = ring->f[i].frame;
    }
    return n;
}
