/* sipvi_reason.h — the causes of a Reason header.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_REASON_H
#define SIPVI_REASON_H

#include <glib.h>

/* A cause not given. */
#define SIPVI_NO_CAUSE (-1)

/* RFC 3326 Reason header values (a list: "SIP;cause=500, Q.850;cause=41"): the first cause of
 * each protocol, keeping what *q850 and *sip already hold. Entries that do not parse are
 * skipped. */
void sipvi_reason_parse(const char *value, gint32 *q850, gint32 *sip);

#endif /* SIPVI_REASON_H */
