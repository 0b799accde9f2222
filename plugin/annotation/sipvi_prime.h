/* sipvi_prime.h — keeps the SIP fields sipvi reads "referenced", so SIP builds them whenever a
 * protocol tree exists, without asking the host to build a tree that nobody else needs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_PRIME_H
#define SIPVI_PRIME_H

#include <epan/packet.h>

/* The fields to keep referenced; the array is kept. The last `optional` ones only while
 * optional_wanted() says so (e.g. while a tap listens). Primes them at once. */
void sipvi_prime_set_fields(const int *hfids, guint count, guint optional,
                            gboolean (*optional_wanted)(void));

/* Marks the fields referenced again: at file start, and after each tree reset (see watch). */
void sipvi_prime_fields(void);

/* Re-primes after every reset of the trees dissected with this packet pool. Cheap when the pool
 * is already watched (one pointer comparison for the host's usual single pool). */
void sipvi_prime_watch_pool(wmem_allocator_t *pool);

#endif /* SIPVI_PRIME_H */
