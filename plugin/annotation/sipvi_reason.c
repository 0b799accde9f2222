/* sipvi_reason.c — the causes of a Reason header (RFC 3326), read from its whole value: SIP keeps
 * only the first cause of its list, and reads "cause=abc" as 0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>

#include "sipvi_reason.h"

static gboolean
parse_cause(const char *p, const char *end, gint32 *out)
{
    gint64 v = 0;
    if (p == end)
        return FALSE;
    for (; p < end; p++) {
        if (!g_ascii_isdigit(*p) || v > 100000)
            return FALSE;
        v = v * 10 + (*p - '0');
    }
    *out = (gint32)v;
    return TRUE;
}

/* One reason-value: protocol *(SEMI reason-params), cause=N among the params. */
static void
parse_reason_value(const char *p, const char *end, gint32 *q850, gint32 *sip)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    const char *proto = p;
    while (p < end && *p != ';' && *p != ' ' && *p != '\t')
        p++;
    size_t proto_len = (size_t)(p - proto);
    gint32 *slot = NULL;
    if (proto_len == 5 && g_ascii_strncasecmp(proto, "Q.850", 5) == 0)
        slot = q850;
    else if (proto_len == 3 && g_ascii_strncasecmp(proto, "SIP", 3) == 0)
        slot = sip;
    if (!slot || *slot != SIPVI_NO_CAUSE)
        return;
    while (p < end) {
        while (p < end && *p != ';')
            p++;
        if (p == end)
            break;
        p++;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (end - p > 6 && g_ascii_strncasecmp(p, "cause", 5) == 0) {
            const char *v = p + 5;
            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            if (v < end && *v == '=') {
                v++;
                while (v < end && (*v == ' ' || *v == '\t'))
                    v++;
                const char *digits_end = v;
                while (digits_end < end && g_ascii_isdigit(*digits_end))
                    digits_end++;
                const char *after = digits_end;
                while (after < end && (*after == ' ' || *after == '\t'))
                    after++;
                gint32 cause;
                /* Q.850 causes are 1–127, SIP causes status codes: anything else is garbage. */
                gint32 low = slot == q850 ? 1 : 100, high = slot == q850 ? 127 : 799;
                if ((after == end || *after == ';') && parse_cause(v, digits_end, &cause) &&
                        cause >= low && cause <= high)
                    *slot = cause;
                return;
            }
        }
    }
}

void
sipvi_reason_parse(const char *value, gint32 *q850, gint32 *sip)
{
    if (!value)
        return;
    /* Values are separated by commas outside quoted strings (a text= may hold one). */
    const char *begin = value;
    gboolean quoted = FALSE;
    for (const char *p = value;; p++) {
        if (quoted && *p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '"')
            quoted = !quoted;
        if (*p == '\0' || (*p == ',' && !quoted)) {
            parse_reason_value(begin, p, q850, sip);
            if (*p == '\0')
                break;
            begin = p + 1;
        }
    }
}
