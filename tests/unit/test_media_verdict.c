/* test_media_verdict.c — the media faults of plugin/calls/media/sipvi_media_verdict.c on figures
 * written by hand: each fault, the exemptions (hold, no media in the capture, too short, not
 * answered), what the capture cannot show (the call's media path out of view, both directions
 * ending together, sequence gaps too large to be network loss), and the order when several
 * apply.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "sipvi_media_verdict.h"

#include "unit_check.h"

static sipvi_call_media_t cm;
static sipvi_direction_figures_t f[2];
static const sipvi_media_thresholds_t *t = &sipvi_media_default_thresholds;

/* An answered call of 10 s (answer at 1 s, end at 11 s), 500 clean packets each way. */
static void
clean(void)
{
    sipvi_call_media_init(&cm);
    cm.invite_ms = 0;
    cm.first_reply_ms = 40;
    cm.answer_ms = 1000;
    cm.end_ms = 11000;
    for (int d = 0; d < 2; d++) {
        memset(&f[d], 0, sizeof f[d]);
        f[d].declared = TRUE;
        f[d].path_seen = TRUE;
        f[d].packets = 500;
        f[d].expected = 500;
        f[d].first_ms = 1100;
        f[d].last_ms = 10990;
        f[d].reported_lost_pct = -1;
    }
}

static sipvi_media_verdict_t
judge(gboolean any_media)
{
    sipvi_media_verdict_t v;
    sipvi_media_verdict(&cm, f, any_media, cm.end_ms, t, &v);
    return v;
}

#define FIRST(v, k, d) ((v).n > 0 && (v).fault[0].kind == (k) && (v).fault[0].dir == (d))

