/* test_media_verdict.c — the media faults of plugin/media/sipvi_media_verdict.c on figures
 * written by hand: each fault, the exemptions (hold, no media in the capture, too short, not
 * answered), and the order when several apply.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "sipvi_media_verdict.h"

static unsigned passed, failed;

#define CHECK(cond, ...)                                     \
    do {                                                     \
        if (cond) {                                          \
            passed++;                                        \
        } else {                                             \
            failed++;                                        \
            fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);  \
            fprintf(stderr, __VA_ARGS__);                    \
            fputc('\n', stderr);                             \
        }                                                    \
    } while (0)

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

    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
