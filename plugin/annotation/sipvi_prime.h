/* sipvi_prime.h — the SIP fields sipvi reads, built whenever a protocol tree exists (marked
 * "referenced" while an invisible tree exists), without asking the host to build a tree that
 * nobody else needs; and read back from either kind of tree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_PRIME_H
#define SIPVI_PRIME_H

#include <epan/epan_dissect.h>
#include <epan/packet.h>

/* The fields to keep referenced; the array is kept. The last `optional` ones only while
 * optional_wanted() says so (e.g. while a tap listens). Primes them at once. */
void sipvi_prime_set_fields(const int *hfids, guint count, guint optional,
                            gboolean (*optional_wanted)(void));

/* Marks the fields referenced again while an invisible tree exists: at file start, when a
 * listener starts, and after each tree reset (see watch). */
void sipvi_prime_fields(void);

/* Registers the hooks that see every dissection's tree come and go (once, from plugin_register). */
void sipvi_prime_register_hooks(void);

/* A dissection whose tree is invisible, made outside epan_dissect_init() (sipvi_tree_hook.c). */
void sipvi_prime_hidden_tree(epan_dissect_t *edt);

/* The tree of this frame; marks the fields for good if it is invisible and nobody said so. */
void sipvi_prime_check_tree(proto_tree *tree);

/* A primed field's occurrences in the tree (proto_get_finfo_ptr_array() for an invisible tree,
 * SIP's part of the tree walked once a frame for a visible one); NULL when there is none. */
GPtrArray *sipvi_prime_occurrences(proto_tree *tree, int hfid);

/* Re-primes after every reset of the trees dissected with this packet pool. Cheap when the pool
 * is already watched (one pointer comparison for the host's usual single pool). */
void sipvi_prime_watch_pool(wmem_allocator_t *pool);

#endif /* SIPVI_PRIME_H */
