/* sipvi_label.h — tree labels copied, not printed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_LABEL_H
#define SIPVI_LABEL_H

#include <epan/proto.h>

/* Sets an item's label to length bytes of text (cut to fit a label at a character boundary), as
 * proto_item_set_text(pi, "%.*s", length, text) does, without formatting. */
void sipvi_label_set(proto_item *pi, const char *text, size_t length);

/* A text-only item with its own subtree index (what proto_tree_add_subtree() makes), labelled
 * with length bytes of text. */
proto_item *sipvi_label_add_text(proto_tree *tree, tvbuff_t *tvb, gint start, gint length, gint ett,
                                 const char *text, size_t text_length);

/* Appends ": " and the pieces (NULL ends them) to a protocol item's label, which must still be
 * the protocol's name: what proto_item_append_text(pi, ": %s%s…") makes of it. */
void sipvi_label_protocol(proto_item *pi, const char *first, ...) G_GNUC_NULL_TERMINATED;

#endif /* SIPVI_LABEL_H */
