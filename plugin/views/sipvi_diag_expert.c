/* sipvi_diag_expert.c — the diagnosis of each call and registration as expert items, the
 * Wireshark way: state per file (wmem_file_scope), results per frame (p_add_proto_data).
 *
 * The rules run over the file's frames in order, once: a frame is fed to them the first time
 * it is dissected after every frame before it (the first pass, or the second pass of -2 when
 * the first built no tree). What a frame concluded is stored with it, so that any later
 * dissection of that frame (tshark's second pass, the GUI showing the packet again) shows the
 * same item, without the state of the frames after it leaking back.
 *
 * Called only when a protocol tree is built or an expert listener waits: a plain `tshark -r`
 * never comes here (README, "Robustness and speed").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto_data.h>
#include <epan/expert.h>

#include "sipvi_diag_expert.h"
#include "sipvi_diagnosis.h"
#include "sipvi_diag_message.h"
#include "sipvi_report.h"

static int proto;
static int hf_diagnosis_id = -1;
static int hf_diagnosis_title = -1;
static int hf_diagnosis_explanation = -1;
static int hf_diagnosis_frames = -1;
static int hf_diagnosis_call_id = -1;
static gint ett_diagnosis = -1;
static expert_field ei_call = EI_INIT;
static expert_field ei_registration = EI_INIT;
static expert_field ei_call_note = EI_INIT;
static expert_field ei_registration_note = EI_INIT;

typedef struct {
    sipvi_diag_call_t diag;
    gboolean reported;
} call_state_t;

typedef struct {
    sipvi_diag_reg_t diag;
    const char *aor;
    gboolean reported;
} reg_state_t;

/* What a frame concluded for one of its messages. */
typedef struct {
    sipvi_diag_id_t id;
    const char *call_id;
    const char *explanation;
    const char *frames;
} result_t;

/* p_add_proto_data keys: one per message of the frame. */
#define RESULT_KEY_BASE 0x5d1a0000u

static wmem_map_t *calls;       /* Call-ID -> call_state_t, the latest dialog of that Call-ID */
static wmem_map_t *regs;        /* Call-ID -> reg_state_t */
static guint32 last_fed;        /* the last frame fed to the rules, in this file */
static sipvi_fragment_ring_t fragments;

static void
new_file(void)
{
    last_fed = 0;
    memset(&fragments, 0, sizeof fragments);
}

static call_state_t *
new_call(const char *call_id)
{
    call_state_t *s = wmem_new0(wmem_file_scope(), call_state_t);
    sipvi_diag_call_init(&s->diag);
    wmem_map_insert(calls, wmem_strdup(wmem_file_scope(), call_id), s);
    return s;
}

static void
store(packet_info *pinfo, guint index, const sipvi_diagnosis_t *d, const char *call_id,
      const char *aor)
{
    sipvi_report_diagnosis_t words;
    sipvi_report_diagnosis(d, aor, &words);
    result_t *r = wmem_new(wmem_file_scope(), result_t);
    r->id = d->id;
    r->call_id = wmem_strdup(wmem_file_scope(), call_id);
    r->explanation = wmem_strdup(wmem_file_scope(), words.explanation);
    r->frames = wmem_strdup(wmem_file_scope(), words.frames);
    sipvi_report_diagnosis_free(&words);
    p_add_proto_data(wmem_file_scope(), pinfo, proto, RESULT_KEY_BASE + index, r);
}

static void
feed_call(packet_info *pinfo, guint index, const sipvi_message_t *m, const sipvi_diag_msg_t *dm)
{
    call_state_t *s = (call_state_t *)wmem_map_lookup(calls, m->call_id);
    /* As the calls report does (sipvi_dialogs.c). */
    if (!s || sipvi_diag_call_starts_new(&s->diag, dm)) {
        if (!s && strcmp(m->method, "INVITE") != 0)
            return;   /* neither an INVITE nor an answer to one */
        s = new_call(m->call_id);
    }
    sipvi_diag_call_note(&s->diag, dm);
    if (s->reported)
        return;
    /* Decided on what has been read so far: what only the end of the capture could tell is
     * certain at no frame, and raises no item. */
    sipvi_diag_end_t now = {pinfo->num, dm->time};
    sipvi_diagnosis_t d;
    sipvi_diag_call_decide(&s->diag, &now, &d);
    if (d.certain_frame == pinfo->num && sipvi_diag_has_item(&d)) {
        s->reported = TRUE;
        store(pinfo, index, &d, m->call_id, NULL);
    }
}

static void
feed_registration(packet_info *pinfo, guint index, const sipvi_message_t *m,
                  const sipvi_diag_msg_t *dm)
{
    reg_state_t *s = (reg_state_t *)wmem_map_lookup(regs, m->call_id);
    if (!s) {
        s = wmem_new0(wmem_file_scope(), reg_state_t);
        sipvi_diag_reg_init(&s->diag);
        s->aor = wmem_strdup(wmem_file_scope(), m->to ? m->to : "");
        wmem_map_insert(regs, wmem_strdup(wmem_file_scope(), m->call_id), s);
    }
    sipvi_diag_reg_note(&s->diag, dm);
    if (s->reported)
        return;
    sipvi_diag_end_t now = {pinfo->num, dm->time};
    sipvi_diagnosis_t d;
    sipvi_diag_reg_decide(&s->diag, &now, &d);
    if (d.certain_frame == pinfo->num && sipvi_diag_has_item(&d)) {
        s->reported = TRUE;
        store(pinfo, index, &d, m->call_id, s->aor);
    }
}

