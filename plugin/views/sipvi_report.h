/* sipvi_report.h — what the -z reports share: aligned text columns, CSV fields, the capture's
 * name, the diagnosis blocks and columns (the words themselves: sipvi_diag_words.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_REPORT_H
#define SIPVI_REPORT_H

#include <glib.h>
#include <epan/packet.h>

#include "sipvi_diag_words.h"

/* Terminal columns of UTF-8 text (a Vietnamese letter with its marks is one). */
gsize sipvi_report_width(const char *s);
void sipvi_report_padded(const char *s, gsize width);
/* A text table: headers and rows of n_cols cells, the last column unpadded. */
void sipvi_report_table(const char *const *headers, char ***rows, guint n_rows, guint n_cols);

/* RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. */
void sipvi_report_csv_field(const char *s, gboolean last);

/* The capture file tshark reads (-r), as given on its command line; "" when unknown (live
 * capture, or not tshark). tshark tells a tap nothing about its file, so it is read from
 * /proc/self/cmdline. */
const char *sipvi_report_capture_name(void);

/* The diagnosis section under a text table: one block per row. */
void sipvi_report_print_diagnosis(const char *key, const sipvi_diag_wording_t *r);

/* A whole text report: its title, the count of rows, the table, then one diagnosis block per row
 * (keys[r] names row r, words[r] its diagnosis). */
void sipvi_report_print_text(const char *title, const char *count_label, const char *diag_heading,
                             const char *const *headers, char ***cells, guint n_rows, guint n_cols,
                             const char *const *keys, const sipvi_diag_wording_t *const *words);

/* Reads a report's -z argument: "CMD" or "CMD,csv" (CMD e.g. "sipvi,calls"), in tshark only.
 * FALSE after reporting why (report_vi/report_en name the report: "cuộc gọi"/"calls"). */
gboolean sipvi_report_option(const char *opt_arg, const char *cmd, const char *report_vi,
                             const char *report_en, gboolean *csv);

/* The CSV columns every report ends with: the diagnosis, where it became certain, the file;
 * last: the file ends the line (else more columns follow). */
void sipvi_report_csv_diagnosis(const sipvi_diag_wording_t *words, guint32 certain_frame,
                                const char *file, gboolean last);

#endif /* SIPVI_REPORT_H */
