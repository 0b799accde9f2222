/* sipvi_tree_hook.h — give a dissection pass a protocol tree when the expert tap listens.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_TREE_HOOK_H
#define SIPVI_TREE_HOOK_H

#include <epan/packet.h>

/* Makes every later frame of the pass that pinfo belongs to dissect into an (invisible) protocol
 * tree, so that SIP parses its Reason and Warning headers. Returns TRUE when it gave one. */
gboolean sipvi_tree_hook_give_tree(packet_info *pinfo);

#endif
