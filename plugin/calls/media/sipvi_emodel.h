/* sipvi_emodel.h — a listening-quality estimate (MOS) of one direction of a call by the ITU-T
 * G.107 E-model, from the loss and jitter the capture shows and the codec's impairment factors
 * (ITU-T G.113 Appendix I). Plain C, unit-tested (tests/unit/test_emodel.c).
 *
 * The assumptions (docs/media.md): default G.107 values for everything the capture cannot see
 * (R0 - Is = 93.2, A = 0, random loss: BurstR = 1); mouth-to-ear delay = packetization (20 ms)
 * + an adaptive jitter buffer of 2 × mean jitter, at least 20 ms + 40 ms of network and device
 * delay; packets that come later than that buffer would hold are not counted as lost (the mean
 * jitter already sizes the buffer).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_EMODEL_H
#define SIPVI_EMODEL_H

typedef struct {
    const char *name;  /* what it is called in reports */
    double ie;         /* equipment impairment factor, narrowband R scale */
    double bpl;        /* packet-loss robustness factor */
} sipvi_codec_impairment_t;

/* The impairment factors of a codec named as Wireshark's RTP dissector names payload types
 * ("g711U", "g711A", "g729", "g722", "opus", case-insensitive; an SDP encoding name such as
 * "PCMU" works too). NULL when unknown: no MOS is computed then. */
const sipvi_codec_impairment_t *sipvi_codec_impairment(const char *payload);

/* The one-way mouth-to-ear delay assumed for a mean jitter, in ms. */
double sipvi_emodel_delay_ms(double mean_jitter_ms);

/* The rating factor R (0..100) and the MOS (1..4.5) for a codec, a packet loss in percent
 * (0..100) and a mean jitter in ms. */
double sipvi_emodel_r(const sipvi_codec_impairment_t *codec, double loss_pct, double mean_jitter_ms);
double sipvi_emodel_mos_of_r(double r);
double sipvi_emodel_mos(const sipvi_codec_impairment_t *codec, double loss_pct, double mean_jitter_ms);

#endif /* SIPVI_EMODEL_H */
