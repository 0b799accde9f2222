/* sipvi_registrations.c — "tshark -z sipvi,registrations[,csv]": one row per REGISTER Call-ID,
 * its address of record and why it ended as it did.
 *
 * Fed by the sipvi tap like the calls report. Each registration keeps a fixed-size record
 * (sipvi_diag_reg_t) and its Call-ID and AOR: a storm of REGISTERs costs memory in proportion to
 * its Call-IDs, nothing per message.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wsutil/report_message.h>

#include "sipvi_calls.h"
#include "sipvi_compat.h"
#include "sipvi_diagnosis.h"
#include "sipvi_dialogs.h"
#include "sipvi_prime.h"
#include "sipvi_record.h"
#include "sipvi_report.h"
#include "sipvi_view.h"

typedef struct {
    gboolean csv;
    sipvi_dialogs_t *book;
} regs_tap_t;

static void
regs_reset(void *tapdata)
{
    sipvi_dialogs_reset(((regs_tap_t *)tapdata)->book);
}

static tap_packet_status
regs_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
            tap_flags_t flags _U_)
{
    regs_tap_t *t = (regs_tap_t *)tapdata;
    const sipvi_frame_t *frame = (const sipvi_frame_t *)data;
    for (guint i = 0; i < frame->n_messages; i++)
        sipvi_dialogs_note_registration(t->book, pinfo, &frame->messages[i]);
    return TAP_PACKET_REDRAW;
}

enum { COL_START, COL_AOR, COL_CODE, COL_MEANING, COL_REGISTERS, COL_DIAGNOSIS, COL_CALL_ID,
       N_COLS };

static const char *const text_headers[N_COLS] = {
    "Bắt đầu (s)", "Địa chỉ đăng ký (AOR)", "Mã", "Ý nghĩa", "Số REGISTER", "Chẩn đoán", "Call-ID"
};

/* Stable names: scripts and databases rely on them. New columns go at the end. */
static const char *const csv_headers[] = {
    "start_s", "aor", "final_code", "meaning", "register_transactions", "call_id", "diagnosis",
    "diagnosis_title", "explanation", "check", "evidence_frames", "certain_frame", "capture_file"
};

typedef struct {
    char *col[N_COLS];
    sipvi_diagnosis_t diagnosis;
    sipvi_diag_wording_t words;
} reg_row_t;

static void
make_row(const sipvi_registration_t *reg, reg_row_t *r)
{
    r->col[COL_START] = g_strdup_printf("%.3f", nstime_to_sec(&reg->start));
    r->col[COL_AOR] = g_strdup(reg->aor);
    if (reg->diag.final_code) {
        sipvi_view_t v;
        sipvi_view_of(reg->diag.final_code, &v);
        r->col[COL_CODE] = g_strdup_printf("%u", reg->diag.final_code);
        r->col[COL_MEANING] = g_strdup(sipvi_view_meaning(&v));
    } else {
        r->col[COL_CODE] = g_strdup("");
        r->col[COL_MEANING] = g_strdup("");
    }
    r->col[COL_REGISTERS] = g_strdup_printf("%u", reg->diag.attempts);
    r->col[COL_CALL_ID] = g_strdup(reg->call_id);
    sipvi_diag_reg_decide(&reg->diag, sipvi_dialogs_end(), &r->diagnosis);
    sipvi_diag_wording(&r->diagnosis, reg->aor, &r->words);
    r->col[COL_DIAGNOSIS] = g_strdup(r->words.id);
}

static void
free_row(reg_row_t *r)
{
    for (int i = 0; i < N_COLS; i++)
        g_free(r->col[i]);
    sipvi_diag_wording_free(&r->words);
}

