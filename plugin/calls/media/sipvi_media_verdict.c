/* sipvi_media_verdict.c — the media faults of an answered call (sipvi_media_verdict.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "sipvi_media_verdict.h"

const sipvi_media_thresholds_t sipvi_media_default_thresholds = { 2.0, 0.05, 5.0, 3.0, 30.0, 50.0 };

static void
add(sipvi_media_verdict_t *v, sipvi_media_fault_kind_t kind, int dir)
{
    if (v->n < SIPVI_MEDIA_MAX_FAULTS)
        v->fault[v->n++] = (sipvi_media_fault_t){ kind, dir };
}

static int
by_kind(const void *a, const void *b)
{
    const sipvi_media_fault_t *x = (const sipvi_media_fault_t *)a, *y = (const sipvi_media_fault_t *)b;
    return x->kind != y->kind ? (int)x->kind - (int)y->kind : x->dir - y->dir;
}

double
sipvi_media_counted_loss(const sipvi_direction_figures_t *f, const sipvi_media_thresholds_t *t)
{
    /* Gaps this large, that no receiver report confirms, are packets the capture missed: the
     * network losing them would leave the call without speech. */
    double seen = f->lost_pct < t->capture_gap_pct ? f->lost_pct : -1;
    return seen > f->reported_lost_pct ? seen : f->reported_lost_pct;
}

void
sipvi_media_verdict(const sipvi_call_media_t *cm, const sipvi_direction_figures_t f[2],
                    gboolean any_media, double end_ms, const sipvi_media_thresholds_t *t,
                    sipvi_media_verdict_t *out)
{
    memset(out, 0, sizeof *out);
    if (!any_media || cm->answer_ms < 0)
        return;
    out->seconds = end_ms > cm->answer_ms ? (end_ms - cm->answer_ms) / 1000.0 : 0;
    /* A direction can be judged when its receiver declared where to send and no hold makes
     * silence expected. */
    gboolean judged[2], silent[2];
    for (int d = 0; d < 2; d++) {
        judged[d] = f[d].declared && !f[d].hold;
        silent[d] = f[d].packets == 0;
    }
    if (judged[0] && judged[1] && silent[0] && silent[1]) {
        if (out->seconds >= t->min_call_s && (f[0].path_seen || f[1].path_seen))
            add(out, SIPVI_MEDIA_NO_MEDIA, SIPVI_TO_CALLER);
        return;
    }
    for (int d = 0; d < 2; d++) {
        int o = 1 - d;
        /* d silent (or nearly) while the other way carries speech. */
        if (judged[d] && f[o].packets > 0 &&
            (double)f[d].packets < t->one_way_ratio * (double)f[o].packets &&
            out->seconds >= t->min_call_s)
            add(out, SIPVI_MEDIA_ONE_WAY, d);
    }
    for (int d = 0; d < 2; d++) {
        int o = 1 - d;
        if (f[d].src_mismatch && f[d].packets > 0 && judged[o] && f[o].packets > 0)
            add(out, SIPVI_MEDIA_ADDRESS_MISMATCH, d);
    }
    for (int d = 0; d < 2; d++) {
        if (!judged[d] || !f[d].packets)
            continue;
        int o = 1 - d;
        /* A stop is seen only while the other way still flows past the capture point. */
        if (end_ms - f[d].last_ms >= t->stopped_s * 1000.0 && f[o].packets > 0 &&
            f[o].last_ms - f[d].last_ms >= t->stopped_s * 1000.0)
            add(out, SIPVI_MEDIA_STOPPED, d);
        if (sipvi_media_counted_loss(&f[d], t) >= t->loss_pct)
            add(out, SIPVI_MEDIA_LOSS, d);
        if (f[d].mean_jitter_ms >= t->jitter_ms)
            add(out, SIPVI_MEDIA_JITTER, d);
    }
    qsort(out->fault, out->n, sizeof out->fault[0], by_kind);
}
