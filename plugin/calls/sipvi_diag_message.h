/* sipvi_diag_message.h — the facts of one SIP message as the diagnosis rules read them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_DIAG_MESSAGE_H
#define SIPVI_DIAG_MESSAGE_H

#include <glib.h>
#include <epan/packet.h>

#include "sipvi_diagnosis.h"
#include "sipvi_record.h"

/* A message as the diagnosis rules see it; strings in the packet pool. The IP fragments an
 * INVITE response may point back to come from fragments (NULL: none looked for). */
void sipvi_diag_message(packet_info *pinfo, const sipvi_message_t *m,
                        const sipvi_fragment_ring_t *fragments, sipvi_diag_msg_t *out);

/* Remembers a frame that is an IP fragment nothing reassembled. */
void sipvi_diag_fragment_note(packet_info *pinfo, sipvi_fragment_ring_t *fragments);

/* The Q.850 cause of a message: the first of its whole Reason list, else SIP's. */
gint32 sipvi_message_q850(const sipvi_message_t *m);

#endif /* SIPVI_DIAG_MESSAGE_H */
