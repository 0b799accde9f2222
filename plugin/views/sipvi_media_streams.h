/* sipvi_media_streams.h — the -z sipvi,streams report (every RTP stream and its figures).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_MEDIA_STREAMS_H
#define SIPVI_MEDIA_STREAMS_H

void sipvi_register_media_streams(void);

#endif /* SIPVI_MEDIA_STREAMS_H */
