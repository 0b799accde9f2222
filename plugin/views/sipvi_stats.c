/* sipvi_stats.c — "tshark -z sipvi,tree" and Statistics → Trạng thái SIP tiếng Việt (sipvi):
 * responses counted by class, then by code, and failed calls by final code, each labelled in
 * Vietnamese.
 *
 * Responses are counted as tshark -z sip,stat counts them, retransmissions included, so the two
 * agree. A call counts as failed once, when the first failure answers its INVITE before any 2xx;
 * a 401/407 challenge is a step of authentication, not a failure.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/stats_tree.h>
#include <epan/stat_groups.h>

#include "sipvi_calls.h"
#include "sipvi_compat.h"
#include "sipvi_prime.h"
#include "sipvi_record.h"
#include "sipvi_table.h"
#include "sipvi_view.h"

static const char responses_node[] = "Phản hồi SIP theo lớp và mã";
static const char failed_node[] = "Cuộc gọi thất bại theo mã cuối";
static const char invalid_node[] = "Mã không hợp lệ (ngoài 100–799)";

static int st_responses = -1;
static int st_failed = -1;
static GHashTable *settled_calls;   /* Call-IDs already counted as failed or that succeeded */

static void
stats_init(stats_tree *st)
{
    st_responses = stats_tree_create_node(st, responses_node, 0, STAT_DT_INT, TRUE);
    st_failed = stats_tree_create_node(st, failed_node, 0, STAT_DT_INT, TRUE);
    if (settled_calls)
        g_hash_table_remove_all(settled_calls);
    else
        settled_calls = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    /* Now that a listener exists, SIP's Call-ID and CSeq are wanted from the first frame on. */
    sipvi_prime_fields();
}

static void
code_label(char *buf, size_t size, guint32 code)
{
    sipvi_view_t v;
    sipvi_view_of(code, &v);
    if (v.valid)
        snprintf(buf, size, "%u %s", code, v.meaning);
    else
        snprintf(buf, size, "%u", code);
}

static void
count_response(stats_tree *st, const sipvi_message_t *m)
{
    char klass[128], code[512];
    tick_stat_node(st, responses_node, 0, TRUE);
    if (sipvi_code_is_valid(m->code)) {
        snprintf(klass, sizeof klass, "%uxx %s", m->code / 100,
                 sipvi_class_table[m->code / 100].name);
    } else {
        snprintf(klass, sizeof klass, "%s", invalid_node);
    }
    int klass_id = tick_stat_node(st, klass, st_responses, TRUE);
    code_label(code, sizeof code, m->code);
    tick_stat_node(st, code, klass_id, FALSE);
}

static void
count_call(stats_tree *st, const sipvi_message_t *m)
{
    if (m->resend || !m->call_id || !m->method || strcmp(m->method, "INVITE") != 0 ||
            !sipvi_code_is_final(m->code) || m->code == 401 || m->code == 407 ||
            g_hash_table_contains(settled_calls, m->call_id))
        return;
    g_hash_table_add(settled_calls, g_strdup(m->call_id));
    if (m->code < 300)
        return;
    char code[512];
    code_label(code, sizeof code, m->code);
    tick_stat_node(st, failed_node, 0, TRUE);
    tick_stat_node(st, code, st_failed, FALSE);
}

static tap_packet_status
stats_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *data,
             tap_flags_t flags _U_)
{
    const sipvi_frame_t *frame = (const sipvi_frame_t *)data;
    for (guint i = 0; i < frame->n_messages; i++) {
        const sipvi_message_t *m = &frame->messages[i];
        if (!m->is_response)
            continue;
        count_response(st, m);
        count_call(st, m);
    }
    return TAP_PACKET_REDRAW;
}

void
sipvi_register_stats_tree(void)
{
    /* Registered as a plugin's tree: Wireshark's Qt window puts only those in a menu
     * (Statistics → Trạng thái SIP tiếng Việt (sipvi)); its own trees have fixed menu entries.
     * One path segment, since the separator is "/" in 4.0 and "//" from 4.4 on. */
    SIPVI_STATS_TREE_REGISTER_PLUGIN("sipvi", "sipvi", "Trạng thái SIP tiếng Việt (sipvi)",
                                     TL_REQUIRES_PROTO_TREE, stats_packet, stats_init);
}
