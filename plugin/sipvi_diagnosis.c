/* sipvi_diagnosis.c — the rules: one diagnosis per INVITE dialog and per registration.
 *
 * Precedence for a call, first match wins; an earlier rule explains more of what happened than
 * a later one that may match too:
 *   1. invite_missing       responses to an INVITE that is not in the capture: nothing else about
 *                           the call can be trusted, and the missing INVITE is what to look at
 *   2. answered_elsewhere   CANCEL with Reason: SIP;cause=200 before a final response (not a
 *                           failure, even though a 487 follows)
 *   3. caller_cancelled     CANCEL before a final response (the 487 is its consequence)
 *   4. auth_failed          401/407/403 to an INVITE that carried credentials, and no 2xx
 *   5. answered calls:      ack_missing (2xx retransmitted, no ACK: explains the BYE that
 *                           follows), then bye_failed, then media_private_address, else answered
 *   6. final failure:       loop (482/483) and redirected (3xx) by their code; then the Q.850
 *                           cause of the final response, else of the BYE/CANCEL, when it maps
 *                           (a gateway's cause is more precise than the SIP code it maps to);
 *                           then the code; 408/480 after ringing is no_answer; anything else
 *                           is other_failure
 *   7. no final response:   no_response (nothing answered the INVITE), else no_final_response
 * Each diagnosis names the frame where it became certain (the expert item goes there); a
 * diagnosis that later frames could still change has none yet: a challenge (401/407) that a new
 * request may answer, provisional responses only, a request sent fewer than
 * SIPVI_GIVE_UP_TRANSMISSIONS times without an answer.
 * A registration: reg_no_response (no response at all, or no final one), else the latest final
 * response decides: 2xx reg_ok; 401/407/403 to a REGISTER with credentials reg_auth_failed;
 * any other failure reg_rejected.
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

/* The same message again: flagged by SIP, or sent again on the same flow. */
static gboolean
again(const sipvi_diag_msg_t *m, guint32 first_flow)
{
    return m->resend || (m->flow && m->flow == first_flow);
}

static gboolean
is_method(const sipvi_diag_msg_t *m, const char *method)
{
    return m->method && strcmp(m->method, method) == 0;
}

void
sipvi_diag_call_init(sipvi_diag_call_t *c)
{
    memset(c, 0, sizeof *c);
    c->final_q850 = SIPVI_DIAG_NO_CAUSE;
    c->cancel_sip_cause = SIPVI_DIAG_NO_CAUSE;
    c->ending_q850 = SIPVI_DIAG_NO_CAUSE;
}

static void
note_media(sipvi_diag_call_t *c, const sipvi_diag_msg_t *m)
{
    if (c->private_frame || !m->media_addr || !m->src_addr)
        return;
    if (sipvi_addr_is_private(m->media_addr) && strcmp(m->media_addr, m->src_addr) != 0) {
        c->private_frame = m->frame;
        copy_text(c->private_addr, sizeof c->private_addr, m->media_addr);
        copy_text(c->private_source, sizeof c->private_source, m->src_addr);
    }
}

static void
note_invite(sipvi_diag_call_t *c, const sipvi_diag_msg_t *m)
{
    if (c->established)
        return;   /* a re-INVITE does not change how the call went */
    if (!c->invite_seen || m->cseq != c->invite_cseq) {
        if (!c->invite_seen)
            copy_text(c->dst, sizeof c->dst, m->dst);
        c->invite_seen = TRUE;
        c->invite_cseq = m->cseq;
        c->invite_frame = m->frame;
        c->invite_flow = m->flow;
        c->invite_resends = 0;
        c->invite_timeout_frame = 0;
        c->invite_credentials = m->credentials;
        memset(&c->invites, 0, sizeof c->invites);
    } else if (again(m, c->invite_flow)) {
        c->invite_resends++;
        if (c->invite_resends + 1 == SIPVI_GIVE_UP_TRANSMISSIONS)
            c->invite_timeout_frame = m->frame;
    }
    frames_add(&c->invites, m->frame);
    if (m->has_sdp && !c->sdp_frame) {
        c->sdp_frame = m->frame;
        c->offer_has_sdp = TRUE;
        copy_text(c->codecs, sizeof c->codecs, m->codecs);
    }
    note_media(c, m);
}

