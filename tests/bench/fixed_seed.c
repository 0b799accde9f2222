/* fixed_seed.c — preloaded into every tshark that tests/bench/run measures.
 *
 * Wireshark's hash maps (wmem_map) take their seeds from g_random_int() at start, so the same
 * tshark run lands its keys in different buckets each time: the instruction count of a run over
 * the ordinary bench capture varied by up to 0.5% from one start to the next (hash chains in the
 * conversation table), as much as a tenth of sipvi's budget. With this, both sides of the
 * comparison (plugin and no plugin) run with the same seeds, and a run gives the same count
 * every time. Nothing else in a tshark run depends on g_random_int().
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>

static guint32 state = 0x2545F491u;

/* xorshift32: fixed, never 0. */
guint32
g_random_int(void)
{
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}
