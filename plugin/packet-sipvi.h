/* packet-sipvi.h — registration of the sipvi post-dissector.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_SIPVI_H
#define PACKET_SIPVI_H

void proto_register_sipvi(void);
void proto_reg_handoff_sipvi(void);

#endif /* PACKET_SIPVI_H */
