/* sipvi_tree_hook.c — the one place where sipvi reaches into Wireshark's dissection state.
 *
 * Why: SIP parses its Reason and Warning headers only into a protocol tree, and the hosts decide
 * whether to build one before the first frame, from the taps' flags. The expert tap's listeners
 * (tshark -z expert, the GUI's Expert Information dialog) ask for no tree, and no public call lets a
 * plugin join that decision once they are listening: the listener is registered after the file is
 * opened (tshark's -z), or just before a retap (the dialog), and no plugin code runs in between.
 * Without this, Expert Information listed the Q.850 and Warning items only when a display filter
 * happened to make a tree, so the report changed with an unrelated filter.
 *
 * What: the first frame that sipvi sees without a tree while the expert tap listens gives the
 * pass's epan_dissect_t a tree, invisible, exactly as epan_dissect_init() makes one; every later
 * frame of the pass is then dissected into it and freed with it (epan_dissect_reset/cleanup free
 * edt->tree whenever it is set). The tree root comes from epan_dissect_new() because
 * proto_tree_create_root() is not exported; it is re-pointed at this pass's packet_info, whose pool
 * the tree allocates from.
 *
 * It relies on: the packet_info of a post-dissector being the `pi` member of an epan_dissect_t,
 * the layout of epan_dissect_t and tree_data_t (public headers, same in 4.0, 4.4 and 4.6), and the
 * hosts using edt->tree for each frame rather than a copy of the flag. tests/test_expert.py fails
 * the day a Wireshark series changes any of that (the Reason items vanish from -z expert).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include <wireshark.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/proto.h>

#include "sipvi_prime.h"
#include "sipvi_tree_hook.h"

gboolean
sipvi_tree_hook_give_tree(packet_info *pinfo)
{
    epan_dissect_t *edt = (epan_dissect_t *)((char *)pinfo - offsetof(epan_dissect_t, pi));
    if (edt->tree || !edt->session)
        return FALSE;
    epan_dissect_t *donor = epan_dissect_new(edt->session, TRUE, FALSE);
    proto_tree *tree = donor->tree;
    donor->tree = NULL;
    epan_dissect_free(donor);
    if (!tree)
        return FALSE;
    PTREE_DATA(tree)->pinfo = pinfo;
    proto_tree_set_visible(tree, FALSE);
    edt->tree = tree;
    sipvi_prime_hidden_tree(edt);
    return TRUE;
}
