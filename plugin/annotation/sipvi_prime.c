/* sipvi_prime.c — SIP's fields as sipvi reads them, built in every protocol tree, at the least cost.
 *
 * Why not set_postdissector_wanted_hfids(): a host that sees wanted fields builds a protocol tree
 * for every frame, even a plain `tshark -r` that prints only the summary line; SIP's tree costs
 * far more than sipvi itself (measured: +67% instructions). And the host primes wanted fields on
 * the first pass only, so `-2` and the GUI's re-dissections get no fields at all.
 *
 * Two kinds of trees:
 * - An invisible tree (display filters, colouring rules, taps) "fakes" every item nobody
 *   references: the item is never made. There sipvi marks its fields referenced
 *   (header_field_info.ref_type, as proto_tree_prime_with_hfid() does); a referenced field becomes
 *   a real item, found with proto_get_finfo_ptr_array(). When a tree is reset after a frame,
 *   Wireshark clears the mark of every field it held (free_GPtrArray_value in proto.c). It does so
 *   in epan_dissect_reset() and _cleanup() just before it frees the frame's packet pool, so a
 *   callback on that pool marks the fields again before the next frame.
 * - A visible tree (-V, 4.0's -T fields, the packet details) makes every item anyway. A mark
 *   there only costs: each marked field of each frame gets a hash entry and an array in
 *   Wireshark's table of interesting fields, and the first one a hash table (measured: 8,400
 *   instructions a frame, a quarter of what sipvi cost a -V run). So sipvi marks nothing while
 *   no invisible tree exists, and reads a visible tree by walking SIP's part of it once a frame.
 *
 * Which trees exist: an epan plugin's dissect_init/dissect_cleanup hooks see every
 * epan_dissect_t made and freed (epan/epan.h), with its tree; sipvi_tree_hook.c reports the one
 * tree it makes itself. Should the hooks ever not run, the first invisible tree sipvi meets
 * without marks turns the marks on for good (sipvi_prime_check_tree), with a warning on stderr,
 * which fails every tshark test (tests/harness.py fails on any stderr). The visible tree's walk
 * relies on where SIP's items sit (below SIP's protocol items, ICMP's at the top):
 * tests/test_expert.py compares a visible tree's expert items with an invisible one's on every
 * capture and series.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
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

/* The live dissections whose tree is invisible. */
static GPtrArray *hidden_trees;
/* The hooks did not tell of an invisible tree sipvi met: mark whatever the trees. */
static gboolean always_mark;

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

static gboolean
marks_needed(void)
{
    return always_mark || (hidden_trees && hidden_trees->len > 0);
}

