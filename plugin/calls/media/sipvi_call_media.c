/* sipvi_call_media.c — a call's SDP and timing, and its media figures (sipvi_call_media.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <wsutil/inet_addr.h>

#include "sipvi_call_media.h"
#include "sipvi_emodel.h"
#include "sipvi_media_verdict.h"

/* RTP may start a moment before the INVITE's answer reaches the capture (early media) and run
 * on a moment after the BYE. */
#define WINDOW_BEFORE_MS 1000.0
#define WINDOW_AFTER_MS 2000.0

void
sipvi_call_media_init(sipvi_call_media_t *cm)
{
    memset(cm, 0, sizeof *cm);
    cm->invite_ms = cm->first_reply_ms = cm->answer_ms = cm->end_ms = -1;
}

static gboolean
parse_addr(const char *text, sipvi_media_addr_t *out)
{
    memset(out, 0, sizeof *out);
    ws_in4_addr v4;
    ws_in6_addr v6;
    if (text && ws_inet_pton4(text, &v4)) {
        out->type = AT_IPv4;
        out->len = 4;
        memcpy(out->bytes, &v4, 4);
        return TRUE;
    }
    if (text && ws_inet_pton6(text, &v6)) {
        out->type = AT_IPv6;
        out->len = 16;
        memcpy(out->bytes, &v6, 16);
        return TRUE;
    }
    out->type = AT_NONE;
    return FALSE;
}

