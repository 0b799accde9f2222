/* sipvi_call_media_report.h — a call's media figures in the -z sipvi,calls reports: the CSV
 * columns appended at the end of each row, and a media line per call in the text report.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_CALL_MEDIA_REPORT_H
#define SIPVI_CALL_MEDIA_REPORT_H

#include "sipvi_call_media.h"
#include "sipvi_media.h"

/* The column names, the last one ending the line. */
void sipvi_call_media_csv_headers(void);
/* The cells of one call, the last one ending the line; empty when a figure does not apply. */
void sipvi_call_media_csv_row(const sipvi_call_media_t *cm, const sipvi_media_t *media);

/* The media line of a call ("Âm thanh: ..."), g_free'd by the caller. */
char *sipvi_call_media_text(const sipvi_call_media_t *cm, const sipvi_media_t *media);

/* Prints, once, that the capture holds no RTP at all, when calls declared media; returns whether
 * it did (then no media figure means anything). */
gboolean sipvi_call_media_print_no_media(const sipvi_media_t *media, guint calls_with_sdp);

#endif /* SIPVI_CALL_MEDIA_REPORT_H */
