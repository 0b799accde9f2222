/* sipvi_media_prefs.h — the media diagnosis thresholds as sipvi preferences (Edit → Preferences
 * → Protocols → sipvi; tshark -o sipvi.media_loss_pct:5 ...), defaults as documented in
 * docs/media.md.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_MEDIA_PREFS_H
#define SIPVI_MEDIA_PREFS_H

#include <epan/prefs.h>

#include "sipvi_media_verdict.h"

/* Registers the preferences on sipvi's module (from proto_register_sipvi). */
void sipvi_media_register_prefs(module_t *prefs);

/* Puts a threshold outside its range back to its default, saying so (report_failure); from
 * the module's apply callback. */
void sipvi_media_check_prefs(void);

/* The thresholds as the preferences now set them. */
void sipvi_media_thresholds(sipvi_media_thresholds_t *out);

#endif /* SIPVI_MEDIA_PREFS_H */
