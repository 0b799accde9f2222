/* sipvi_diag_table.c — the calls and the registrations with their diagnosis as Wireshark
 * statistics tables: Telephony → "Chẩn đoán cuộc gọi (sipvi)" and "Chẩn đoán đăng ký (sipvi)".
 *
 * A stat_tap_table_ui is what Wireshark 4.0 to 4.6 offers a plugin for a table in the window:
 * the Qt UI puts it in the menu of its group, with a display filter, Copy and Save as (CSV,
 * YAML); tshark prints the same table for -z sipvi,calls_table (and ,registrations_table), which
 * is how the tests compare the window with the reports. The rows come from the same book as the
 * -z reports (sipvi_dialogs.c); each packet updates the rows of the dialogs it belongs to, so the
 * table is right whenever Wireshark draws it. The -z names have one comma: Wireshark's window
 * takes the first two comma-separated words of `wireshark -z` as the table's name, the rest as
 * its display filter.
 *
 * The dialog listens without asking for a protocol tree (SimpleStatisticsDialog passes no flags),
 * but the codecs of an offer, Reason and Warning exist only in SIP's tree. The table's init asks
 * for one with a listener of its own that only carries TL_REQUIRES_PROTO_TREE, registered just
 * before the dialog's retap decides whether to build trees; sipvi drops it at the first frame it
 * sees with a tree (sipvi_diag_table_tree_seen), so later passes over the file are not slowed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "sipvi_compat.h"
#include "sipvi_diag_table.h"
#include "sipvi_dialogs.h"
#include "sipvi_prime.h"
#include "sipvi_report.h"

/* The marker listener: its address is its tap data. */
static int tree_marker;
static gboolean tree_asked;

static void
ask_for_tree(void)
{
    if (tree_asked)
        return;
    GString *error = register_tap_listener("sipvi", &tree_marker, NULL, TL_REQUIRES_PROTO_TREE,
                                           NULL, NULL, NULL, NULL);
    if (error) {
        /* Cannot happen for a registered tap without a filter; the table then lacks only what
         * SIP's tree holds (codecs, Reason, Warning). */
        g_string_free(error, TRUE);
        return;
    }
    tree_asked = TRUE;
    /* The dialog fields (Call-ID, From, To …) are wanted while a sipvi listener exists. */
    sipvi_prime_fields();
}

void
sipvi_diag_table_tree_seen(void)
{
    if (!tree_asked)
        return;
    tree_asked = FALSE;
    remove_tap_listener(&tree_marker);
}

/* One row of a table: its cells are owned strings, except the first frame. */
static void
ensure_row(stat_tap_table *table, guint row, const stat_tap_table_item *columns, guint n)
{
    if (row < table->num_elements)
        return;
    stat_tap_table_item_type items[16];
    memset(items, 0, sizeof items);
    for (guint c = 0; c < n && c < G_N_ELEMENTS(items); c++)
        items[c].type = columns[c].type;
    stat_tap_init_table_row(table, row, n, items);
}

static void
set_text(stat_tap_table *table, guint row, guint column, const char *text)
{
    stat_tap_table_item_type *item = stat_tap_get_field_data(table, row, column);
    if (item->value.string_value && strcmp(item->value.string_value, text) == 0)
        return;
    g_free((char *)item->value.string_value);
    item->value.string_value = g_strdup(text);
}

static void
set_number(stat_tap_table *table, guint row, guint column, guint value)
{
    stat_tap_get_field_data(table, row, column)->value.uint_value = value;
}

static void
free_item(stat_tap_table *table _U_, guint row _U_, guint column _U_,
          stat_tap_table_item_type *item)
{
    if (item->type == TABLE_ITEM_STRING) {
        g_free((char *)item->value.string_value);
        item->value.string_value = NULL;
    }
}

