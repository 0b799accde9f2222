/* test_emodel.c — the E-model of plugin/calls/media/sipvi_emodel.c against figures worked out by hand
 * and the two bounds: a clean G.711 call ≥ 4.0, 9 % random loss lowers it by ≥ 0.3.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdio.h>

#include "sipvi_emodel.h"

#include "unit_check.h"

#define NEAR(a, b, eps) (fabs((a) - (b)) < (eps))

int
main(void)
{
    const sipvi_codec_impairment_t *g711 = sipvi_codec_impairment("g711U");
    const sipvi_codec_impairment_t *g729 = sipvi_codec_impairment("g729");
    CHECK(g711 && g711 == sipvi_codec_impairment("G711u") && sipvi_codec_impairment("PCMA"),
          "G.711 by Wireshark's and SDP's names");
    CHECK(g729 && sipvi_codec_impairment("g722") && sipvi_codec_impairment("OPUS"), "others");
    CHECK(!sipvi_codec_impairment("GSM") && !sipvi_codec_impairment(NULL), "unknown: no MOS");

    /* Clean: Ta = 20 + 20 + 40 = 80 ms, Id = 1.92, R = 91.28, MOS = 4.37. */
    CHECK(NEAR(sipvi_emodel_delay_ms(0), 80, 1e-9), "delay %f", sipvi_emodel_delay_ms(0));
    double r0 = sipvi_emodel_r(g711, 0, 0);
    CHECK(NEAR(r0, 91.28, 1e-9), "R %f", r0);
    double clean = sipvi_emodel_mos(g711, 0, 0);
    CHECK(NEAR(clean, 1 + 0.035 * 91.28 + 91.28 * 31.28 * 8.72 * 7e-6, 1e-9), "MOS %f", clean);
    CHECK(clean >= 4.0, "clean G.711 %f < 4.0", clean);

    /* 9 % random loss: Ie,eff = 95 · 9 / 34.1 = 25.07, R = 66.21, MOS about 3.4. */
    double lossy = sipvi_emodel_mos(g711, 9, 0);
    CHECK(NEAR(sipvi_emodel_r(g711, 9, 0), 91.28 - 95.0 * 9 / 34.1, 1e-9), "R lossy");
    CHECK(clean - lossy >= 0.3, "9 %% loss lowers %f to %f only", clean, lossy);
    CHECK(lossy > 3.0 && lossy < 3.6, "lossy %f", lossy);

    /* G.729 is worse than G.711 when clean; jitter lowers the score through the buffer. */
    CHECK(sipvi_emodel_mos(g729, 0, 0) < clean, "G.729");
    CHECK(sipvi_emodel_mos(g711, 0, 80) < sipvi_emodel_mos(g711, 0, 10), "jitter");
    /* Delay beyond 177.3 ms costs more: 2 × 100 + 60 = 260 ms. */
    CHECK(NEAR(sipvi_emodel_delay_ms(100), 260, 1e-9), "delay");

    /* Bounds. */
    CHECK(NEAR(sipvi_emodel_mos(g711, 100, 500), 1.0, 1e-9), "floor");
    CHECK(NEAR(sipvi_emodel_mos_of_r(100), 4.5, 1e-9), "ceiling");
    CHECK(NEAR(sipvi_emodel_mos(g711, -5, -1), clean, 1e-9), "negative input clamped");

    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
