/* sipvi_media_diagnosis.c — an answered call's media fault as its diagnosis.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <wireshark.h>

#include "sipvi_media_diagnosis.h"
#include "sipvi_media_prefs.h"
#include "sipvi_table.h"

static const sipvi_diag_id_t ids[SIPVI_MEDIA_FAULT_KINDS] = {
    SIPVI_DIAG_NO_MEDIA, SIPVI_DIAG_ONE_WAY_MEDIA, SIPVI_DIAG_MEDIA_ADDRESS_MISMATCH,
    SIPVI_DIAG_MEDIA_STOPPED, SIPVI_DIAG_MEDIA_LOSS, SIPVI_DIAG_MEDIA_JITTER
};

static const char *const receiver_name[2] = { "bên gọi", "bên được gọi" };
static const char *const sender_name[2] = { "bên được gọi", "bên gọi" };

static void
append_addr(GString *s, const sipvi_media_addr_t *a, guint16 port)
{
    char buf[64];
    sipvi_media_addr_str(a, buf, sizeof buf);
    g_string_append_printf(s, a->type == AT_IPv6 ? "[%s]:%u" : "%s:%u", buf, port);
}

typedef struct {
    const sipvi_call_media_t *cm;
    const sipvi_direction_figures_t *f;
    const sipvi_media_verdict_t *v;
    const sipvi_diagnosis_t *d;
    const sipvi_media_thresholds_t *t;
} fill_t;

static void
append_value(GString *s, int ph, const fill_t *x)
{
    const sipvi_media_fault_t *top = &x->v->fault[0];
    const sipvi_direction_figures_t *f = &x->f[top->dir];
    switch (ph) {
    case SIPVI_PH_SIDE:
    case SIPVI_PH_PEER: {
        const char *name = ph == SIPVI_PH_SIDE ? receiver_name[top->dir] : sender_name[top->dir];
        if (s->len == 0)   /* a sentence starts with it */
            g_string_append_printf(s, "B%s", name + 1);
        else
            g_string_append(s, name);
        break;
    }
    case SIPVI_PH_ADDR:
        if (top->kind == SIPVI_MEDIA_ADDRESS_MISMATCH) {
            append_addr(s, &f->seen_src, f->seen_src_port);
        } else {
            const sipvi_sdp_seen_t *sdp = sipvi_call_media_last_sdp(x->cm, top->dir == SIPVI_TO_CALLER ? 0 : 1);
            if (sdp)
                append_addr(s, &sdp->addr, sdp->port);
            else
                g_string_append(s, "?");
        }
        break;
    case SIPVI_PH_SECONDS:
        if (top->kind == SIPVI_MEDIA_STOPPED) {
            double end = x->cm->end_ms >= 0 ? x->cm->end_ms : f->last_ms;
            g_string_append_printf(s, "%.1f", (end - f->last_ms) / 1000.0);
        } else {
            g_string_append_printf(s, "%.1f", x->v->seconds);
        }
        break;
    case SIPVI_PH_COUNT:
        g_string_append_printf(s, "%u", f->packets);
        break;
    case SIPVI_PH_PERCENT:
        g_string_append_printf(s, "%.1f", sipvi_media_counted_loss(f, x->t));
        break;
    case SIPVI_PH_MS:
        g_string_append_printf(s, "%.1f", f->mean_jitter_ms);
        break;
    case SIPVI_PH_FRAMES: {
        char *frames = sipvi_diag_frames_text(&x->d->evidence);
        g_string_append(s, frames);
        g_free(frames);
        break;
    }
    case SIPVI_PH_OTHERS:
        for (guint i = 1; i < x->v->n; i++) {
            const sipvi_media_fault_t *o = &x->v->fault[i];
            g_string_append_printf(s, i == 1 ? " Ngoài ra: %s (tới %s)" : "; %s (tới %s)",
                                   sipvi_diagnosis_table[ids[o->kind]].title,
                                   receiver_name[o->dir]);
        }
        if (x->v->n > 1)
            g_string_append_c(s, '.');
        break;
    default:
        break;
    }
}

static char *
explain(const fill_t *x, const char *template)
{
    GString *s = g_string_new(NULL);
    for (const char *p = template; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        int ph = close ? sipvi_placeholder_lookup(p + 1, (size_t)(close - p - 1)) : -1;
        if (ph >= 0) {
            append_value(s, ph, x);
            p = close + 1;
        } else {
            g_string_append_c(s, *p++);
        }
    }
    return g_string_free(s, FALSE);
}

static void
add_frame(sipvi_frames_t *fr, guint32 frame)
{
    if (!frame)
        return;
    for (guint32 i = 0; i < fr->kept; i++) {
        if (fr->frame[i] == frame)
            return;
    }
    if (fr->kept < SIPVI_EVIDENCE_MAX)
        fr->frame[fr->kept++] = frame;
    fr->total++;
}

void
sipvi_media_diagnose(const sipvi_call_media_t *cm, const sipvi_media_t *media,
                     sipvi_diagnosis_t *d, sipvi_diag_wording_t *words)
{
    if (d->id != SIPVI_DIAG_ANSWERED || !media)
        return;
    sipvi_direction_figures_t f[2];
    sipvi_call_media_figures(cm, media, f);
    double end = cm->end_ms >= 0 ? cm->end_ms : sipvi_media_last_ms(media);
    sipvi_media_verdict_t v;
    sipvi_media_thresholds_t thresholds;
    sipvi_media_thresholds(&thresholds);
    sipvi_media_verdict(cm, f, sipvi_media_n_streams(media) > 0, end, &thresholds, &v);
    if (!v.n)
        return;
    const sipvi_media_fault_t *top = &v.fault[0];
    d->id = ids[top->kind];
    /* Evidence: the SDP that declared the receiver's address, the direction's first packet (and
     * the other direction's, for one-way and mismatch), the BYE. Certain at the 2xx answering the
     * BYE: until the call ends media may still come, and until the BYE is answered it may still
     * fail (bye_failed, a signalling failure, would then be the call's id). Without that 2xx in
     * the capture, certain at no frame. */
    memset(&d->evidence, 0, sizeof d->evidence);
    const sipvi_sdp_seen_t *sdp = sipvi_call_media_last_sdp(cm, top->dir == SIPVI_TO_CALLER ? 0 : 1);
    if (sdp)
        add_frame(&d->evidence, sdp->frame);
    add_frame(&d->evidence, f[top->dir].first_frame);
    add_frame(&d->evidence, f[1 - top->dir].first_frame);
    add_frame(&d->evidence, cm->end_frame);
    d->certain_frame = cm->bye_ok_frame;
    fill_t x = { cm, f, &v, d, &thresholds };
    const sipvi_diagnosis_text_t *text = &sipvi_diagnosis_table[d->id];
    sipvi_diag_wording_free(words);
    sipvi_diag_wording(d, NULL, words);
    g_free(words->explanation);
    words->explanation = explain(&x, text->explanation);
}
