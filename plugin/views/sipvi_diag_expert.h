/* sipvi_diag_expert.h — one expert item per diagnosed call or registration, at the frame where
 * its diagnosis became certain: Analyze → Expert Information becomes the list of failed calls.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_DIAG_EXPERT_H
#define SIPVI_DIAG_EXPERT_H

#include <epan/packet.h>
#include <epan/expert.h>

#include "sipvi_record.h"

/* Registers the expert fields and the sipvi.diagnosis.* fields under sipvi. */
void sipvi_diag_expert_register(int proto_sipvi, expert_module_t *module);

/* Feeds the frame's messages (with their dialog fields) to the file's diagnosis state, the first
 * time the frame is seen in order, and adds the items of the diagnoses that became certain at
 * this frame. Later dissections of the frame (-2, the GUI) add the same items from what the
 * first one stored with the frame. tree may be NULL: the state is fed, no item is added. */
void sipvi_diag_expert_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                             const sipvi_frame_t *frame);

#endif /* SIPVI_DIAG_EXPERT_H */