/* The port of the first "audio PORT ..." of the m= lines ("\n"-separated). */
static guint16
audio_port(const char *mlines)
{
    for (const char *line = mlines; line && *line;) {
        if (g_ascii_strncasecmp(line, "audio ", 6) == 0) {
            unsigned long port = strtoul(line + 6, NULL, 10);
            return port <= 65535 ? (guint16)port : 0;
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return 0;
}

static guint8
direction_of(const char *attrs)
{
    static const char names[][9] = { "sendrecv", "sendonly", "recvonly", "inactive" };
    guint8 dir = SIPVI_SDP_SENDRECV;
    for (const char *line = attrs; line && *line;) {
        const char *end = strchr(line, '\n');
        gsize len = end ? (gsize)(end - line) : strlen(line);
        /* All four are 8 letters long; most a= lines (rtpmap, fmtp …) are not. */
        for (guint8 i = 0; len == 8 && i < G_N_ELEMENTS(names); i++) {
            if (g_ascii_strncasecmp(line, names[i], 8) == 0)
                dir = i;
        }
        line = end ? end + 1 : NULL;
    }
    return dir;
}

static gboolean
is_unspecified(const sipvi_media_addr_t *a)
{
    for (guint i = 0; i < a->len; i++) {
        if (a->bytes[i])
            return FALSE;
    }
    return a->len > 0;
}

void
sipvi_call_media_note(sipvi_call_media_t *cm, const packet_info *pinfo, const sipvi_message_t *m,
                      const char *caller)
{
    if (m->resend || !m->method)
        return;
    double now = nstime_to_msec(&pinfo->rel_ts);
    gboolean invite = strcmp(m->method, "INVITE") == 0;
    /* A request whose From is the caller comes from the caller; a response, from the other side. */
    gboolean from_caller_uri = !m->from || !caller || strcmp(m->from, caller) == 0;
    int side = (from_caller_uri != m->is_response) ? 0 : 1;

    if (!m->is_response && invite && cm->invite_ms < 0)
        cm->invite_ms = now;
    if (m->is_response && invite && cm->answer_ms < 0) {
        if (cm->first_reply_ms < 0 && m->code >= 180)
            cm->first_reply_ms = now;
        if (m->code >= 200 && m->code < 300)
            cm->answer_ms = now;
    }
    if (!m->is_response && strcmp(m->method, "BYE") == 0 && cm->end_ms < 0) {
        cm->end_ms = now;
        cm->end_frame = pinfo->num;
        cm->ended_by = side == 0 ? SIPVI_ENDED_BY_CALLER : SIPVI_ENDED_BY_CALLEE;
    }

    if (m->is_response && strcmp(m->method, "BYE") == 0 && m->code >= 200 && m->code < 300 &&
        cm->end_frame && !cm->bye_ok_frame)
        cm->bye_ok_frame = pinfo->num;

    if (!m->has_sdp || !m->sdp_mlines)
        return;
    sipvi_sdp_seen_t *s = &cm->sdp[side][cm->n_sdp[side] % SIPVI_CALL_MEDIA_SDPS];
    cm->n_sdp[side]++;
    parse_addr(m->media_addr, &s->addr);
    s->port = audio_port(m->sdp_mlines);
    s->direction = direction_of(m->sdp_attrs);
    if (is_unspecified(&s->addr))
        s->direction = SIPVI_SDP_INACTIVE;
    s->frame = pinfo->num;
    s->time_ms = now;
}

void
sipvi_call_media_note_late_sdp(sipvi_call_media_t *cm, const packet_info *pinfo,
                               const sipvi_message_t *m, const char *caller)
{
    if (m->resend || !m->method || !m->has_sdp || !m->sdp_mlines)
        return;
    gboolean from_caller_uri = !m->from || !caller || strcmp(m->from, caller) == 0;
    int side = (from_caller_uri != m->is_response) ? 0 : 1;
    guint32 n = cm->n_sdp[side];
    guint kept = n < SIPVI_CALL_MEDIA_SDPS ? n : SIPVI_CALL_MEDIA_SDPS;
    sipvi_sdp_seen_t all[SIPVI_CALL_MEDIA_SDPS + 1];
    guint count = 0;
    gboolean placed = FALSE;
    sipvi_sdp_seen_t late;
    memset(&late, 0, sizeof late);
    parse_addr(m->media_addr, &late.addr);
    late.port = audio_port(m->sdp_mlines);
    late.direction = direction_of(m->sdp_attrs);
    if (is_unspecified(&late.addr))
        late.direction = SIPVI_SDP_INACTIVE;
    late.frame = pinfo->num;
    late.time_ms = nstime_to_msec(&pinfo->rel_ts);
    /* The kept SDPs oldest first, the late one where its frame puts it. */
    for (guint k = 0; k < kept; k++) {
        const sipvi_sdp_seen_t *e = &cm->sdp[side][(n - kept + k) % SIPVI_CALL_MEDIA_SDPS];
        if (e->frame == late.frame)
            return;   /* already read */
        if (!placed && late.frame < e->frame) {
            all[count++] = late;
            placed = TRUE;
        }
        all[count++] = *e;
    }
    if (!placed) {
        if (n > kept && kept > 0 && late.frame < all[0].frame)
            return;   /* older than every SDP kept: the ring would have dropped it */
        all[count++] = late;
    }
    guint first = count > SIPVI_CALL_MEDIA_SDPS ? count - SIPVI_CALL_MEDIA_SDPS : 0;
    cm->n_sdp[side] = n + 1;
    guint len = count - first;
    for (guint k = 0; k < len; k++)
        cm->sdp[side][(cm->n_sdp[side] - len + k) % SIPVI_CALL_MEDIA_SDPS] = all[first + k];
}

const sipvi_sdp_seen_t *
sipvi_call_media_last_sdp(const sipvi_call_media_t *cm, int side)
{
    if (!cm->n_sdp[side])
        return NULL;
    return &cm->sdp[side][(cm->n_sdp[side] - 1) % SIPVI_CALL_MEDIA_SDPS];
}

static guint
n_kept(const sipvi_call_media_t *cm, int side)
{
    return MIN(cm->n_sdp[side], SIPVI_CALL_MEDIA_SDPS);
}

/* Does the stream go to one of the receiver's declared address:ports, or did one of the call's
 * SDP frames set it up? */
static gboolean
stream_of(const sipvi_call_media_t *cm, int receiver, const sipvi_media_stream_t *st)
{
    gboolean in_time = st->stats.last_ms >= cm->invite_ms - WINDOW_BEFORE_MS &&
                       (cm->end_ms < 0 || st->stats.first_ms <= cm->end_ms + WINDOW_AFTER_MS);
    for (guint i = 0; i < n_kept(cm, receiver); i++) {
        const sipvi_sdp_seen_t *s = &cm->sdp[receiver][i];
        if (s->port == 0 || s->addr.type == AT_NONE)
            continue;
        if (st->dst_port == s->port && sipvi_media_addr_equal(&st->dst, &s->addr) &&
            (in_time || (st->setup_frame && st->setup_frame == s->frame)))
            return TRUE;
    }
    return FALSE;
}

static gboolean
declares(const sipvi_call_media_t *cm, int side, const sipvi_media_addr_t *a, guint16 port)
{
    for (guint i = 0; i < n_kept(cm, side); i++) {
        const sipvi_sdp_seen_t *s = &cm->sdp[side][i];
        if (s->port == port && sipvi_media_addr_equal(&s->addr, a))
            return TRUE;
    }
    return FALSE;
}

/* Does the capture hold RTP, of any call and at any time, to or from a host that one of the
 * call's SDPs declares? Without it the capture point is not on the call's media path (an SBC
 * that splits signalling from media), and silence there says nothing about the call. */
static gboolean
path_seen(const sipvi_call_media_t *cm, const sipvi_media_t *media)
{
    for (guint i = 0; media && i < sipvi_media_n_streams(media); i++) {
        const sipvi_media_stream_t *st = sipvi_media_stream(media, i);
        for (int side = 0; side < 2; side++) {
            for (guint k = 0; k < n_kept(cm, side); k++) {
                const sipvi_media_addr_t *a = &cm->sdp[side][k].addr;
                if (a->type != AT_NONE &&
                    (sipvi_media_addr_equal(&st->dst, a) || sipvi_media_addr_equal(&st->src, a)))
                    return TRUE;
            }
        }
    }
    return FALSE;
}

static gboolean
silence_expected(const sipvi_call_media_t *cm, int receiver)
{
    const sipvi_sdp_seen_t *r = sipvi_call_media_last_sdp(cm, receiver);
    const sipvi_sdp_seen_t *s = sipvi_call_media_last_sdp(cm, 1 - receiver);
    return (r && (r->direction == SIPVI_SDP_SENDONLY || r->direction == SIPVI_SDP_INACTIVE ||
                  r->port == 0)) ||
           (s && (s->direction == SIPVI_SDP_RECVONLY || s->direction == SIPVI_SDP_INACTIVE));
}

void
sipvi_call_media_figures(const sipvi_call_media_t *cm, const sipvi_media_t *media,
                         sipvi_direction_figures_t out[2])
{
    gboolean in_view = path_seen(cm, media);
    for (int dir = 0; dir < 2; dir++) {
        int receiver = dir == SIPVI_TO_CALLER ? 0 : 1;
        sipvi_direction_figures_t *f = &out[dir];
        memset(f, 0, sizeof *f);
        f->reported_lost_pct = f->mos = -1;
        const sipvi_sdp_seen_t *decl = sipvi_call_media_last_sdp(cm, receiver);
        f->declared = decl && decl->port && decl->addr.type != AT_NONE;
        f->hold = silence_expected(cm, receiver);
        f->path_seen = in_view;
        double jitter_weight = 0;
        guint32 most = 0;
        gint64 rr_lost = 0, rr_expected = 0;
        gboolean rr_any = FALSE;
        for (guint i = 0; media && i < sipvi_media_n_streams(media); i++) {
            const sipvi_media_stream_t *st = sipvi_media_stream(media, i);
            if (!stream_of(cm, receiver, st))
                continue;
            if (f->n_streams == 0 || st->stats.first_ms < f->first_ms) {
                f->first_ms = st->stats.first_ms;
                f->first_frame = st->first_frame;
            }
            if (f->n_streams == 0 || st->stats.last_ms > f->last_ms)
                f->last_ms = st->stats.last_ms;
            f->n_streams++;
            f->packets += st->stats.packets;
            f->expected += sipvi_rtp_stats_expected(&st->stats);
            f->lost += sipvi_rtp_stats_lost(&st->stats);
            f->max_jitter_ms = MAX(f->max_jitter_ms, st->stats.max_jitter_ms);
            jitter_weight += st->stats.mean_jitter_ms * st->stats.packets;
            if (st->stats.packets > most) {
                most = st->stats.packets;
                g_strlcpy(f->codec, st->payload, sizeof f->codec);
            }
            if (!declares(cm, 1 - receiver, &st->src, st->src_port) && !f->src_mismatch &&
                cm->n_sdp[1 - receiver]) {
                f->src_mismatch = TRUE;
                f->seen_src = st->src;
                f->seen_src_port = st->src_port;
            }
            double rep = sipvi_media_reported_lost_pct(st);
            if (rep >= 0) {
                gint64 exp = sipvi_rtp_stats_expected(&st->stats);
                rr_any = TRUE;
                rr_lost += (gint64)(rep * (double)exp / 100.0 + 0.5);
                rr_expected += exp;
            }
        }
        if (f->expected > 0)
            f->lost_pct = (double)f->lost * 100.0 / (double)f->expected;
        if (f->packets)
            f->mean_jitter_ms = jitter_weight / f->packets;
        if (rr_any)
            f->reported_lost_pct = rr_expected > 0 ? (double)rr_lost * 100.0 / (double)rr_expected
                                                   : 0;
        const sipvi_codec_impairment_t *codec = sipvi_codec_impairment(f->codec);
        /* The receiver's loss: what it reported, when it is worse than what the capture saw;
         * none known when the gaps are more likely the capture's (then no MOS either). */
        double loss = sipvi_media_counted_loss(f, &sipvi_media_default_thresholds);
        if (f->packets && codec && loss >= 0)
            f->mos = sipvi_emodel_mos(codec, loss, f->mean_jitter_ms);
    }
}

double
sipvi_call_media_setup_ms(const sipvi_call_media_t *cm)
{
    if (cm->invite_ms < 0 || cm->first_reply_ms < 0)
        return -1;
    return cm->first_reply_ms - cm->invite_ms;
}

double
sipvi_call_media_duration_s(const sipvi_call_media_t *cm)
{
    if (cm->answer_ms < 0 || cm->end_ms < 0)
        return -1;
    return (cm->end_ms - cm->answer_ms) / 1000.0;
}

const char *
sipvi_call_media_ended_by(const sipvi_call_media_t *cm)
{
    return cm->ended_by == SIPVI_ENDED_BY_CALLER ? "caller"
           : cm->ended_by == SIPVI_ENDED_BY_CALLEE ? "callee" : "";
}