int
main(void)
{
    clean();
    CHECK(judge(TRUE).n == 0, "clean call");

    clean();
    f[0].packets = f[1].packets = 0;
    CHECK(FIRST(judge(TRUE), SIPVI_MEDIA_NO_MEDIA, SIPVI_TO_CALLER), "no media");
    CHECK(judge(FALSE).n == 0, "no RTP in the whole capture: no media diagnosis");
    cm.end_ms = 2500;
    CHECK(judge(TRUE).n == 0, "1.5 s: too short to judge");
    clean();
    f[0].packets = f[1].packets = 0;
    cm.answer_ms = -1;
    CHECK(judge(TRUE).n == 0, "not answered: signalling's business");

    clean();
    f[SIPVI_TO_CALLER].packets = 20;   /* < 5 % of 500 */
    CHECK(FIRST(judge(TRUE), SIPVI_MEDIA_ONE_WAY, SIPVI_TO_CALLER), "one way");
    f[SIPVI_TO_CALLER].packets = 30;   /* 6 %: speech, but it stopped early */
    f[SIPVI_TO_CALLER].last_ms = 1700;
    CHECK(FIRST(judge(TRUE), SIPVI_MEDIA_STOPPED, SIPVI_TO_CALLER), "stopped, not one way");
    f[SIPVI_TO_CALLER].packets = 0;
    f[SIPVI_TO_CALLER].hold = TRUE;
    CHECK(judge(TRUE).n == 0, "on hold: silence expected");
    f[SIPVI_TO_CALLER].hold = FALSE;
    f[SIPVI_TO_CALLER].declared = FALSE;
    CHECK(judge(TRUE).n == 0, "no address declared: nothing to judge");

    clean();
    f[SIPVI_TO_CALLER].src_mismatch = TRUE;
    CHECK(FIRST(judge(TRUE), SIPVI_MEDIA_ADDRESS_MISMATCH, SIPVI_TO_CALLER), "mismatch");

    clean();
    f[SIPVI_TO_CALLEE].lost_pct = 2.9;
    CHECK(judge(TRUE).n == 0, "2.9 %% loss is below the threshold");
    f[SIPVI_TO_CALLEE].reported_lost_pct = 3.0;
    CHECK(FIRST(judge(TRUE), SIPVI_MEDIA_LOSS, SIPVI_TO_CALLEE), "reported loss counts");
    f[SIPVI_TO_CALLER].mean_jitter_ms = 30;
    sipvi_media_verdict_t v = judge(TRUE);
    CHECK(v.n == 2 && FIRST(v, SIPVI_MEDIA_LOSS, SIPVI_TO_CALLEE) &&
          v.fault[1].kind == SIPVI_MEDIA_JITTER && v.fault[1].dir == SIPVI_TO_CALLER,
          "loss before jitter, both kept");
    f[SIPVI_TO_CALLEE].last_ms = 5000;
    v = judge(TRUE);
    CHECK(v.n == 3 && FIRST(v, SIPVI_MEDIA_STOPPED, SIPVI_TO_CALLEE), "stopped first");
    CHECK(v.seconds == 10.0, "seconds %f", v.seconds);

    /* The media path out of view (an SBC leg whose media passes elsewhere): no RTP to or from any
     * host its SDPs declare, in the whole capture. Silence there says nothing about the call. */
    clean();
    f[0].packets = f[1].packets = 0;
    f[0].path_seen = f[1].path_seen = FALSE;
    CHECK(judge(TRUE).n == 0, "media path not in the capture: no no_media");
    f[SIPVI_TO_CALLEE].path_seen = TRUE;
    CHECK(FIRST(judge(TRUE), SIPVI_MEDIA_NO_MEDIA, SIPVI_TO_CALLER),
          "other media of one of its hosts is in the capture: no_media");

    /* Both directions end together 40 s before the BYE: a stop or the capture point losing the
     * media, the capture cannot tell. One direction going on shows the path is still seen. */
    clean();
    cm.end_ms = 50000;
    f[0].last_ms = 10000;
    f[1].last_ms = 10020;
    CHECK(judge(TRUE).n == 0, "both ways end together: no media_stopped");
    f[1].last_ms = 14990;
    CHECK(judge(TRUE).n == 0, "the other way goes on 4.99 s only: still together");
    f[1].last_ms = 15000;
    v = judge(TRUE);
    CHECK(v.n == 1 && FIRST(v, SIPVI_MEDIA_STOPPED, SIPVI_TO_CALLER),
          "the other way goes on 5 s: the first stop is seen, not the second (nothing after it)");
    f[1].packets = 0;
    v = judge(TRUE);
    CHECK(FIRST(v, SIPVI_MEDIA_ONE_WAY, SIPVI_TO_CALLEE) &&
          !(v.n > 1 && v.fault[1].kind == SIPVI_MEDIA_STOPPED),
          "nothing the other way: one way, and no stop claimed");

    /* Sequence gaps of 97 % that no receiver report confirms: missing from the capture. */
    clean();
    f[SIPVI_TO_CALLEE].lost_pct = 97.0;
    CHECK(judge(TRUE).n == 0, "97 %% seen only as gaps: not media_loss");
    CHECK(sipvi_media_counted_loss(&f[SIPVI_TO_CALLEE], t) < 0, "counted loss: none known");
    f[SIPVI_TO_CALLEE].lost_pct = 49.9;
    CHECK(FIRST(judge(TRUE), SIPVI_MEDIA_LOSS, SIPVI_TO_CALLEE), "49.9 %% seen: media_loss");
    f[SIPVI_TO_CALLEE].lost_pct = 97.0;
    f[SIPVI_TO_CALLEE].reported_lost_pct = 1.0;
    CHECK(judge(TRUE).n == 0, "the receiver reports 1 %%: it got what the capture missed");
    f[SIPVI_TO_CALLEE].reported_lost_pct = 60.0;
    CHECK(FIRST(judge(TRUE), SIPVI_MEDIA_LOSS, SIPVI_TO_CALLEE) &&
          sipvi_media_counted_loss(&f[SIPVI_TO_CALLEE], t) == 60.0,
          "the receiver reports 60 %%: media_loss by its report");

    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