static void
add_item(tvbuff_t *frame_tvb, packet_info *pinfo, proto_tree *tree, const sipvi_message_t *m,
         const result_t *r)
{
    const sipvi_diagnosis_text_t *text = &sipvi_diagnosis_table[r->id];
    gint start, length;
    tvbuff_t *tvb = sipvi_loc_tvb(pinfo, frame_tvb, &m->loc, &start, &length);
    gboolean warn = sipvi_diag_id_is_failure(r->id);
    expert_field *ei = text->registration ? (warn ? &ei_registration : &ei_registration_note)
                                          : (warn ? &ei_call : &ei_call_note);
    proto_item *pi = proto_tree_add_expert_format(
        tree, pinfo, ei, tvb, start, length,
        "%s: %s", text->registration ? "Chẩn đoán đăng ký" : "Chẩn đoán cuộc gọi", text->title);
    proto_tree *st = proto_item_add_subtree(pi, ett_diagnosis);
    const struct {
        int hf;
        const char *value;
    } fields[] = {
        {hf_diagnosis_id, text->id},
        {hf_diagnosis_title, text->title},
        {hf_diagnosis_explanation, r->explanation},
        {hf_diagnosis_frames, r->frames},
        {hf_diagnosis_call_id, r->call_id},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++)
        proto_item_set_generated(proto_tree_add_string(st, fields[i].hf, tvb, start, length,
                                                       fields[i].value));
}

void
sipvi_diag_expert_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                        const sipvi_frame_t *frame)
{
    if (pinfo->num > last_fed) {
        last_fed = pinfo->num;
        if (frame->ip_fragment)
            sipvi_report_fragment(pinfo, &fragments);
        for (guint i = 0; i < frame->n_messages; i++) {
            const sipvi_message_t *m = &frame->messages[i];
            if (!m->call_id || !m->method)
                continue;
            sipvi_diag_msg_t dm;
            sipvi_diag_message(pinfo, m, &fragments, &dm);
            if (strcmp(m->method, "REGISTER") == 0)
                feed_registration(pinfo, i, m, &dm);
            else
                feed_call(pinfo, i, m, &dm);
        }
    }
    /* Without a tree (the first frame of an expert pass, or an Expert column), the item is still
     * queued to the expert tap: it is what Expert Information and -z expert list. */
    for (guint i = 0; i < frame->n_messages; i++) {
        const result_t *r = (const result_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto,
                                                               RESULT_KEY_BASE + i);
        if (r)
            add_item(tvb, pinfo, tree, &frame->messages[i], r);
    }
}

void
sipvi_diag_expert_register(int proto_sipvi, expert_module_t *module)
{
    static hf_register_info hf[] = {
        {&hf_diagnosis_id,
         {"Chẩn đoán", "sipvi.diagnosis", FT_STRING, BASE_NONE, NULL, 0x0,
          "Diagnosis of the call or registration (stable id, e.g. busy)", HFILL}},
        {&hf_diagnosis_title,
         {"Tiêu đề", "sipvi.diagnosis.title", FT_STRING, BASE_NONE, NULL, 0x0,
          "Short Vietnamese title of the diagnosis", HFILL}},
        {&hf_diagnosis_explanation,
         {"Giải thích", "sipvi.diagnosis.explanation", FT_STRING, BASE_NONE, NULL, 0x0,
          "Vietnamese explanation naming the evidence", HFILL}},
        {&hf_diagnosis_frames,
         {"Khung bằng chứng", "sipvi.diagnosis.frames", FT_STRING, BASE_NONE, NULL, 0x0,
          "Frames that prove the diagnosis", HFILL}},
        {&hf_diagnosis_call_id,
         {"Call-ID", "sipvi.diagnosis.call_id", FT_STRING, BASE_NONE, NULL, 0x0,
          "Call-ID of the diagnosed call or registration", HFILL}},
    };
    static gint *ett[] = {&ett_diagnosis};
    static ei_register_info ei[] = {
        /* Severity by diagnosis: a failure warns; a redirect or a call answered elsewhere is a
         * note. The abbreviations of the failures stay as they were (filters use them). */
        {&ei_call, {"sipvi.diagnosis.call_failed", PI_SEQUENCE, PI_WARN,
                    "Chẩn đoán cuộc gọi thất bại", EXPFILL}},
        {&ei_registration, {"sipvi.diagnosis.registration_failed", PI_SEQUENCE, PI_WARN,
                            "Chẩn đoán đăng ký thất bại", EXPFILL}},
        {&ei_call_note, {"sipvi.diagnosis.call", PI_SEQUENCE, PI_NOTE,
                         "Chẩn đoán cuộc gọi", EXPFILL}},
        {&ei_registration_note, {"sipvi.diagnosis.registration", PI_SEQUENCE, PI_NOTE,
                                 "Chẩn đoán đăng ký", EXPFILL}},
    };
    proto = proto_sipvi;
    proto_register_field_array(proto_sipvi, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(module, ei, array_length(ei));
    calls = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_str_hash, g_str_equal);
    regs = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_str_hash, g_str_equal);
    register_init_routine(new_file);
}