static void
note_invite_response(sipvi_diag_call_t *c, const sipvi_diag_msg_t *m)
{
    if (c->responses.total == 0)
        c->first_response_time = m->time;
    /* Each response may follow more fragments of the INVITE (its retransmissions). */
    for (guint i = 0; !c->invite_seen && i < m->n_fragments; i++) {
        gboolean known = FALSE;
        for (guint32 k = 0; k < c->n_fragments; k++)
            known = known || c->fragments[k] == m->fragments[i];
        if (!known && c->n_fragments < SIPVI_FRAGMENTS_PER_CALL)
            c->fragments[c->n_fragments++] = m->fragments[i];
    }
    frames_add(&c->responses, m->frame);
    if (m->code < 200) {
        if ((m->code == 180 || m->code == 183) && !c->ring_frame)
            c->ring_frame = m->frame;
        if (m->code > 100 || !c->last_provisional_code) {
            c->last_provisional_code = m->code;
            c->last_provisional_frame = m->frame;
        }
        return;
    }
    if (c->established) {
        if (m->code < 300 && m->cseq == c->final_cseq && again(m, c->ok_flow))
            frames_add(&c->ok_resends, m->frame);
        if (m->code < 300)
            note_media(c, m);
        return;
    }
    /* The same final again (a retransmission, or the copy a proxy relays) adds nothing. */
    if (c->final_code == m->code && c->final_cseq == m->cseq)
        return;
    c->final_code = m->code;
    c->final_cseq = m->cseq;
    c->final_frame = m->frame;
    c->final_q850 = m->q850;
    c->final_warning = m->warning;
    c->final_retry_after = m->retry_after;
    if ((m->code == 401 || m->code == 407 || m->code == 403) && c->invite_credentials &&
            m->cseq == c->invite_cseq)
        frames_add(&c->auth_failures, m->frame);
    if (m->code < 300) {
        c->established = TRUE;
        c->ok_time = m->time;
        c->ok_flow = m->flow;
        note_media(c, m);
    }
}

void
sipvi_diag_call_note(sipvi_diag_call_t *c, const sipvi_diag_msg_t *m)
{
    if (!m->method)
        return;
    if (m->is_response) {
        if (is_method(m, "INVITE")) {
            note_invite_response(c, m);
        } else if (is_method(m, "BYE") && c->byes.total && m->cseq == c->bye_cseq &&
                   m->code >= 200 && !c->bye_code) {
            c->bye_code = m->code;
            c->bye_response_frame = m->frame;
        }
        return;
    }
    if (is_method(m, "INVITE")) {
        note_invite(c, m);
    } else if (is_method(m, "ACK")) {
        if (c->established && m->cseq == c->final_cseq && !c->ack_frame)
            c->ack_frame = m->frame;
    } else if (is_method(m, "CANCEL")) {
        if (!c->established && !c->cancel_frame && !(c->final_code >= 300)) {
            c->cancel_frame = m->frame;
            c->cancel_sip_cause = m->sip_cause;
        }
        if (c->ending_q850 == SIPVI_DIAG_NO_CAUSE)
            c->ending_q850 = m->q850;
    } else if (is_method(m, "BYE")) {
        if (!c->byes.total) {
            c->bye_cseq = m->cseq;
            c->bye_flow = m->flow;
            c->bye_time = m->time;
            frames_add(&c->byes, m->frame);
        } else if (m->cseq == c->bye_cseq && again(m, c->bye_flow)) {
            frames_add(&c->byes, m->frame);
        }
        if (c->ending_q850 == SIPVI_DIAG_NO_CAUSE)
            c->ending_q850 = m->q850;
    }
}

