/* sipvi_media_diagnosis.h — an answered call's media fault as its diagnosis: the id, title and
 * check of data/diagnoses.tsv, the explanation filled with the call's media figures.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_MEDIA_DIAGNOSIS_H
#define SIPVI_MEDIA_DIAGNOSIS_H

#include "sipvi_call_media.h"
#include "sipvi_diagnosis.h"
#include "sipvi_media.h"
#include "sipvi_media_verdict.h"
#include "sipvi_diag_words.h"

/* When d says the call was answered without fault and its media shows one, d and words become
 * the most telling media fault (words freed and refilled). Any other diagnosis is kept: a
 * signalling failure keeps its id. */
void sipvi_media_diagnose(const sipvi_call_media_t *cm, const sipvi_media_t *media,
                          sipvi_diagnosis_t *d, sipvi_diag_wording_t *words);

#endif /* SIPVI_MEDIA_DIAGNOSIS_H */
