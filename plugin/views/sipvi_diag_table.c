/* sipvi_diag_table.c — the calls and the registrations with their diagnosis as Wireshark
 * statistics tables: Telephony → "Chẩn đoán cuộc gọi (sipvi)" and "Chẩn đoán đăng ký (sipvi)".
 *
 * A stat_tap_table_ui is what Wireshark 4.0 to 4.6 offers a plugin for a table in the window:
 * the Qt UI puts it in the menu of its group, with a display filter, Copy and Save as (CSV,
 * YAML); tshark prints the same table for -z sipvi,calls_table (and sipvi,registrations_table): that
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
 * This relies on the hosts reading the listeners' flags once, before a pass's first frame; the
 * GUI tests fail the day a series changes that (the row of a CANCEL with Reason: SIP;cause=200
 * reads answered_elsewhere only with SIP's tree).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "sipvi_call_media.h"
#include "sipvi_compat.h"
#include "sipvi_diag_table.h"
#include "sipvi_media.h"
#include "sipvi_media_diagnosis.h"
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
    stat_tap_table_item_type items[32];
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

/* A cell never filled yet shows empty, not "(null)". */
static void
ensure_text(stat_tap_table *table, guint row, guint column)
{
    stat_tap_table_item_type *item = stat_tap_get_field_data(table, row, column);
    if (!item->value.string_value)
        item->value.string_value = g_strdup("");
}

static void
set_number(stat_tap_table *table, guint row, guint column, guint value)
{
    stat_tap_get_field_data(table, row, column)->value.uint_value = value;
}

static void
free_cell(stat_tap_table_item_type *item)
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
            free_cell(stat_tap_get_field_data(table, r, c));
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

/* The columns: the first frame, the title, the final code, who (caller and callee, or the AOR),
 * then the same five for both tables. */
static stat_tap_table_item call_columns[] = {
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
    /* The media figures per direction, named by the receiver (docs/media.md); appended so that
     * the columns before keep their places. */
    {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Gói RTP tới bên gọi", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Mất gói tới bên gọi (%)", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Jitter tới bên gọi (ms, trung bình/tối đa)", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "MOS tới bên gọi", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Gói RTP tới bên được gọi", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Mất gói tới bên được gọi (%)", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Jitter tới bên được gọi (ms, trung bình/tối đa)", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "MOS tới bên được gọi", "%s"},
};

