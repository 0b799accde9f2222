/* sipvi_label.c — tree labels copied, not printed.
 *
 * Every proto_item_set_text(), _append_text() and *_format() call goes through vsnprintf, which
 * costs several hundred instructions for even a "%s", and sipvi labels about ten items per
 * response in a visible tree (measured: a fifth of what sipvi cost a -V run). The labels sipvi
 * sets are whole strings it already has, so it writes them into the item's label the way
 * proto_tree_set_representation() does (epan/proto.c): a label of the packet's pool in
 * field_info.rep, none for a hidden item of an invisible tree, cut to ITEM_LABEL_LENGTH. Both
 * field_info.rep and item_label_t are in the public proto.h; 4.6 added the position of the value
 * in the label, which Wireshark itself sets to 0 for a label given as text.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <string.h>

#include <wireshark.h>
#include <epan/proto.h>

#include "sipvi_compat.h"
#include "sipvi_label.h"
#include "sipvi_view.h"

static item_label_t *
label_of(proto_item *pi)
{
    field_info *fi = pi ? PITEM_FINFO(pi) : NULL;
    if (!fi || proto_item_is_hidden(pi))
        return NULL;
    if (!fi->rep)
        fi->rep = wmem_new(PNODE_POOL(pi), item_label_t);
#if SIPVI_WS_AT_LEAST(4, 5)
    fi->rep->value_pos = 0;
    fi->rep->value_len = 0;
#endif
    return fi->rep;
}

/* Copies what fits of text at label[used]; the new length. */
static size_t
put(char *label, size_t used, const char *text, size_t length)
{
    if (length > ITEM_LABEL_LENGTH - 1 - used)
        length = sipvi_utf8_cut(text, ITEM_LABEL_LENGTH - 1 - used);
    memcpy(label + used, text, length);
    used += length;
    label[used] = '\0';
    return used;
}

void
sipvi_label_set(proto_item *pi, const char *text, size_t length)
{
    item_label_t *rep = label_of(pi);
    if (rep)
        put(rep->representation, 0, text, length);
}

proto_item *
sipvi_label_add_text(proto_tree *tree, tvbuff_t *tvb, gint start, gint length, gint ett,
                     const char *text, size_t text_length)
{
    proto_item *pi = proto_tree_add_item(tree, hf_text_only, tvb, start, length, ENC_NA);
    sipvi_label_set(pi, text, text_length);
    /* The lines have no children, but an index of their own, as proto_tree_add_subtree() gives. */
    proto_tree *unused = proto_item_add_subtree(pi, ett);
    (void)unused;
    return pi;
}

void
sipvi_label_protocol(proto_item *pi, const char *first, ...)
{
    item_label_t *rep = label_of(pi);
    if (!rep)
        return;
    const char *name = PITEM_FINFO(pi)->hfinfo->name;
    size_t used = put(rep->representation, 0, name, strlen(name));
    used = put(rep->representation, used, ": ", 2);
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        used = put(rep->representation, used, s, strlen(s));
    va_end(ap);
}
