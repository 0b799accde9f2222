/* sipvi_info.h — the meanings sipvi appends to the Info column.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_INFO_H
#define SIPVI_INFO_H

#include <epan/column-utils.h>

/* Most responses in one frame that the Info column tells apart. */
#define SIPVI_INFO_MAX_RESPONSES 256

/* Appends the meanings of a frame's status codes after SIP's Info text: "Máy bận" for one
 * response, "180: Đang đổ chuông; 200: Thành công" for several. */
void sipvi_info_append(column_info *cinfo, const guint32 *codes, guint n_codes);

/* Forgets the texts (at shutdown). */
void sipvi_info_cleanup(void);

#endif /* SIPVI_INFO_H */