/* Empties a table: its rows follow the book, which starts again. */
static void
empty_table(stat_tap_table *table)
{
    for (guint r = 0; r < table->num_elements; r++) {
        for (guint c = 0; c < table->num_fields; c++)
            free_item(table, r, c, stat_tap_get_field_data(table, r, c));
        g_free(table->elements[r]);
    }
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
}

static const char *
code_text(guint32 code, char *buf, size_t size)
{
    if (!code)
        return "—";
    snprintf(buf, size, "%u", code);
    return buf;
}

/* ---- Calls ---- */

enum { CALL_FRAME, CALL_TITLE, CALL_CODE, CALL_CALLER, CALL_CALLEE, CALL_EVIDENCE, CALL_ID,
       CALL_CALL_ID, CALL_EXPLANATION, CALL_CHECK, CALL_COLUMNS };

static stat_tap_table_item call_columns[CALL_COLUMNS] = {
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Khung đầu", "%u"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Tiêu đề", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Mã", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Bên gọi", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Bên được gọi", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Khung bằng chứng", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Chẩn đoán", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Call-ID", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Giải thích", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Kiểm tra", "%s"},
};

static const char calls_table_name[] = "Cuộc gọi";
static sipvi_dialogs_t *calls_book;

static void
show_call(stat_tap_table *table, const sipvi_call_t *call)
{
    guint row = call->index;
    ensure_row(table, row, call_columns, CALL_COLUMNS);
    sipvi_diagnosis_t d;
    sipvi_diag_call_decide(&call->diag, &d);
    sipvi_report_diagnosis_t words;
    sipvi_report_diagnosis(&d, NULL, &words);
    char code[16];
    set_number(table, row, CALL_FRAME, call->first_frame);
    set_text(table, row, CALL_TITLE, words.title);
    set_text(table, row, CALL_CODE, code_text(call->final_code, code, sizeof code));
    set_text(table, row, CALL_CALLER, call->caller);
    set_text(table, row, CALL_CALLEE, call->callee);
    set_text(table, row, CALL_EVIDENCE, words.frames);
    set_text(table, row, CALL_ID, words.id);
    set_text(table, row, CALL_CALL_ID, call->call_id);
    set_text(table, row, CALL_EXPLANATION, words.explanation);
    set_text(table, row, CALL_CHECK, words.check);
    sipvi_report_diagnosis_free(&words);
}

static tap_packet_status
calls_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
             tap_flags_t flags _U_)
{
    stat_data_t *stat_data = (stat_data_t *)tapdata;
    stat_tap_table *table = stat_tap_find_table(stat_data->stat_tap_data, calls_table_name);
    const sipvi_frame_t *frame = (const sipvi_frame_t *)data;
    if (!table)
        return TAP_PACKET_DONT_REDRAW;
    if (frame->ip_fragment)
        sipvi_dialogs_note_fragment(calls_book, pinfo);
    gboolean changed = FALSE;
    for (guint i = 0; i < frame->n_messages; i++) {
        const sipvi_call_t *call = sipvi_dialogs_note_call(calls_book, pinfo, &frame->messages[i]);
        if (call) {
            show_call(table, call);
            changed = TRUE;
        }
    }
    return changed ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
}

static void
calls_reset(stat_tap_table *table)
{
    sipvi_dialogs_reset(calls_book);
    empty_table(table);
}

static void
calls_init(stat_tap_table_ui *ui)
{
    if (!calls_book)
        calls_book = sipvi_dialogs_new();
    if (!stat_tap_find_table(ui, calls_table_name)) {
        sipvi_dialogs_reset(calls_book);
        stat_tap_add_table(ui, stat_tap_init_table(calls_table_name, CALL_COLUMNS, 0, NULL));
    }
    ask_for_tree();
}

/* ---- Registrations ---- */

enum { REG_FRAME, REG_TITLE, REG_CODE, REG_AOR, REG_EVIDENCE, REG_ID, REG_CALL_ID,
       REG_EXPLANATION, REG_CHECK, REG_COLUMNS };

