/* sipvi_table.c — resolution rules on top of the generated arrays.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sipvi_table.h"

#include <string.h>

bool
sipvi_resolve(unsigned code, sipvi_resolution_t *out)
{
    memset(out, 0, sizeof *out);
    out->code = code;
    if (!sipvi_code_is_valid(code))
        return false;

    out->class_number = code / 100u;
    out->klass = &sipvi_class_table[out->class_number];
    out->entry = sipvi_status_lookup(code);
    if (out->entry) {
        out->meaning = out->entry->meaning;
        out->detail = out->entry->detail;
        out->severity = out->entry->severity;
    } else {
        out->meaning = out->klass->unknown_meaning;
        out->detail = out->klass->unknown_detail;
        out->severity = out->klass->severity;
    }
    return true;
}

#define SIPVI_PH_NAME(name, text) text,
const char *const sipvi_placeholder_names[SIPVI_PLACEHOLDER_COUNT] = {SIPVI_DIAG_PLACEHOLDERS(SIPVI_PH_NAME)};
#undef SIPVI_PH_NAME

int
sipvi_placeholder_lookup(const char *name, size_t len)
{
    for (int i = 0; i < SIPVI_PLACEHOLDER_COUNT; i++) {
        if (strlen(sipvi_placeholder_names[i]) == len && memcmp(sipvi_placeholder_names[i], name, len) == 0)
            return i;
    }
    return -1;
}
