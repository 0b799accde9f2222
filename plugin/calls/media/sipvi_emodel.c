/* sipvi_emodel.c — the ITU-T G.107 E-model, reduced to what a capture can feed it.
 *
 * R = (R0 - Is) - Id - Ie,eff + A, with the G.107 defaults R0 - Is = 93.2 and A = 0;
 * Ie,eff = Ie + (95 - Ie) · Ppl / (Ppl / BurstR + Bpl) (G.107 §7.4, BurstR = 1: random loss);
 * Id from the one-way delay Ta by the usual simplification of G.107's Idd with echo well
 * cancelled: 0.024 Ta + 0.11 (Ta - 177.3) for Ta > 177.3 ms;
 * MOS = 1 + 0.035 R + R (R - 60) (100 - R) · 7e-6 (G.107 Annex B).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>

#include "sipvi_emodel.h"

/* ITU-T G.113 Appendix I (narrowband): G.711 with packet loss concealment Ie 0, Bpl 25.1;
 * G.729(A) Ie 11, Bpl 19.0. G.722 and Opus are wideband codecs whose G.113 factors are on the
 * wideband scale (R up to 129); on the narrowband scale used here they are taken as no worse
 * than G.711 (Ie 0), with G.711's concealment (Bpl 25.1) for G.722 and Opus's stronger one
 * (Bpl 30) for Opus: an estimate, said so in docs/media.md. */
static const struct {
    const char *alias;
    sipvi_codec_impairment_t codec;
} codecs[] = {
    { "g711U", { "G.711", 0, 25.1 } },
    { "g711A", { "G.711", 0, 25.1 } },
    { "PCMU", { "G.711", 0, 25.1 } },
    { "PCMA", { "G.711", 0, 25.1 } },
    { "g729", { "G.729", 11, 19.0 } },
    { "G729", { "G.729", 11, 19.0 } },
    { "g722", { "G.722", 0, 25.1 } },
    { "G722", { "G.722", 0, 25.1 } },
    { "opus", { "Opus", 0, 30.0 } },
};

const sipvi_codec_impairment_t *
sipvi_codec_impairment(const char *payload)
{
    if (!payload)
        return NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(codecs); i++) {
        if (g_ascii_strcasecmp(payload, codecs[i].alias) == 0)
            return &codecs[i].codec;
    }
    return NULL;
}

#define PACKETIZATION_MS 20.0
#define NETWORK_MS 40.0
#define MIN_BUFFER_MS 20.0

double
sipvi_emodel_delay_ms(double mean_jitter_ms)
{
    double buffer = 2 * (mean_jitter_ms > 0 ? mean_jitter_ms : 0);
    if (buffer < MIN_BUFFER_MS)
        buffer = MIN_BUFFER_MS;
    return PACKETIZATION_MS + buffer + NETWORK_MS;
}

double
sipvi_emodel_r(const sipvi_codec_impairment_t *codec, double loss_pct, double mean_jitter_ms)
{
    double ppl = loss_pct < 0 ? 0 : loss_pct > 100 ? 100 : loss_pct;
    double ta = sipvi_emodel_delay_ms(mean_jitter_ms);
    double id = 0.024 * ta + (ta > 177.3 ? 0.11 * (ta - 177.3) : 0);
    double ie_eff = codec->ie + (95 - codec->ie) * ppl / (ppl + codec->bpl);
    double r = 93.2 - id - ie_eff;
    return r < 0 ? 0 : r > 100 ? 100 : r;
}

double
sipvi_emodel_mos_of_r(double r)
{
    if (r <= 0)
        return 1.0;
    if (r >= 100)
        return 4.5;
    return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

double
sipvi_emodel_mos(const sipvi_codec_impairment_t *codec, double loss_pct, double mean_jitter_ms)
{
    return sipvi_emodel_mos_of_r(sipvi_emodel_r(codec, loss_pct, mean_jitter_ms));
}
