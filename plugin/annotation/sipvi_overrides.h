/* sipvi_overrides.h — site overrides of the compiled table (the "sipvi_overrides" UAT).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_OVERRIDES_H
#define SIPVI_OVERRIDES_H

#include <epan/prefs.h>

#include "sipvi_table.h"

typedef struct {
    guint32 code;
    char *meaning;
    char *detail;              /* "" keeps the table's detail */
    char *severity;            /* "" keeps the table's severity */
    sipvi_severity_t severity_value; /* parsed from severity when the entry is accepted */
} sipvi_override_t;

/* Creates the UAT (file "sipvi_overrides" in the profile) and its preference. */
void sipvi_overrides_register(module_t *prefs);

/* O(1): the site's entry for a code, NULL when there is none. */
const sipvi_override_t *sipvi_override_lookup(unsigned code);

/* Changes whenever the overrides do: what is built from them is built again. */
guint sipvi_overrides_generation(void);

#endif /* SIPVI_OVERRIDES_H */
