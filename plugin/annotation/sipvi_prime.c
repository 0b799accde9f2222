/* sipvi_prime.c — the SIP fields sipvi reads stay referenced whenever a tree is built.
 *
 * Why not set_postdissector_wanted_hfids(): a host that sees wanted fields builds a protocol tree
 * for every frame, even a plain `tshark -r` that prints only the summary line; SIP's tree costs
 * far more than sipvi itself (measured: +67% instructions). And the host primes wanted fields on
 * the first pass only, so `-2` and the GUI's re-dissections get no fields at all.
 *
 * What priming does is mark a field referenced (header_field_info.ref_type); a referenced field
 * becomes a real item, findable with proto_get_finfo_ptr_array(), in any tree, visible or not.
 * When a tree is reset after a frame, Wireshark clears the mark of every field it held
 * (free_GPtrArray_value in proto.c). It does so in epan_dissect_reset() and _cleanup() just before
 * it frees the frame's packet pool, so a callback on that pool marks the fields again before
 * the next frame. Without a tree nothing is built and nothing is cleared: the marks cost nothing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <wsutil/wmem/wmem_user_cb.h>

#include "sipvi_compat.h"
#include "sipvi_prime.h"

static const int *primed_fields;
static guint primed_count;
static guint optional_count;
static gboolean (*optional_wanted)(void);

/* Pools with a callback; the host has one (tshark) or a handful (the GUI's dissections). */
static GPtrArray *watched_pools;
static wmem_allocator_t *last_pool;

static header_field_info *
field(int hfid)
{
    return hfid >= 0 ? proto_registrar_get_nth((guint)hfid) : NULL;
}

static void
mark(header_field_info *hfinfo, hf_ref_type type)
{
    if (hfinfo && hfinfo->ref_type == HF_REF_TYPE_NONE)
        hfinfo->ref_type = type;
}

void
sipvi_prime_fields(void)
{
    /* Each primed field costs every tree an array and a hash entry: the optional ones only
     * while someone wants them. */
    guint count = primed_count;
    if (count >= optional_count && !(optional_wanted && optional_wanted()))
        count -= optional_count;
    for (guint i = 0; i < count; i++) {
        header_field_info *hfinfo = field(primed_fields[i]);
        if (!hfinfo)
            continue;
        /* As proto_tree_prime_with_hfid(): the field directly, its protocol indirectly. */
        mark(hfinfo, HF_REF_TYPE_DIRECT);
        mark(field(hfinfo->parent), HF_REF_TYPE_INDIRECT);
    }
}

/* epan_cleanup() frees the last pools after the field registrar: from shutdown on, no marks. */
static void
stop_priming(void)
{
    primed_count = 0;
    if (watched_pools)
        g_ptr_array_free(watched_pools, TRUE);
    watched_pools = NULL;
    last_pool = NULL;
}

void
sipvi_prime_set_fields(const int *hfids, guint count, guint optional, gboolean (*wanted)(void))
{
    primed_fields = hfids;
    primed_count = count;
    optional_count = optional;
    optional_wanted = wanted;
    sipvi_prime_fields();
    register_shutdown_routine(stop_priming);
}

static SIPVI_WMEM_CB_RETURN
after_pool_free(wmem_allocator_t *pool, wmem_cb_event_t event, void *user_data _U_)
{
    sipvi_prime_fields();
    if (event == WMEM_CB_DESTROY_EVENT) {
        if (watched_pools)
            g_ptr_array_remove_fast(watched_pools, pool);
        if (last_pool == pool)
            last_pool = NULL;
        return FALSE;
    }
    return TRUE;
}

void
sipvi_prime_watch_pool(wmem_allocator_t *pool)
{
    if (pool == last_pool)
        return;
    if (!watched_pools)
        watched_pools = g_ptr_array_new();
    for (guint i = 0; i < watched_pools->len; i++) {
        if (g_ptr_array_index(watched_pools, i) == pool) {
            last_pool = pool;
            return;
        }
    }
    wmem_register_callback(pool, after_pool_free, NULL);
    g_ptr_array_add(watched_pools, pool);
    last_pool = pool;
}
