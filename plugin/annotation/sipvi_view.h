/* sipvi_view.h — what sipvi shows for a status code: the compiled table, with the site's override
 * on top. One place, so that the tree, the expert info, the Info column and the reports agree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_VIEW_H
#define SIPVI_VIEW_H

#include <glib.h>

#include "sipvi_table.h"

typedef struct {
    sipvi_resolution_t res;
    gboolean valid;           /* 100–799 */
    gboolean known;           /* an entry of the table or of the site's overrides */
    gboolean overridden;
    const char *meaning;      /* NULL when the code is invalid */
    const char *detail;
    sipvi_severity_t severity;
    const char *reason;       /* the table's English phrase, NULL when it has no entry */
} sipvi_view_t;

void sipvi_view_of(guint32 code, sipvi_view_t *view);

/* What a code outside 100–799 is called. */
#define SIPVI_INVALID_MEANING "mã không hợp lệ"

/* The meaning to print: the view's, or "mã không hợp lệ" for a code outside 100–799. */
const char *sipvi_view_meaning(const sipvi_view_t *view);

/* The Vietnamese meaning of a Q.850 cause, or that the table does not have it. */
const char *sipvi_q850_meaning(gint32 cause);

/* The longest cut of text at most limit bytes long that does not split a UTF-8 character
 * (text holds more than limit bytes). */
static inline size_t
sipvi_utf8_cut(const char *text, size_t limit)
{
    while (limit > 0 && ((unsigned char)text[limit] & 0xC0) == 0x80)
        limit--;
    return limit;
}

/* Final responses end a transaction (RFC 3261 §7.2): 2xx and above. */
static inline gboolean
sipvi_code_is_final(guint32 code)
{
    return code >= 200;
}

#endif /* SIPVI_VIEW_H */
