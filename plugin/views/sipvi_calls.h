/* sipvi_calls.h — the reports built on the sipvi tap: -z sipvi,calls, -z sipvi,registrations
 * and the sipvi stats tree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_CALLS_H
#define SIPVI_CALLS_H

void sipvi_register_calls(void);
void sipvi_register_registrations(void);
void sipvi_register_stats_tree(void);

#endif /* SIPVI_CALLS_H */
