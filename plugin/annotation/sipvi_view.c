/* sipvi_view.c — the table's answer for a code, with the site's override applied.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sipvi_overrides.h"
#include "sipvi_view.h"

void
sipvi_view_of(guint32 code, sipvi_view_t *v)
{
    v->valid = sipvi_resolve(code, &v->res);
    v->meaning = v->res.meaning;
    v->detail = v->res.detail;
    v->severity = v->res.severity;
    v->reason = v->res.entry ? v->res.entry->reason : NULL;
    v->known = v->res.entry != NULL;
    const sipvi_override_t *o = v->valid ? sipvi_override_lookup(code) : NULL;
    v->overridden = o != NULL;
    if (o) {
        v->known = TRUE;
        v->meaning = o->meaning;
        if (o->detail && *o->detail)
            v->detail = o->detail;
        if (o->severity_value != SIPVI_SEVERITY_NONE)
            v->severity = o->severity_value;
    }
}

const char *
sipvi_view_meaning(const sipvi_view_t *v)
{
    return v->valid ? v->meaning : SIPVI_INVALID_MEANING;
}

const char *
sipvi_q850_meaning(gint32 cause)
{
    const sipvi_q850_t *q = cause >= 0 ? sipvi_q850_lookup((unsigned)cause) : NULL;
    return q ? q->meaning : "Nguyên nhân Q.850 chưa có trong bảng";
}
