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

/* The primed fields' occurrences in one tree: proto_get_finfo_ptr_array() for an invisible tree,
 * SIP's part of the tree walked once a frame for a visible one. Read with sipvi_prime_get(), which
 * is inline: the record asks for some 25 fields per frame. */
typedef struct {
    proto_tree *invisible;     /* non-NULL: an invisible tree, read through its marked arrays */
    GPtrArray *const *found;   /* a visible tree: each slot's occurrences */
    const guint8 *slot_of;     /* slot + 1 of hfid - base; 0: not a primed field */
    int base;
    guint span;
} sipvi_prime_reader_t;

void sipvi_prime_read(proto_tree *tree, sipvi_prime_reader_t *reader);

/* A primed field's occurrences; NULL when there is none. */
static inline GPtrArray *
sipvi_prime_get(const sipvi_prime_reader_t *r, int hfid)
{
    GPtrArray *a;
    if (r->invisible) {
        a = proto_get_finfo_ptr_array(r->invisible, hfid);
    } else {
        guint id = (guint)(hfid - r->base);
        if (id >= r->span || !r->slot_of[id])
            return NULL;   /* not a field sipvi reads: nothing gathered it */
        a = r->found[r->slot_of[id] - 1];
    }
    return a && a->len ? a : NULL;
}

/* Re-primes after every reset of the trees dissected with this packet pool. Cheap when the pool
 * is already watched (one pointer comparison for the host's usual single pool). */
void sipvi_prime_watch_pool(wmem_allocator_t *pool);

#endif /* SIPVI_PRIME_H */