static stat_tap_table_item registration_columns[] = {
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

typedef struct {
    const char *name;               /* the table's title in the dialog */
    const stat_tap_table_item *columns;
    guint n_columns;
    gboolean registrations;
    sipvi_dialogs_t *book;          /* its rows, in the same order */
    GArray *pending;                /* pending_t: rows whose diagnosis a timer will change */
    sipvi_media_t *media;           /* calls: the capture's RTP, for the media columns */
    gboolean refresh_listening;     /* calls: the listener that redraws the rows with media */
    stat_tap_table_ui *ui;          /* the host's, for the table at draw time */
} diag_table_t;

/* A row to decide again once the capture reaches `at` (a request's timer running out), even if
 * no message of its dialog comes: the table then reads what the report reads at the end. */
typedef struct {
    guint index;
    double at;
} pending_t;

static diag_table_t calls_table = {
    "Cuộc gọi", call_columns, G_N_ELEMENTS(call_columns), FALSE, NULL, NULL, NULL, FALSE, NULL
};
static diag_table_t registrations_table = {
    "Đăng ký", registration_columns, G_N_ELEMENTS(registration_columns), TRUE, NULL, NULL, NULL,
    FALSE, NULL
};

/* What a row shows of one call or registration. */
typedef struct {
    guint index;
    guint32 first_frame;
    guint32 final_code;
    const char *who[2];             /* caller and callee, or the AOR alone */
    guint n_who;
    const char *call_id;
    const char *aor;                /* a registration's, for its explanation */
    const sipvi_call_media_t *media; /* a call's, for its media figures and diagnosis */
    sipvi_diagnosis_t diagnosis;
} row_t;

/* A number, or an empty cell when it does not apply. */
static void
set_figure(stat_tap_table *table, guint row, guint column, const char *format, double value,
           gboolean applies)
{
    char buf[48] = "";
    if (applies)
        snprintf(buf, sizeof buf, format, value);
    set_text(table, row, column, buf);
}

/* The four media columns of both directions, as the calls CSV fills its cells
 * (sipvi_call_media_report.c): empty when the receiver declared no media or the capture holds no
 * RTP at all; loss, jitter and MOS empty without packets. */
static void
show_media(const diag_table_t *t, stat_tap_table *table, const row_t *r, guint c)
{
    sipvi_direction_figures_t f[2];
    sipvi_call_media_figures(r->media, t->media, f);
    gboolean any_media = sipvi_media_n_streams(t->media) > 0;
    for (int d = 0; d < 2; d++) {
        gboolean applies = any_media && f[d].declared;
        gboolean has = applies && f[d].packets > 0;
        set_figure(table, r->index, c++, "%.0f", f[d].packets, applies);
        set_figure(table, r->index, c++, "%.1f", f[d].lost_pct, has);
        char jitter[48] = "";
        if (has)
            snprintf(jitter, sizeof jitter, "%.1f/%.1f", f[d].mean_jitter_ms, f[d].max_jitter_ms);
        set_text(table, r->index, c++, jitter);
        set_figure(table, r->index, c++, "%.2f", f[d].mos, has && f[d].mos >= 0);
    }
}

/* with_media: the media figures and diagnosis too (the calls table), read from the media book;
 * else the media cells keep what the last refresh put there. */
static void
show_row(const diag_table_t *t, stat_tap_table *table, const row_t *r, gboolean with_media)
{
    ensure_row(table, r->index, t->columns, t->n_columns);
    sipvi_diag_wording_t words;
    sipvi_diagnosis_t diagnosis = r->diagnosis;
    sipvi_diag_wording(&diagnosis, r->aor, &words);
    /* As -z sipvi,calls decides a row (sipvi_calls.c make_row): an answered call's media fault
     * becomes its diagnosis. */
    if (r->media && t->media && with_media)
        sipvi_media_diagnose(r->media, t->media, &diagnosis, &words);
    char code[16];
    guint c = 0;
    set_number(table, r->index, c++, r->first_frame);
    set_text(table, r->index, c++, words.title);
    set_text(table, r->index, c++, code_text(r->final_code, code, sizeof code));
    for (guint w = 0; w < r->n_who; w++)
        set_text(table, r->index, c++, r->who[w]);
    set_text(table, r->index, c++, words.frames);
    set_text(table, r->index, c++, words.id);
    set_text(table, r->index, c++, r->call_id);
    set_text(table, r->index, c++, words.explanation);
    set_text(table, r->index, c++, words.check);
    if (r->media && t->media && with_media)
        show_media(t, table, r, c);
    else
        for (; c < t->n_columns; c++)
            ensure_text(table, r->index, c);
    sipvi_diag_wording_free(&words);
}

/* The row of the book's index-th call or registration, decided on what was read so far. */
static void
row_of(diag_table_t *t, guint index, row_t *r)
{
    memset(r, 0, sizeof *r);
    if (t->registrations) {
        const sipvi_registration_t *reg =
            (const sipvi_registration_t *)g_ptr_array_index(t->book->registrations, index);
        *r = (row_t){reg->index, reg->first_frame, reg->diag.final_code, {reg->aor, NULL}, 1,
                     reg->call_id, reg->aor, NULL, {0}};
        sipvi_diag_reg_decide(&reg->diag, sipvi_dialogs_end(), &r->diagnosis);
    } else {
        const sipvi_call_t *call = (const sipvi_call_t *)g_ptr_array_index(t->book->calls, index);
        *r = (row_t){call->index, call->first_frame, call->final_code,
                     {call->caller, call->callee}, 2, call->call_id, NULL, &call->media, {0}};
        sipvi_diag_call_decide(&call->diag, sipvi_dialogs_end(), &r->diagnosis);
    }
}

static void
set_pending(diag_table_t *t, guint index, double at)
{
    for (guint i = 0; i < t->pending->len; i++) {
        pending_t *p = &g_array_index(t->pending, pending_t, i);
        if (p->index == index) {
            if (at > 0)
                p->at = at;
            else
                g_array_remove_index_fast(t->pending, i);
            return;
        }
    }
    if (at > 0) {
        pending_t p = {index, at};
        g_array_append_val(t->pending, p);
    }
}

/* Feeds a message to the table's book; FALSE when it belongs to none of its rows. */
static gboolean
note(diag_table_t *t, packet_info *pinfo, const sipvi_message_t *m, row_t *r)
{
    guint index;
    if (t->registrations) {
        const sipvi_registration_t *reg = sipvi_dialogs_note_registration(t->book, pinfo, m);
        if (!reg)
            return FALSE;
        index = reg->index;
    } else {
        const sipvi_call_t *call = sipvi_dialogs_note_call(t->book, pinfo, m);
        if (!call)
            return FALSE;
        index = call->index;
    }
    row_of(t, index, r);
    set_pending(t, index, r->diagnosis.recheck_at);
    return TRUE;
}

/* The rows whose timer ran out by now: decided again, though no message of theirs came. */
static gboolean
recheck(diag_table_t *t, stat_tap_table *table, double now)
{
    gboolean changed = FALSE;
    for (guint i = 0; i < t->pending->len;) {
        pending_t *p = &g_array_index(t->pending, pending_t, i);
        if (p->at > now) {
            i++;
            continue;
        }
        row_t row;
        guint index = p->index;
        g_array_remove_index_fast(t->pending, i);
        row_of(t, index, &row);
        show_row(t, table, &row, FALSE);
        set_pending(t, index, row.diagnosis.recheck_at > now ? row.diagnosis.recheck_at : 0);
        changed = TRUE;
    }
    return changed;
}

/* RTP does not pass the sipvi tap: the media cells and an answered call's media diagnosis are
 * filled when the table is drawn. The host draws its listeners newest first, so this listener
 * is registered at the table's first packet, after the dialog's own (tshark's -z table or the
 * window's): it redraws the rows just before the host shows them. */
static tap_packet_status
refresh_packet(void *tapdata _U_, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
               const void *data _U_, tap_flags_t flags _U_)
{
    return TAP_PACKET_DONT_REDRAW;
}

static void
refresh_draw(void *tapdata)
{
    diag_table_t *t = (diag_table_t *)tapdata;
    stat_tap_table *table = t->ui ? stat_tap_find_table(t->ui, t->name) : NULL;
    if (!table || !t->media || !t->book)
        return;
    sipvi_media_finish(t->media);
    for (guint i = 0; i < t->book->calls->len; i++) {
        row_t row;
        row_of(t, i, &row);
        show_row(t, table, &row, TRUE);
    }
}

static void
refresh_listen(diag_table_t *t)
{
    if (t->refresh_listening || !t->media)
        return;
    GString *error = register_tap_listener("sipvi", t, NULL, 0, NULL, refresh_packet,
                                           refresh_draw, NULL);
    if (error) {
        g_string_free(error, TRUE);   /* cannot happen for a tap without a filter */
        return;
    }
    t->refresh_listening = TRUE;
}

/* The media listeners live as long as the table: the host frees a table's cells when its dialog
 * goes away, outside any tap callback. */
static void
media_unlisten(diag_table_t *t)
{
    if (t->refresh_listening) {
        remove_tap_listener(t);
        t->refresh_listening = FALSE;
    }
    sipvi_media_unlisten(t->media);
}

static tap_packet_status
table_packet(diag_table_t *t, void *tapdata, packet_info *pinfo, const void *data)
{
    if (!t->registrations)
        refresh_listen(t);
    stat_data_t *stat_data = (stat_data_t *)tapdata;
    stat_tap_table *table = stat_tap_find_table(stat_data->stat_tap_data, t->name);
    const sipvi_frame_t *frame = (const sipvi_frame_t *)data;
    if (!table)
        return TAP_PACKET_DONT_REDRAW;
    if (frame->ip_fragment && !t->registrations)
        sipvi_dialogs_note_fragment(t->book, pinfo);
    gboolean changed = recheck(t, table, nstime_to_sec(&pinfo->rel_ts));
    for (guint i = 0; i < frame->n_messages; i++) {
        row_t row;
        if (note(t, pinfo, &frame->messages[i], &row)) {
            show_row(t, table, &row, FALSE);
            changed = TRUE;
        }
    }
    return changed ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
}

static void
table_reset(diag_table_t *t, stat_tap_table *table)
{
    sipvi_dialogs_reset(t->book);
    if (t->pending)
        g_array_set_size(t->pending, 0);
    empty_table(table);
}

static void
table_init(diag_table_t *t, stat_tap_table_ui *ui)
{
    if (!t->book)
        t->book = sipvi_dialogs_new();
    if (!t->pending)
        t->pending = g_array_new(FALSE, FALSE, sizeof(pending_t));
    if (!stat_tap_find_table(ui, t->name)) {
        sipvi_dialogs_reset(t->book);
        g_array_set_size(t->pending, 0);
        stat_tap_add_table(ui, stat_tap_init_table(t->name, t->n_columns, 0, NULL));
    }
    t->ui = ui;
    if (!t->registrations) {
        /* A dialog opened again: its listener comes after the old refresh listener, which must
         * come after it (refresh_listen). */
        if (t->refresh_listening) {
            remove_tap_listener(t);
            t->refresh_listening = FALSE;
        }
        if (!t->media)
            t->media = sipvi_media_new();
        else
            sipvi_media_unlisten(t->media);
        sipvi_media_reset(t->media);
        GString *error = NULL;
        if (!sipvi_media_listen(t->media, &error)) {
            /* The host refused a listener: the media cells stay empty. */
            g_string_free(error, TRUE);
        }
    }
    ask_for_tree();
}

/* Wireshark's callbacks carry no data of their own: one set per table. */
static tap_packet_status
calls_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
             tap_flags_t flags _U_)
{
    return table_packet(&calls_table, tapdata, pinfo, data);
}