static sipvi_diag_id_t
by_q850(gint32 cause)
{
    switch (cause) {
    case 17: return SIPVI_DIAG_BUSY;
    case 18: case 19: return SIPVI_DIAG_NO_ANSWER;
    case 21: return SIPVI_DIAG_REJECTED;
    case 1: case 3: case 22: case 28: return SIPVI_DIAG_NUMBER_INVALID;
    case 58: case 65: case 79: case 88: return SIPVI_DIAG_CODEC_MISMATCH;
    case 34: case 38: case 41: case 42: case 47: return SIPVI_DIAG_CAPACITY;
    default: return SIPVI_DIAG_COUNT;
    }
}

static sipvi_diag_id_t
by_code(guint32 code, gboolean rang)
{
    switch (code) {
    case 486: case 600: return SIPVI_DIAG_BUSY;
    case 403: case 603: case 607: case 608: return SIPVI_DIAG_REJECTED;
    case 404: case 410: case 484: case 485: case 604: return SIPVI_DIAG_NUMBER_INVALID;
    case 488: case 606: return SIPVI_DIAG_CODEC_MISMATCH;
    case 500: case 502: case 503: case 504: case 580: return SIPVI_DIAG_CAPACITY;
    case 408: case 480: return rang ? SIPVI_DIAG_NO_ANSWER : SIPVI_DIAG_OTHER_FAILURE;
    default: return SIPVI_DIAG_OTHER_FAILURE;
    }
}