static stat_tap_table_item reg_columns[REG_COLUMNS] = {
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Khung đầu", "%u"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Tiêu đề", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Mã", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Địa chỉ đăng ký (AOR)", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Khung bằng chứng", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Chẩn đoán", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Call-ID", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Giải thích", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Kiểm tra", "%s"},
};

static const char regs_table_name[] = "Đăng ký";
static sipvi_dialogs_t *regs_book;

static void
show_registration(stat_tap_table *table, const sipvi_registration_t *reg)
{
    guint row = reg->index;
    ensure_row(table, row, reg_columns, REG_COLUMNS);
    sipvi_diagnosis_t d;
    sipvi_diag_reg_decide(&reg->diag, &d);
    sipvi_report_diagnosis_t words;
    sipvi_report_diagnosis(&d, reg->aor, &words);
    char code[16];
    set_number(table, row, REG_FRAME, reg->first_frame);
    set_text(table, row, REG_TITLE, words.title);
    set_text(table, row, REG_CODE, code_text(reg->diag.final_code, code, sizeof code));
    set_text(table, row, REG_AOR, reg->aor);
    set_text(table, row, REG_EVIDENCE, words.frames);
    set_text(table, row, REG_ID, words.id);
    set_text(table, row, REG_CALL_ID, reg->call_id);
    set_text(table, row, REG_EXPLANATION, words.explanation);
    set_text(table, row, REG_CHECK, words.check);
    sipvi_report_diagnosis_free(&words);
}

static tap_packet_status
regs_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
            tap_flags_t flags _U_)
{
    stat_data_t *stat_data = (stat_data_t *)tapdata;
    stat_tap_table *table = stat_tap_find_table(stat_data->stat_tap_data, regs_table_name);
    const sipvi_frame_t *frame = (const sipvi_frame_t *)data;
    if (!table)
        return TAP_PACKET_DONT_REDRAW;
    gboolean changed = FALSE;
    for (guint i = 0; i < frame->n_messages; i++) {
        const sipvi_registration_t *reg =
            sipvi_dialogs_note_registration(regs_book, pinfo, &frame->messages[i]);
        if (reg) {
            show_registration(table, reg);
            changed = TRUE;
        }
    }
    return changed ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
}

static void
regs_reset(stat_tap_table *table)
{
    sipvi_dialogs_reset(regs_book);
    empty_table(table);
}

static void
regs_init(stat_tap_table_ui *ui)
{
    if (!regs_book)
        regs_book = sipvi_dialogs_new();
    if (!stat_tap_find_table(ui, regs_table_name)) {
        sipvi_dialogs_reset(regs_book);
        stat_tap_add_table(ui, stat_tap_init_table(regs_table_name, REG_COLUMNS, 0, NULL));
    }
    ask_for_tree();
}

static tap_param filter_param[] = {
    {PARAM_FILTER, "filter", "Bộ lọc", NULL, TRUE}
};

static stat_tap_table_ui calls_table_ui = {
    SIPVI_STAT_GROUP_TELEPHONY, "Chẩn đoán cuộc gọi (sipvi)", "sipvi", "sipvi,calls_table",
    calls_init, calls_packet, calls_reset, free_item, NULL,
    CALL_COLUMNS, call_columns, G_N_ELEMENTS(filter_param), filter_param, NULL, 0
};

static stat_tap_table_ui regs_table_ui = {
    SIPVI_STAT_GROUP_TELEPHONY, "Chẩn đoán đăng ký (sipvi)", "sipvi", "sipvi,registrations_table",
    regs_init, regs_packet, regs_reset, free_item, NULL,
    REG_COLUMNS, reg_columns, G_N_ELEMENTS(filter_param), filter_param, NULL, 0
};

void
sipvi_register_diag_tables(void)
{
    register_stat_tap_table_ui(&calls_table_ui);
    register_stat_tap_table_ui(&regs_table_ui);
}
