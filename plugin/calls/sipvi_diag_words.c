/* sipvi_diag_words.c — a diagnosis in words: its title, its explanation with the table's
 * meanings of the codes it cites, its evidence frames as text. What the reports, the window's
 * tables and the expert items all show, so that they agree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include <glib.h>

#include "sipvi_diag_words.h"
#include "sipvi_table.h"
#include "sipvi_view.h"

static const char *
code_meaning(guint32 code)
{
    sipvi_view_t v;
    sipvi_view_of(code, &v);
    return sipvi_view_meaning(&v);
}

static const char *
warning_meaning(guint32 code)
{
    const sipvi_warning_t *w = sipvi_warning_lookup(code);
    return w ? w->meaning : "Mã Warning chưa có trong bảng";
}

/* What an ICMP error quoting a request says (RFC 792, RFC 1812 §5.2.7.1, RFC 4443 §3.1). */
static const char *
icmp_meaning(gint type, gint code)
{
    static char text[160];
    const char *what = "lỗi mạng";
    if (type == 3) {
        switch (code) {
        case 0: what = "mạng đích không tới được (network unreachable)"; break;
        case 1: what = "máy đích không tới được (host unreachable)"; break;
        case 3: what = "cổng đích không có chương trình nghe (port unreachable)"; break;
        case 9: case 10: case 13:
            what = "bị tường lửa cấm theo quản trị (administratively prohibited)"; break;
        default: what = "không tới được đích (destination unreachable)"; break;
        }
    } else if (type == 11) {
        what = "hết TTL trên đường đi (time exceeded)";
    } else if (type == 256 + 1) {
        switch (code) {
        case 1: what = "bị tường lửa cấm theo quản trị (administratively prohibited)"; break;
        case 4: what = "cổng đích không có chương trình nghe (port unreachable)"; break;
        default: what = "không tới được đích (destination unreachable)"; break;
        }
    }
    (void)snprintf(text, sizeof text, "%s %d/%d: %s", type >= 256 ? "ICMPv6" : "ICMP",
                   type >= 256 ? type - 256 : type, code, what);
    return text;
}

static const sipvi_diag_words_t words = {code_meaning, sipvi_q850_meaning, warning_meaning,
                                         icmp_meaning};

void
sipvi_diag_wording(const sipvi_diagnosis_t *d, const char *aor, sipvi_diag_wording_t *out)
{
    const sipvi_diagnosis_text_t *text = &sipvi_diagnosis_table[d->id];
    out->id = text->id;
    out->title = text->title;
    out->check = text->check;
    out->explanation = sipvi_diag_explain(d, aor, &words);
    out->frames = sipvi_diag_frames_text(&d->evidence);
    GString *csv = g_string_new(NULL);
    for (guint32 i = 0; i < d->evidence.kept; i++)
        g_string_append_printf(csv, i ? " %u" : "%u", d->evidence.frame[i]);
    /* Frames counted but not kept: "+N", so that a script sees the list is not whole. */
    if (d->evidence.total > d->evidence.kept)
        g_string_append_printf(csv, " +%u", d->evidence.total - d->evidence.kept);
    out->frames_csv = g_string_free(csv, FALSE);
}

void
sipvi_diag_wording_free(sipvi_diag_wording_t *r)
{
    g_free(r->explanation);
    g_free(r->frames);
    g_free(r->frames_csv);
}
