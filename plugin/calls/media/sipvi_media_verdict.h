/* sipvi_media_verdict.h — which media faults an answered call shows, from its figures per
 * direction (sipvi_call_media_figures). Plain logic, unit-tested (tests/unit/test_media_verdict.c).
 *
 * The faults, most telling first (the first one found names the call's diagnosis, the others are
 * listed in its explanation):
 *   no_media               answered, at least min_call_s long, no RTP either way;
 *   one_way_media          RTP one way, none or too little for speech the other way (fewer than
 *                          one_way_ratio of the other way's packets);
 *   media_address_mismatch one side's RTP comes from an address or port its SDP does not
 *                          declare, while the other side sends to the declared one;
 *   media_stopped          RTP in a direction stops at least stopped_s before the call ends;
 *   media_loss             loss of at least loss_pct in a direction, seen or reported by RTCP;
 *   media_jitter           mean jitter of at least jitter_ms in a direction.
 * No fault when the capture holds no RTP at all (filtered to SIP), and none in a direction whose
 * latest SDPs put it on hold (sendonly, recvonly, inactive, c=0.0.0.0) or that no SDP declared.
 * A diagnosis states only what the capture shows:
 *  - no_media only when the call's media path is in view (path_seen: the capture holds RTP to or
 *    from a host the call's SDPs declare); else the media passes elsewhere (an SBC);
 *  - media_stopped only when the other direction's RTP goes on at least stopped_s after the stop;
 *    when both end together, nothing shows whether the media stopped or the capture point
 *    stopped seeing it;
 *  - loss seen only as sequence gaps counts below capture_gap_pct; above it, unless the
 *    receiver's RTCP reports the loss, the capture more likely misses packets than the network
 *    lost them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_MEDIA_VERDICT_H
#define SIPVI_MEDIA_VERDICT_H

#include "sipvi_call_media.h"

typedef struct {
    double min_call_s;         /* 2 */
    double one_way_ratio;      /* 0.05 */
    double stopped_s;          /* 5 */
    double loss_pct;           /* 3 */
    double jitter_ms;          /* 30 */
    double capture_gap_pct;    /* 50: not a preference */
} sipvi_media_thresholds_t;

/* The documented defaults (docs/media.md). */
extern const sipvi_media_thresholds_t sipvi_media_default_thresholds;

typedef enum {
    SIPVI_MEDIA_NO_MEDIA, SIPVI_MEDIA_ONE_WAY, SIPVI_MEDIA_ADDRESS_MISMATCH, SIPVI_MEDIA_STOPPED,
    SIPVI_MEDIA_LOSS, SIPVI_MEDIA_JITTER, SIPVI_MEDIA_FAULT_KINDS
} sipvi_media_fault_kind_t;

typedef struct {
    sipvi_media_fault_kind_t kind;
    int dir;                   /* SIPVI_TO_CALLER or SIPVI_TO_CALLEE: the direction at fault */
} sipvi_media_fault_t;

#define SIPVI_MEDIA_MAX_FAULTS (2 * SIPVI_MEDIA_FAULT_KINDS)
typedef struct {
    guint n;
    sipvi_media_fault_t fault[SIPVI_MEDIA_MAX_FAULTS];  /* most telling first */
    double seconds;            /* the call's length used (answer to end) */
} sipvi_media_verdict_t;

/* The loss a direction is judged by, in percent: the larger of the loss the capture saw (when
 * below capture_gap_pct) and the loss its receiver reported by RTCP; < 0: none known. */
double sipvi_media_counted_loss(const sipvi_direction_figures_t *f, const sipvi_media_thresholds_t *t);

/* end_ms: the call's end (its BYE), or where the capture ends when it has none. any_media: the
 * capture holds RTP at all. */
void sipvi_media_verdict(const sipvi_call_media_t *cm, const sipvi_direction_figures_t f[2],
                         gboolean any_media, double end_ms, const sipvi_media_thresholds_t *t,
                         sipvi_media_verdict_t *out);

#endif /* SIPVI_MEDIA_VERDICT_H */
