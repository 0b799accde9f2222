/* sipvi_info.c — the Info column text, the one thing sipvi does on every response of a plain run.
 *
 * Each code's text is made once, from the table and the site overrides, and made again when
 * the overrides change; a response then costs a lookup and a memcpy. The English phrase of the
 * english_reason preference is not added here: SIP's own Info text already carries the phrase the
 * response was sent with ("Status: 486 Busy Here | Máy bận").
 *
 * The text goes into Wireshark's column buffers (epan/column-info.h) the way col_append_lstr()
 * puts it there: writable check, the column made appendable if a dissector had set it to a
 * constant string, the text cut at the buffer's size (here between UTF-8 characters).
 * col_append_lstr() itself copies a byte at a time (g_strlcpy in 4.0, escaping since 4.2), which
 * made it most of what sipvi cost a plain tshark run; the texts here need no escaping: the table
 * generator refuses control characters and so does the overrides check.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/column-info.h>

#include "sipvi_info.h"
#include "sipvi_overrides.h"
#include "sipvi_view.h"

typedef struct {
    const char *text;
    size_t length;
} info_text_t;

static info_text_t texts[SIPVI_CODE_MAX - SIPVI_CODE_MIN + 1];
static const info_text_t invalid = {SIPVI_INVALID_MEANING, sizeof SIPVI_INVALID_MEANING - 1};
static gboolean texts_made;
static guint texts_generation;

/* The texts point into the compiled table or the overrides, which outlive them until the next
 * generation. */
static void
make_texts(guint generation)
{
    for (guint code = SIPVI_CODE_MIN; code <= SIPVI_CODE_MAX; code++) {
        info_text_t *t = &texts[code - SIPVI_CODE_MIN];
        sipvi_view_t v;
        sipvi_view_of(code, &v);
        t->text = v.meaning;
        t->length = strlen(t->text);
    }
    texts_made = TRUE;
    texts_generation = generation;
}

static const info_text_t *
text_of(guint32 code)
{
    return code >= SIPVI_CODE_MIN && code <= SIPVI_CODE_MAX ? &texts[code - SIPVI_CODE_MIN]
                                                             : &invalid;
}

/* Copies what fits of text at buf[used], one byte kept for the NUL; the new length. */
static size_t
put(char *buf, size_t size, size_t used, const char *text, size_t length)
{
    if (length > size - 1 - used)
        length = sipvi_utf8_cut(text, size - 1 - used);
    memcpy(buf + used, text, length);
    return used + length;
}

/* SIP ends its Info text with " | " after each message, but not when something else follows
 * (e.g. "Continuation" of a TCP stream): then the separator is sipvi's to add. */
static gboolean
ends_with_sip_separator(const char *buf, size_t used)
{
    return used >= 2 && buf[used - 2] == '|' && buf[used - 1] == ' ';
}

static size_t
put_codes(char *buf, size_t size, size_t used, const guint32 *codes, guint n_codes)
{
    if (used > 0 && !ends_with_sip_separator(buf, used))
        used = put(buf, size, used, " | ", 3);
    for (guint k = 0; k < n_codes; k++) {
        if (n_codes > 1) {
            char number[16];
            int n = snprintf(number, sizeof number, "%s%u: ", k > 0 ? "; " : "", codes[k]);
            used = put(buf, size, used, number, (size_t)n);
        }
        const info_text_t *t = text_of(codes[k]);
        used = put(buf, size, used, t->text, t->length);
    }
    buf[used] = '\0';
    return used;
}

void
sipvi_info_append(column_info *cinfo, const guint32 *codes, guint n_codes)
{
    if (n_codes == 0 || !col_get_writable(cinfo, COL_INFO) || cinfo->col_first[COL_INFO] < 0)
        return;
    guint generation = sipvi_overrides_generation();
    if (!texts_made || generation != texts_generation)
        make_texts(generation);
    for (int i = cinfo->col_first[COL_INFO]; i <= cinfo->col_last[COL_INFO]; i++) {
        col_item_t *col = &cinfo->columns[i];
        if (!col->fmt_matx[COL_INFO])
            continue;
        /* Wireshark sizes the buffer by the column's own format. */
        size_t size = col->col_fmt == COL_INFO ? COL_MAX_INFO_LEN : COL_MAX_LEN;
        char *buf = col->col_buf;
        if (col->col_data != buf) {
            /* Set with col_set_str(): copy that string into the buffer to append to it. */
            (void)g_strlcpy(buf, col->col_data ? col->col_data : "", size);
            col->col_data = buf;
        }
        size_t used = strlen(buf);
        if (used < size - 1)
            put_codes(buf, size, used, codes, n_codes);
    }
}

void
sipvi_info_cleanup(void)
{
    texts_made = FALSE;
}