static void
mark_fields(void)
{
    /* Each marked field costs every tree an array and a hash entry: the optional ones only
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

void
sipvi_prime_fields(void)
{
    if (marks_needed())
        mark_fields();
}

/* --- Which trees exist ---------------------------------------------------------------------- */

void
sipvi_prime_hidden_tree(epan_dissect_t *edt)
{
    if (!hidden_trees)
        hidden_trees = g_ptr_array_new();
    if (!g_ptr_array_find(hidden_trees, edt, NULL))
        g_ptr_array_add(hidden_trees, edt);
    mark_fields();
}

static void
edt_made(epan_dissect_t *edt)
{
    if (edt->tree && !PTREE_DATA(edt->tree)->visible)
        sipvi_prime_hidden_tree(edt);
}

/* Marks left behind cost a visible tree only until its first reset clears them. */
static void
edt_freed(epan_dissect_t *edt)
{
    if (hidden_trees)
        g_ptr_array_remove_fast(hidden_trees, edt);
}

static void
hook_nothing(void)
{
}

void
sipvi_prime_register_hooks(void)
{
    /* epan.c calls every member but the register_* ones without checking it. */
    static const epan_plugin hooks = {
        .init = hook_nothing,
        .post_init = hook_nothing,
        .dissect_init = edt_made,
        .dissect_cleanup = edt_freed,
        .cleanup = hook_nothing,
    };
    epan_register_plugin(&hooks);
}

void
sipvi_prime_check_tree(proto_tree *tree)
{
    if (!PTREE_DATA(tree)->visible && !marks_needed()) {
        ws_warning("sipvi: an invisible protocol tree nobody announced; marking SIP's fields "
                   "from now on");
        always_mark = TRUE;
        mark_fields();
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

/* --- Reading a visible tree ----------------------------------------------------------------- */

/* Each primed field's occurrences in the last visible tree read, in the order of the tree, which
 * is the order Wireshark made them in (an item is always added as its parent's last child). */
static GPtrArray **found;
/* Slot + 1 of a field, indexed by hfid - slot_base; 0: not one of sipvi's. */
static guint8 *slot_of;
static guint found_count;
static int slot_base;
static guint slot_span;
static int proto_sip = -1;
/* SDP's protocol item, and the "[Generated Call-ID]" items below it (see gather). */
static int proto_sdp = -1;
static int hf_call_id_generated = -1;
/* Items whose parts sipvi never reads (a URI's user and host, SDP's parsed o=, m= and a= lines):
 * the walk takes the item and leaves its children, a quarter of what it met on the ordinary bench
 * capture. Nonzero at hfid - leaf_base for a leaf; a name a series lacks is walked into. */
static const char *const leaf_names[] = {
    "sip.r-uri", "sip.Contact", "sip.contact.uri", "sip.from.addr", "sip.to.addr", "sip.Route",
    "sip.Record-Route", "sip.P-Asserted-Identity", "sdp.owner", "sdp.time", "sdp.media",
    "sdp.media_attr", "sdp.session_attr", "sdp.bandwidth",
};
static guint8 *is_leaf;
static int leaf_base;
static guint leaf_span;
/* Which tree was read: its root, its pool and the pool's reset count. */
static guint resets;
static const proto_tree *read_tree;
static const wmem_allocator_t *read_pool;
static guint read_resets;

/* Occurrences of a field a frame usually has room for (an array is never shrunk, and its len is
 * set back to 0 for each tree; beyond this, g_ptr_array_add() grows it). */
#define FOUND_ROOM 32

/* A byte per hfid from the smallest to the largest of ids (those below 0 skipped): i + 1 for
 * ids[i], 0 for any other field; NULL when no id is 0 or more. */
static guint8 *
id_table(const int *ids, guint n, int *base, guint *span)
{
    int lo = G_MAXINT, hi = -1;
    for (guint i = 0; i < n; i++) {
        if (ids[i] >= 0) {
            lo = MIN(lo, ids[i]);
            hi = MAX(hi, ids[i]);
        }
    }
    if (hi < 0)
        return NULL;
    *base = lo;
    *span = (guint)(hi - lo + 1);
    guint8 *table = g_new0(guint8, *span);
    for (guint i = 0; i < n; i++) {
        if (ids[i] >= 0)
            table[ids[i] - lo] = (guint8)(i + 1);
    }
    return table;
}

static void
make_slots(void)
{
    if (primed_count > G_MAXUINT8 ||
            !(slot_of = id_table(primed_fields, primed_count, &slot_base, &slot_span))) {
        /* Cannot read a visible tree without marks: mark in every tree. */
        always_mark = TRUE;
        return;
    }
    found = g_new0(GPtrArray *, primed_count);
    found_count = primed_count;
    for (guint i = 0; i < primed_count; i++) {
        if (primed_fields[i] < 0)
            continue;
        /* Room for FOUND_ROOM without GLib's call (see take); len is set back to 0. */
        found[i] = g_ptr_array_sized_new(FOUND_ROOM);
        g_ptr_array_set_size(found[i], FOUND_ROOM);
        found[i]->len = 0;
    }
    proto_sip = proto_get_id_by_filter_name("sip");
    proto_sdp = proto_get_id_by_filter_name("sdp");
    hf_call_id_generated = proto_registrar_get_id_byname("sip.call_id_generated");

    int ids[G_N_ELEMENTS(leaf_names)];
    for (size_t i = 0; i < G_N_ELEMENTS(leaf_names); i++)
        ids[i] = proto_registrar_get_id_byname(leaf_names[i]);
    is_leaf = id_table(ids, G_N_ELEMENTS(leaf_names), &leaf_base, &leaf_span);
}

static void
free_slots(void)
{
    if (found) {
        for (guint i = 0; i < found_count; i++) {
            if (found[i])
                g_ptr_array_free(found[i], TRUE);
        }
    }
    g_free(found);
    g_free(slot_of);
    g_free(is_leaf);
    is_leaf = NULL;
    leaf_span = 0;
    found = NULL;
    found_count = 0;
    slot_of = NULL;
    slot_span = 0;
    read_tree = NULL;
}

/* Every item below node, in the order of the tree (some hundred items for an INVITE with SDP). */
static inline void
take(const field_info *fi)
{
    guint id = fi ? (guint)fi->hfinfo->id - (guint)slot_base : G_MAXUINT;
    if (id < slot_span && slot_of[id]) {
        GPtrArray *a = found[slot_of[id] - 1];
        if (G_LIKELY(a->len < FOUND_ROOM))
            a->pdata[a->len++] = (gpointer)fi;
        else
            g_ptr_array_add(a, (gpointer)fi);
    }
}

static void
gather(const proto_node *node)
{
    /* Wireshark 4.0 hangs a "[Generated Call-ID]" item below each SDP for every call set up so
     * far in the file, after SDP's own items: hundreds a frame late in a capture of many calls
     * (the ordinary bench capture: 230 an SDP on average, 60% of the items the walk met). The
     * walk leaves an SDP at the first of them that follows one of SDP's own items. */
    const field_info *container = PNODE_FINFO(node);
    int stop_at = container && container->hfinfo->id == proto_sdp ? hf_call_id_generated : -2;
    for (const proto_node *n = node->first_child; n; n = n->next) {
        const field_info *fi = PNODE_FINFO(n);
        if (fi && fi->hfinfo->id == stop_at && n != node->first_child)
            break;
        take(fi);
        if (n->first_child) {
            guint leaf = fi ? (guint)(fi->hfinfo->id - leaf_base) : G_MAXUINT;
            if (leaf >= leaf_span || !is_leaf[leaf])
                gather(n);
        }
    }
}

static gboolean
has_sip_layer(const packet_info *pinfo)
{
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        if (GPOINTER_TO_INT(wmem_list_frame_data(f)) == proto_sip)
            return TRUE;
    }
    return FALSE;
}

static void
read_visible_tree(proto_tree *tree)
{
    /* No free function and nothing to free: emptied in place (g_ptr_array_set_size() would
     * walk a removal per array). */
    for (guint i = 0; i < primed_count; i++) {
        if (found[i])
            found[i]->len = 0;
    }
    const packet_info *pinfo = PTREE_DATA(tree)->pinfo;
    if (!has_sip_layer(pinfo))
        return;
    /* SIP's items (SDP's among them) lie under its protocol items, at the top of the tree; only
     * those are read, unless SIP sits deeper in some other protocol's part. The protocol items
     * sipvi reads (ICMP's, whose error quotes the SIP message: its quoted protocols go to the top
     * of the tree too) are top items themselves. */
    gboolean top = FALSE;
    for (proto_node *n = tree->first_child; n; n = n->next) {
        const field_info *fi = PNODE_FINFO(n);
        if (fi && fi->hfinfo->id == proto_sip) {
            top = TRUE;
            gather(n);
        } else {
            take(fi);
        }
    }
    if (!top) {
        for (guint i = 0; i < primed_count; i++) {
            if (found[i])
                found[i]->len = 0;
        }
        gather(tree);
    }
}

void
sipvi_prime_read(proto_tree *tree, sipvi_prime_reader_t *reader)
{
    const tree_data_t *td = PTREE_DATA(tree);
    memset(reader, 0, sizeof *reader);
    if (!td->visible || !slot_of) {
        reader->invisible = tree;
        return;
    }
    const wmem_allocator_t *pool = td->pinfo->pool;
    if (G_UNLIKELY(tree != read_tree || pool != read_pool || resets != read_resets)) {
        read_visible_tree(tree);
        read_tree = tree;
        read_pool = pool;
        read_resets = resets;
    }
    reader->found = found;
    reader->slot_of = slot_of;
    reader->base = slot_base;
    reader->span = slot_span;
}

void
sipvi_prime_set_fields(const int *hfids, guint count, guint optional, gboolean (*wanted)(void))
{
    primed_fields = hfids;
    primed_count = count;
    optional_count = optional;
    optional_wanted = wanted;
    make_slots();
    sipvi_prime_fields();
    register_shutdown_routine(free_slots);
    register_shutdown_routine(stop_priming);
}

static SIPVI_WMEM_CB_RETURN
after_pool_free(wmem_allocator_t *pool, wmem_cb_event_t event, void *user_data _U_)
{
    /* Whatever was read from a tree of this pool is gone with it. */
    resets++;
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
