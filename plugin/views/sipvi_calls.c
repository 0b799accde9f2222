/* sipvi_calls.c — "tshark -z sipvi,calls[,csv]": one row per INVITE dialog, why it ended.
 *
 * Fed by the sipvi tap, which carries each frame's SIP messages as read from SIP's tree (the
 * listener asks for one), so that one-pass and two-pass (-2) runs give the same rows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/stat_groups.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wsutil/report_message.h>

#include "sipvi_call_media_report.h"
#include "sipvi_media_diagnosis.h"
#include "sipvi_calls.h"
#include "sipvi_compat.h"
#include "sipvi_prime.h"
#include "sipvi_diagnosis.h"
#include "sipvi_dialogs.h"
#include "sipvi_record.h"
#include "sipvi_report.h"
#include "sipvi_table.h"
#include "sipvi_view.h"

/* Only what the capture shows. (Timer B stops at the first provisional response, RFC 3261
 * §17.1.1.2: no 408 of the caller's own can be assumed after a 1xx; the diagnosis says whether
 * the capture ended or ran on.) */
static const char no_final_meaning[] = "Bản ghi không có phản hồi cuối cho INVITE";
static const char none[] = "—";

typedef struct {
    gboolean csv;
    sipvi_dialogs_t *book;
    sipvi_media_t *media;      /* the capture's RTP, for the media figures (plugin/calls/media) */
} calls_tap_t;

static void
calls_reset(void *tapdata)
{
    sipvi_dialogs_reset(((calls_tap_t *)tapdata)->book);
}

static tap_packet_status
calls_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
             tap_flags_t flags _U_)
{
    calls_tap_t *t = (calls_tap_t *)tapdata;
    const sipvi_frame_t *frame = (const sipvi_frame_t *)data;
    if (frame->ip_fragment)
        sipvi_dialogs_note_fragment(t->book, pinfo);
    for (guint i = 0; i < frame->n_messages; i++)
        sipvi_dialogs_note_call(t->book, pinfo, &frame->messages[i]);
    return TAP_PACKET_REDRAW;
}

/* The columns of one call; text owned by the row (g_free). */
enum { COL_START, COL_CALLER, COL_CALLEE, COL_CODE, COL_MEANING, COL_CLASS, COL_Q850, COL_TIME,
       COL_DIAGNOSIS, COL_CALL_ID, N_COLS };

static const char *const text_headers[N_COLS] = {
    "Bắt đầu (s)", "Bên gọi", "Bên được gọi", "Mã", "Ý nghĩa", "Lớp", "Q.850",
    "Thời gian tới phản hồi cuối (ms)", "Chẩn đoán", "Call-ID"
};

/* Stable names: scripts and databases rely on them. New columns go at the end. */
static const char *const csv_headers[] = {
    "start_s", "caller", "callee", "final_code", "meaning", "class", "class_name", "q850_cause",
    "q850_meaning", "time_to_final_ms", "call_id", "diagnosis", "diagnosis_title", "explanation",
    "check", "evidence_frames", "certain_frame", "capture_file"
};

typedef struct {
    char *col[N_COLS];
    char *class_number;
    char *q850_number;
    const char *q850_meaning;
    sipvi_diagnosis_t diagnosis;
    sipvi_diag_wording_t words;
} call_row_t;