static tap_packet_status
registrations_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                     const void *data, tap_flags_t flags _U_)
{
    return table_packet(&registrations_table, tapdata, pinfo, data);
}

static void calls_reset(stat_tap_table *table) { table_reset(&calls_table, table); }
static void registrations_reset(stat_tap_table *table) { table_reset(&registrations_table, table); }
static void calls_init(stat_tap_table_ui *ui) { table_init(&calls_table, ui); }
static void registrations_init(stat_tap_table_ui *ui) { table_init(&registrations_table, ui); }

/* Called by the host only, when it frees a table (its dialog goes away). */
static void
free_item(stat_tap_table *table, guint row _U_, guint column _U_, stat_tap_table_item_type *item)
{
    if (table && table->title && strcmp(table->title, calls_table.name) == 0)
        media_unlisten(&calls_table);
    free_cell(item);
}

static tap_param filter_param[] = {
    {PARAM_FILTER, "filter", "Bộ lọc", NULL, TRUE}
};

static stat_tap_table_ui calls_table_ui = {
    SIPVI_STAT_GROUP_TELEPHONY, "Chẩn đoán cuộc gọi (sipvi)", "sipvi", "sipvi,calls_table",
    calls_init, calls_packet, calls_reset, free_item, NULL,
    G_N_ELEMENTS(call_columns), call_columns, G_N_ELEMENTS(filter_param), filter_param, NULL, 0
};

static stat_tap_table_ui registrations_table_ui = {
    SIPVI_STAT_GROUP_TELEPHONY, "Chẩn đoán đăng ký (sipvi)", "sipvi", "sipvi,registrations_table",
    registrations_init, registrations_packet, registrations_reset, free_item, NULL,
    G_N_ELEMENTS(registration_columns), registration_columns, G_N_ELEMENTS(filter_param),
    filter_param, NULL, 0
};

void
sipvi_register_diag_tables(void)
{
    register_stat_tap_table_ui(&calls_table_ui);
    register_stat_tap_table_ui(&registrations_table_ui);
}