static void
print_text(const regs_tap_t *t, reg_row_t *rows)
{
    guint n = t->book->registrations->len;
    char ***cells = g_new(char **, n ? n : 1);
    const char **keys = g_new(const char *, n ? n : 1);
    const sipvi_diag_wording_t **words = g_new(const sipvi_diag_wording_t *, n ? n : 1);
    for (guint r = 0; r < n; r++) {
        cells[r] = rows[r].col;
        keys[r] = rows[r].col[COL_CALL_ID];
        words[r] = &rows[r].words;
    }
    sipvi_report_print_text("sipvi: các lần đăng ký và kết quả (SIP registrations in Vietnamese)",
                            "Số lần đăng ký (Call-ID)",
                            "Chẩn đoán từng lần đăng ký (diagnosis per registration)",
                            text_headers, cells, n,
                            N_COLS, keys, words);
    g_free(words);
    g_free(keys);
    g_free(cells);
}

/* Row by row: a capture of many thousand dialogs is not held twice in memory. */
static void
print_csv(const regs_tap_t *t)
{
    for (size_t i = 0; i < G_N_ELEMENTS(csv_headers); i++)
        sipvi_report_csv_field(csv_headers[i], i + 1 == G_N_ELEMENTS(csv_headers));
    const char *file = sipvi_report_capture_name();
    for (guint r = 0; r < t->book->registrations->len; r++) {
        reg_row_t one;
        reg_row_t *row = &one;
        make_row((const sipvi_registration_t *)g_ptr_array_index(t->book->registrations, r), row);
        sipvi_report_csv_field(row->col[COL_START], FALSE);
        sipvi_report_csv_field(row->col[COL_AOR], FALSE);
        sipvi_report_csv_field(row->col[COL_CODE], FALSE);
        sipvi_report_csv_field(row->col[COL_MEANING], FALSE);
        sipvi_report_csv_field(row->col[COL_REGISTERS], FALSE);
        sipvi_report_csv_field(row->col[COL_CALL_ID], FALSE);
        sipvi_report_csv_diagnosis(&row->words, row->diagnosis.certain_frame, file, TRUE);
        free_row(row);
    }
}

static void
regs_draw(void *tapdata)
{
    regs_tap_t *t = (regs_tap_t *)tapdata;
    if (t->csv) {
        print_csv(t);
        return;
    }
    reg_row_t *rows = g_new0(reg_row_t, t->book->registrations->len ? t->book->registrations->len : 1);
    for (guint r = 0; r < t->book->registrations->len; r++)
        make_row((const sipvi_registration_t *)g_ptr_array_index(t->book->registrations, r), &rows[r]);
    print_text(t, rows);
    for (guint r = 0; r < t->book->registrations->len; r++)
        free_row(&rows[r]);
    g_free(rows);
}

static void
regs_finish(void *tapdata)
{
    regs_tap_t *t = (regs_tap_t *)tapdata;
    sipvi_dialogs_free(t->book);
    g_free(t);
}

static sipvi_tap_init_t
regs_init(const char *opt_arg, void *userdata _U_)
{
    gboolean csv;
    if (!sipvi_report_option(opt_arg, "sipvi,registrations", "đăng ký", "registrations", &csv))
        SIPVI_TAP_INIT_RETURN(FALSE);
    regs_tap_t *t = g_new0(regs_tap_t, 1);
    t->csv = csv;
    t->book = sipvi_dialogs_new();
    GString *error = register_tap_listener("sipvi", t, NULL, TL_REQUIRES_PROTO_TREE, regs_reset,
                                           regs_packet, regs_draw, regs_finish);
    if (error) {
        report_failure("-z %s: %s", opt_arg, error->str);
        g_string_free(error, TRUE);
        regs_finish(t);
        SIPVI_TAP_INIT_RETURN(FALSE);
    }
    sipvi_prime_fields();
    SIPVI_TAP_INIT_RETURN(TRUE);
}

static stat_tap_ui regs_ui = {
    SIPVI_STAT_GROUP_TELEPHONY, "SIP registrations in Vietnamese (sipvi)", "sipvi,registrations",
    regs_init, 0, NULL
};

void
sipvi_register_registrations(void)
{
    register_stat_tap_ui(&regs_ui, NULL);
}