static void
make_row(const sipvi_call_t *c, const sipvi_media_t *media, call_row_t *r)
{
    r->col[COL_START] = g_strdup_printf("%.3f", nstime_to_sec(&c->start));
    r->col[COL_CALLER] = g_strdup(c->caller);
    r->col[COL_CALLEE] = g_strdup(c->callee);
    r->col[COL_CALL_ID] = g_strdup(c->call_id);
    if (c->final_code) {
        sipvi_view_t v;
        sipvi_view_of(c->final_code, &v);
        nstime_t elapsed;
        nstime_delta(&elapsed, &c->final_time, &c->start);
        r->col[COL_CODE] = g_strdup_printf("%u", c->final_code);
        r->col[COL_MEANING] = g_strdup(sipvi_view_meaning(&v));
        r->col[COL_CLASS] = g_strdup(v.valid ? v.res.klass->name : none);
        r->class_number = v.valid ? g_strdup_printf("%u", v.res.class_number) : g_strdup("");
        r->col[COL_TIME] = g_strdup_printf("%.1f", nstime_to_msec(&elapsed));
    } else {
        r->col[COL_CODE] = g_strdup(none);
        r->col[COL_MEANING] = g_strdup(no_final_meaning);
        r->col[COL_CLASS] = g_strdup(none);
        r->class_number = g_strdup("");
        r->col[COL_TIME] = g_strdup(none);
    }
    gint32 q850 = c->final_q850 != SIPVI_NO_CAUSE ? c->final_q850 : c->ending_q850;
    if (q850 != SIPVI_NO_CAUSE) {
        r->q850_meaning = sipvi_q850_meaning(q850);
        r->q850_number = g_strdup_printf("%d", q850);
        r->col[COL_Q850] = g_strdup_printf("%d %s", q850, r->q850_meaning);
    } else {
        r->q850_meaning = "";
        r->q850_number = g_strdup("");
        r->col[COL_Q850] = g_strdup(none);
    }
    sipvi_diag_call_decide(&c->diag, sipvi_dialogs_end(), &r->diagnosis);
    sipvi_diag_wording(&r->diagnosis, NULL, &r->words);
    sipvi_media_diagnose(&c->media, media, &r->diagnosis, &r->words);
    r->col[COL_DIAGNOSIS] = g_strdup(r->words.id);
}

static void
free_row(call_row_t *r)
{
    for (int i = 0; i < N_COLS; i++)
        g_free(r->col[i]);
    g_free(r->class_number);
    g_free(r->q850_number);
    sipvi_diag_wording_free(&r->words);
}

static void
print_text(const calls_tap_t *t, call_row_t *rows)
{
    guint n = t->book->calls->len;
    char ***cells = g_new(char **, n ? n : 1);
    const char **keys = g_new(const char *, n ? n : 1);
    const sipvi_diag_wording_t **words = g_new(const sipvi_diag_wording_t *, n ? n : 1);
    for (guint r = 0; r < n; r++) {
        cells[r] = rows[r].col;
        keys[r] = rows[r].col[COL_CALL_ID];
        words[r] = &rows[r].words;
    }
    sipvi_report_print_text("sipvi: các cuộc gọi và kết quả (SIP calls in Vietnamese)",
                            "Số cuộc gọi",
                            "Chẩn đoán từng cuộc gọi (diagnosis per call)",
                            text_headers, cells, n,
                            N_COLS, keys, words);
    g_free(words);
    g_free(keys);
    g_free(cells);
}

/* Row by row: a capture of many thousand dialogs is not held twice in memory. */
static void
print_csv(const calls_tap_t *t)
{
    for (size_t i = 0; i < G_N_ELEMENTS(csv_headers); i++)
        sipvi_report_csv_field(csv_headers[i], FALSE);
    sipvi_call_media_csv_headers();
    const char *file = sipvi_report_capture_name();
    for (guint r = 0; r < t->book->calls->len; r++) {
        call_row_t one;
        call_row_t *row = &one;
        make_row((const sipvi_call_t *)g_ptr_array_index(t->book->calls, r), t->media, row);
        gboolean has_final = strcmp(row->col[COL_CODE], none) != 0;
        sipvi_report_csv_field(row->col[COL_START], FALSE);
        sipvi_report_csv_field(row->col[COL_CALLER], FALSE);
        sipvi_report_csv_field(row->col[COL_CALLEE], FALSE);
        sipvi_report_csv_field(has_final ? row->col[COL_CODE] : "", FALSE);
        sipvi_report_csv_field(row->col[COL_MEANING], FALSE);
        sipvi_report_csv_field(row->class_number, FALSE);
        sipvi_report_csv_field(has_final && *row->class_number ? row->col[COL_CLASS] : "", FALSE);
        sipvi_report_csv_field(row->q850_number, FALSE);
        sipvi_report_csv_field(row->q850_meaning, FALSE);
        sipvi_report_csv_field(has_final ? row->col[COL_TIME] : "", FALSE);
        sipvi_report_csv_field(row->col[COL_CALL_ID], FALSE);
        sipvi_report_csv_diagnosis(&row->words, row->diagnosis.certain_frame, file, FALSE);
        sipvi_call_media_csv_row(&((const sipvi_call_t *)g_ptr_array_index(t->book->calls, r))->media,
                                 t->media);
        free_row(row);
    }
}

