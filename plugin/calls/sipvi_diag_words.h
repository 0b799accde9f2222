/* sipvi_diag_words.h — a diagnosis in words, for the reports, the window's tables and the expert
 * items.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_DIAG_WORDS_H
#define SIPVI_DIAG_WORDS_H

#include <glib.h>

#include "sipvi_diagnosis.h"

/* The words of a diagnosis, for the reports and the expert items. */
typedef struct {
    const char *id;
    const char *title;
    char *explanation;         /* g_free'd by sipvi_diag_wording_free */
    const char *check;
    char *frames;              /* "4, 5 (+3)" */
    char *frames_csv;          /* "4 5", and " +N" when N more were counted than kept */
} sipvi_diag_wording_t;

void sipvi_diag_wording(const sipvi_diagnosis_t *d, const char *aor,
                            sipvi_diag_wording_t *out);
void sipvi_diag_wording_free(sipvi_diag_wording_t *r);

#endif /* SIPVI_DIAG_WORDS_H */
