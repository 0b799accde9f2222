/* sipvi_diag_table.h — the GUI tables of calls and registrations with their diagnosis
 * (Telephony menu; -z sipvi,calls_table and -z sipvi,registrations_table).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_DIAG_TABLE_H
#define SIPVI_DIAG_TABLE_H

void sipvi_register_diag_tables(void);

/* A frame is being dissected with a protocol tree: the pass a table asked a tree for has
 * begun, so the request is withdrawn (see sipvi_diag_table.c). */
void sipvi_diag_table_tree_seen(void);

#endif /* SIPVI_DIAG_TABLE_H */