static void
decide_failure(const sipvi_diag_call_t *c, sipvi_diagnosis_t *d)
{
    gint32 q850 = c->final_q850 != SIPVI_DIAG_NO_CAUSE ? c->final_q850 : c->ending_q850;
    d->code = c->final_code;
    d->q850 = q850;
    /* A challenge, or a session interval too small, is normally answered with a new INVITE:
     * nothing is certain while that may still come. */
    gboolean retried = c->final_code == 401 || c->final_code == 407 || c->final_code == 422;
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
        evidence_add(&d->evidence, c->sdp_frame ? c->sdp_frame : c->invite_frame);
        d->codecs = c->codecs[0] ? c->codecs : NULL;
        d->has_sdp = c->offer_has_sdp;
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
decide_established(const sipvi_diag_call_t *c, sipvi_diagnosis_t *d)
{
    d->code = c->final_code;
    evidence_add(&d->evidence, c->final_frame);
    if (c->ok_resends.total && !c->ack_frame) {
        d->id = SIPVI_DIAG_ACK_MISSING;
        d->count = c->ok_resends.total;
        evidence_add_all(&d->evidence, &c->ok_resends);
        if (c->byes.total) {
            evidence_add(&d->evidence, c->byes.frame[0]);
            d->seconds = c->bye_time - c->ok_time;
            d->certain_frame = c->byes.frame[0];
        } else {
            /* No BYE yet: certain once the 2xx was sent as often as a UAS does before it gives
             * up (timer H). */
            d->seconds = 0;
            d->certain_frame = c->ok_resends.total + 1 >= SIPVI_GIVE_UP_TRANSMISSIONS
                               ? c->ok_resends.frame[SIPVI_GIVE_UP_TRANSMISSIONS - 2] : 0;
        }
        return;
    }
    gboolean bye_error = c->bye_code == 481 || c->bye_code == 408 || c->bye_code >= 500;
    gboolean bye_unanswered = c->byes.total && !c->bye_code;
    if (bye_error || bye_unanswered) {
        d->id = SIPVI_DIAG_BYE_FAILED;
        d->code = c->bye_code;
        d->count = c->byes.total;
        /* The BYE and its answer: the 2xx that set the call up proves nothing here. */
        memset(&d->evidence, 0, sizeof d->evidence);
        evidence_add_all(&d->evidence, &c->byes);
        evidence_add(&d->evidence, c->bye_response_frame);
        d->certain_frame = bye_error ? c->bye_response_frame
                         : c->byes.total >= SIPVI_GIVE_UP_TRANSMISSIONS
                         ? c->byes.frame[SIPVI_GIVE_UP_TRANSMISSIONS - 1] : 0;
        return;
    }
    if (c->private_frame) {
        d->id = SIPVI_DIAG_MEDIA_PRIVATE_ADDRESS;
        d->addr = c->private_addr;
        d->source = c->private_source;
        evidence_add(&d->evidence, c->private_frame);
        d->certain_frame = MAX(c->private_frame, c->final_frame);
        return;
    }
    d->id = SIPVI_DIAG_ANSWERED;
    evidence_add(&d->evidence, c->ack_frame);
}

void
sipvi_diag_call_decide(const sipvi_diag_call_t *c, sipvi_diagnosis_t *d)
{
    memset(d, 0, sizeof *d);
    d->q850 = SIPVI_DIAG_NO_CAUSE;
    if (!c->invite_seen) {
        d->id = SIPVI_DIAG_INVITE_MISSING;
        d->code = c->final_code ? c->final_code : c->last_provisional_code;
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
        d->id = c->cancel_sip_cause == 200 ? SIPVI_DIAG_ANSWERED_ELSEWHERE
                                           : SIPVI_DIAG_CALLER_CANCELLED;
        d->code = c->final_code;
        evidence_add(&d->evidence, c->cancel_frame);
        evidence_add(&d->evidence, c->final_frame);
        d->certain_frame = c->cancel_frame;
        return;
    }
    if (c->auth_failures.total && !c->established) {
        d->id = SIPVI_DIAG_AUTH_FAILED;
        d->code = c->final_code;
        d->count = c->auth_failures.total;
        evidence_add(&d->evidence, c->invite_frame);
        evidence_add_all(&d->evidence, &c->auth_failures);
        d->certain_frame = c->auth_failures.frame[0];
        return;
    }
    if (c->established) {
        decide_established(c, d);
        return;
    }
    if (c->final_code) {
        decide_failure(c, d);
        return;
    }
    if (c->responses.total == 0) {
        d->id = SIPVI_DIAG_NO_RESPONSE;
        d->count = 1 + c->invite_resends;
        d->addr = c->dst;
        evidence_add_all(&d->evidence, &c->invites);
        d->certain_frame = c->invite_timeout_frame;
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
}

void
sipvi_diag_reg_note(sipvi_diag_reg_t *r, const sipvi_diag_msg_t *m)
{
    if (!is_method(m, "REGISTER"))
        return;
    if (!m->is_response) {
        if (!r->attempts || m->cseq != r->cseq) {
            if (!r->attempts)
                copy_text(r->dst, sizeof r->dst, m->dst);
            r->attempts++;
            r->cseq = m->cseq;
            r->flow = m->flow;
            r->credentials = m->credentials;
            r->transmissions = 0;
            r->timeout_frame = 0;
            memset(&r->requests, 0, sizeof r->requests);
        }
        /* The copy a proxy relays is not flagged a retransmission and is not one. */
        if (r->transmissions == 0 || again(m, r->flow)) {
            r->transmissions++;
            if (r->transmissions == SIPVI_GIVE_UP_TRANSMISSIONS)
                r->timeout_frame = m->frame;
        }
        frames_add(&r->requests, m->frame);
        return;
    }
    r->any_response = TRUE;
    if (m->code < 200)
        return;
    if (r->final_code == m->code && r->final_frame && r->requests.kept &&
            r->final_frame > r->requests.frame[r->requests.kept - 1])
        return;   /* the same answer again to the same request */
    r->final_code = m->code;
    r->final_frame = m->frame;
    r->final_to_credentials = r->credentials && m->cseq == r->cseq;
    frames_add(&r->finals, m->frame);
    if ((m->code == 401 || m->code == 407 || m->code == 403) && r->final_to_credentials)
        frames_add(&r->auth_failures, m->frame);
}

void
sipvi_diag_reg_decide(const sipvi_diag_reg_t *r, sipvi_diagnosis_t *d)
{
    memset(d, 0, sizeof *d);
    d->q850 = SIPVI_DIAG_NO_CAUSE;
    if (!r->final_code) {
        d->id = SIPVI_DIAG_REG_NO_RESPONSE;
        d->count = r->transmissions;
        d->addr = r->dst;
        evidence_add_all(&d->evidence, &r->requests);
        d->certain_frame = r->timeout_frame;
        return;
    }
    d->code = r->final_code;
    d->certain_frame = r->final_frame;
    if (r->final_code >= 200 && r->final_code < 300) {
        d->id = SIPVI_DIAG_REG_OK;
        d->count = r->attempts;
        d->certain_frame = 0;
        evidence_add_all(&d->evidence, &r->finals);
        return;
    }
    if ((r->final_code == 401 || r->final_code == 407 || r->final_code == 403) &&
            r->final_to_credentials) {
        d->id = SIPVI_DIAG_REG_AUTH_FAILED;
        d->count = r->auth_failures.total;
        evidence_add(&d->evidence, r->requests.kept ? r->requests.frame[0] : 0);
        evidence_add_all(&d->evidence, &r->auth_failures);
        return;
    }
    d->id = SIPVI_DIAG_REG_REJECTED;
    evidence_add(&d->evidence, r->final_frame);
    /* A challenge or "interval too brief" is normally followed by a new REGISTER. */
    if (r->final_code == 401 || r->final_code == 407 || r->final_code == 423)
        d->certain_frame = 0;
}

gboolean
sipvi_diag_is_failure(const sipvi_diagnosis_t *d)
{
    /* A call answered whose INVITE the capture missed is a capture problem, not a failure. */
    if (d->id == SIPVI_DIAG_INVITE_MISSING)
        return !(d->code >= 200 && d->code < 300);
    return d->id != SIPVI_DIAG_ANSWERED && d->id != SIPVI_DIAG_ANSWERED_ELSEWHERE &&
           d->id != SIPVI_DIAG_REG_OK && d->id != SIPVI_DIAG_COUNT;
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
static const char no_response_text[] = "không có phản hồi";
static const char no_fragments_text[] = "không thấy";

static void
append_value(GString *s, sipvi_placeholder_t ph, const sipvi_diagnosis_t *d, const char *aor,
             const sipvi_diag_words_t *w)
{
    switch (ph) {
    case SIPVI_PH_CODE:
        if (d->code)
            g_string_append_printf(s, "%u", d->code);
        else
            g_string_append(s, "—");
        break;
    case SIPVI_PH_MEANING:
        g_string_append(s, d->code ? w->code_meaning(d->code) : no_response_text);
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
    case SIPVI_PH_SIDE: case SIPVI_PH_PEER: case SIPVI_PH_PERCENT: case SIPVI_PH_MS:
    case SIPVI_PH_OTHERS:      /* the media diagnoses fill these themselves (plugin/media) */
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

/* --- Header values ------------------------------------------------------------------------- */

static gboolean
parse_cause(const char *p, const char *end, gint32 *out)
{
    gint64 v = 0;
    if (p == end)
        return FALSE;
    for (; p < end; p++) {
        if (!g_ascii_isdigit(*p) || v > 100000)
            return FALSE;
        v = v * 10 + (*p - '0');
    }
    *out = (gint32)v;
    return TRUE;
}

/* One reason-value: protocol *(SEMI reason-params), cause=N among the params. */
static void
parse_reason_value(const char *p, const char *end, gint32 *q850, gint32 *sip)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    const char *proto = p;
    while (p < end && *p != ';' && *p != ' ' && *p != '\t')
        p++;
    size_t proto_len = (size_t)(p - proto);
    gint32 *slot = NULL;
    if (proto_len == 5 && g_ascii_strncasecmp(proto, "Q.850", 5) == 0)
        slot = q850;
    else if (proto_len == 3 && g_ascii_strncasecmp(proto, "SIP", 3) == 0)
        slot = sip;
    if (!slot || *slot != SIPVI_DIAG_NO_CAUSE)
        return;
    while (p < end) {
        while (p < end && *p != ';')
            p++;
        if (p == end)
            break;
        p++;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (end - p > 6 && g_ascii_strncasecmp(p, "cause", 5) == 0) {
            const char *v = p + 5;
            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            if (v < end && *v == '=') {
                v++;
                while (v < end && (*v == ' ' || *v == '\t'))
                    v++;
                const char *digits_end = v;
                while (digits_end < end && g_ascii_isdigit(*digits_end))
                    digits_end++;
                const char *after = digits_end;
                while (after < end && (*after == ' ' || *after == '\t'))
                    after++;
                gint32 cause;
                /* Q.850 causes are 1–127, SIP causes status codes: anything else is garbage. */
                gint32 low = slot == q850 ? 1 : 100, high = slot == q850 ? 127 : 799;
                if ((after == end || *after == ';') && parse_cause(v, digits_end, &cause) &&
                        cause >= low && cause <= high)
                    *slot = cause;
                return;
            }
        }
    }
}

void
sipvi_reason_parse(const char *value, gint32 *q850, gint32 *sip)
{
    if (!value)
        return;
    /* Values are separated by commas outside quoted strings (a text= may hold one). */
    const char *begin = value;
    gboolean quoted = FALSE;
    for (const char *p = value;; p++) {
        if (quoted && *p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '"')
            quoted = !quoted;
        if (*p == '\0' || (*p == ',' && !quoted)) {
            parse_reason_value(begin, p, q850, sip);
            if (*p == '\0')
                break;
            begin = p + 1;
        }
    }
}

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

/* The encoding of payload type pt from "rtpmap:PT NAME/RATE" attributes, or NULL. */
static char *
rtpmap_name(const char *attrs, const char *pt, size_t pt_len)
{
    for (const char *line = attrs; line && *line;) {
        const char *next = strchr(line, '\n');
        size_t len = next ? (size_t)(next - line) : strlen(line);
        if (len > 7 + pt_len && strncmp(line, "rtpmap:", 7) == 0 &&
                strncmp(line + 7, pt, pt_len) == 0 && line[7 + pt_len] == ' ') {
            const char *name = line + 8 + pt_len;
            return g_strndup(name, len - 8 - pt_len);
        }
        line = next ? next + 1 : NULL;
    }
    return NULL;
}

void
sipvi_sdp_codecs(const char *mlines, const char *attrs, char *out, size_t size)
{
    GString *s = g_string_new(NULL);
    for (const char *line = mlines; line && *line;) {
        const char *next = strchr(line, '\n');
        char *m = next ? g_strndup(line, (size_t)(next - line)) : g_strdup(line);
        /* m=<media> <port> <proto> <fmt> … */
        char **parts = g_strsplit_set(m, " ", -1);
        guint n = g_strv_length(parts);
        if (n >= 4) {
            if (s->len)
                g_string_append(s, "; ");
            g_string_append(s, parts[0]);
            for (guint i = 3; i < n; i++) {
                if (!*parts[i])
                    continue;
                char *name = rtpmap_name(attrs, parts[i], strlen(parts[i]));
                const char *fixed = NULL;
                char *end = NULL;
                unsigned long pt = strtoul(parts[i], &end, 10);
                if (!name && end && !*end && pt < 128)
                    fixed = static_payload_name((unsigned)pt);
                g_string_append_printf(s, "%s%s (%s)", i == 3 ? " " : ", ",
                                       name ? name : fixed ? fixed : "?", parts[i]);
                g_free(name);
            }
        }
        g_strfreev(parts);
        g_free(m);
        line = next ? next + 1 : NULL;
    }
    if (s->len >= size && size > 4) {
        /* Cut at a character boundary and say so. */
        size_t cut = size - 4;
        while (cut > 0 && ((unsigned char)s->str[cut] & 0xC0) == 0x80)
            cut--;
        g_string_truncate(s, cut);
        g_string_append(s, "…");
    }
    g_strlcpy(out, s->str, size);
    g_string_free(s, TRUE);
}

gboolean
sipvi_addr_is_private(const char *addr)
{
    unsigned a, b, c, d;
    char tail;
    if (!addr || sscanf(addr, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 ||
            c > 255 || d > 255)
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