/* A media line per call, under the diagnoses; or once, that the capture holds no RTP. */
static void
print_media_text(const calls_tap_t *t)
{
    guint with_sdp = 0;
    for (guint r = 0; r < t->book->calls->len; r++)
        with_sdp += ((const sipvi_call_t *)g_ptr_array_index(t->book->calls, r))->media.n_sdp[0] > 0;
    printf("\nÂm thanh từng cuộc gọi (media per call)\n");
    if (sipvi_call_media_print_no_media(t->media, with_sdp))
        return;
    for (guint r = 0; r < t->book->calls->len; r++) {
        const sipvi_call_t *c = (const sipvi_call_t *)g_ptr_array_index(t->book->calls, r);
        char *line = sipvi_call_media_text(&c->media, t->media);
        printf("%s\n  %s\n", c->call_id, line);
        g_free(line);
    }
}

static void
calls_draw(void *tapdata)
{
    calls_tap_t *t = (calls_tap_t *)tapdata;
    sipvi_media_finish(t->media);
    if (t->csv) {
        print_csv(t);
        return;
    }
    call_row_t *rows = g_new0(call_row_t, t->book->calls->len ? t->book->calls->len : 1);
    for (guint r = 0; r < t->book->calls->len; r++)
        make_row((const sipvi_call_t *)g_ptr_array_index(t->book->calls, r), t->media, &rows[r]);
    print_text(t, rows);
    print_media_text(t);
    for (guint r = 0; r < t->book->calls->len; r++)
        free_row(&rows[r]);
    g_free(rows);
}

static void
calls_finish(void *tapdata)
{
    calls_tap_t *t = (calls_tap_t *)tapdata;
    sipvi_dialogs_free(t->book);
    sipvi_media_free(t->media);
    g_free(t);
}

static sipvi_tap_init_t
calls_init(const char *opt_arg, void *userdata _U_)
{
    gboolean csv;
    if (!sipvi_report_option(opt_arg, "sipvi,calls", "cuộc gọi", "calls", &csv))
        SIPVI_TAP_INIT_RETURN(FALSE);
    calls_tap_t *t = g_new0(calls_tap_t, 1);
    t->csv = csv;
    t->book = sipvi_dialogs_new();
    t->media = sipvi_media_new();
    /* Reason and Warning come from SIP's header tree: ask the host to build one. */
    GString *error = NULL;
    if (!sipvi_media_listen(t->media, &error)) {
        report_failure("-z %s: %s", opt_arg, error->str);
        g_string_free(error, TRUE);
        calls_finish(t);
        SIPVI_TAP_INIT_RETURN(FALSE);
    }
    error = register_tap_listener("sipvi", t, NULL, TL_REQUIRES_PROTO_TREE, calls_reset,
                                  calls_packet, calls_draw, calls_finish);
    if (error) {
        report_failure("-z %s: %s", opt_arg, error->str);
        g_string_free(error, TRUE);
        sipvi_media_unlisten(t->media);
        calls_finish(t);
        SIPVI_TAP_INIT_RETURN(FALSE);
    }
    /* Now that a listener exists, SIP's Call-ID, From and To are wanted from the first frame on. */
    sipvi_prime_fields();
    SIPVI_TAP_INIT_RETURN(TRUE);
}

static stat_tap_ui calls_ui = {
    SIPVI_STAT_GROUP_TELEPHONY, "Cuộc gọi SIP tiếng Việt (sipvi)", "sipvi,calls", calls_init,
    0, NULL
};

void
sipvi_register_calls(void)
{
    register_stat_tap_ui(&calls_ui, NULL);
}
