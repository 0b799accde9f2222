/* packet-sipvi.c — SIP status in Vietnamese: a post-dissector that annotates every SIP response.
 *
 * It runs after the SIP dissector and reads the fields that dissector already parsed (status
 * code, CSeq, Reason, Warning …); it never parses SIP text itself. For each response of a frame it
 * adds a "sipvi" subtree over the status code's bytes and an expert item in the PI_RESPONSE_CODE
 * group; a request carrying a Reason or Warning header gets its causes explained too. All wording
 * comes from the tables compiled out of data/ at build time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/column-utils.h>
#include <epan/column-info.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/tap.h>
#include <wsutil/report_message.h>

#include "packet-sipvi.h"
#include "sipvi_compat.h"
#include "sipvi_info.h"
#include "sipvi_overrides.h"
#include "sipvi_prime.h"
#include "sipvi_record.h"
#include "sipvi_table.h"
#include "sipvi_view.h"

static int proto_sipvi = -1;

static int hf_sipvi_code = -1;
static int hf_sipvi_class = -1;
static int hf_sipvi_meaning = -1;
static int hf_sipvi_detail = -1;
static int hf_sipvi_severity = -1;
static int hf_sipvi_known = -1;
static int hf_sipvi_reference = -1;
static int hf_sipvi_reason = -1;
static int hf_sipvi_override = -1;
static int hf_sipvi_method = -1;
static int hf_sipvi_final = -1;
static int hf_sipvi_q850_cause = -1;
static int hf_sipvi_q850_meaning = -1;
static int hf_sipvi_q850_detail = -1;
static int hf_sipvi_sip_cause = -1;
static int hf_sipvi_sip_cause_meaning = -1;
static int hf_sipvi_warning_code = -1;
static int hf_sipvi_warning_meaning = -1;
static int hf_sipvi_warning_text = -1;

static gint ett_sipvi = -1;
static gint ett_sipvi_detail = -1;
static gint ett_sipvi_cause = -1;
static gint ett_sipvi_warning = -1;

/* One expert field per class and severity: Wireshark fixes an expert field's severity at
 * registration, while the data sets it per code (a 401 challenge is "chat" inside the
 * "warn" class 4xx). */
static expert_field ei_sipvi_response[SIPVI_CLASS_MAX + 1][SIPVI_SEVERITY_MAX + 1];
static expert_field ei_sipvi_invalid = EI_INIT;
static expert_field ei_sipvi_q850 = EI_INIT;
static expert_field ei_sipvi_sip_cause = EI_INIT;
static expert_field ei_sipvi_warning = EI_INIT;

static dissector_handle_t sipvi_handle;
static int sipvi_tap = -1;
static int expert_tap = -1;
static int proto_sip = -1;
static sipvi_sip_fields_t sip_fields;
static gboolean sip_fields_found;

static sipvi_bool_t pref_info_column = TRUE;
static sipvi_bool_t pref_expert = TRUE;
static guint pref_expert_min_class = 1;
static sipvi_bool_t pref_english_reason = FALSE;

/* Filled from the compiled table at registration; Wireshark keeps pointers to it. */
static value_string sipvi_class_vals[SIPVI_CLASS_MAX + 1];

static const value_string sipvi_severity_vals[] = {
    {SIPVI_SEVERITY_CHAT, "Thông tin (Chat)"},
    {SIPVI_SEVERITY_NOTE, "Lưu ý (Note)"},
    {SIPVI_SEVERITY_WARN, "Cảnh báo (Warning)"},
    {SIPVI_SEVERITY_ERROR, "Lỗi (Error)"},
    {0, NULL}
};

static const char unknown_warning[] = "Mã Warning chưa có trong bảng";

/* After the meaning of a code the table has but the IANA registry does not (409, 477, 700 …):
 * not "non-standard", since 409 and 411 were standard in RFC 2543. */
static const char unregistered_mark[] = " (ngoài sổ IANA)";

/* A tree label holds ITEM_LABEL_LENGTH (240) bytes, and a Vietnamese detail is longer: the
 * detail item keeps the whole text as its value (for filters, columns and -T fields) and shows
 * it as lines cut at spaces below that limit. Only done when someone looks at the tree. */
#define SIPVI_LINE_BYTES 160

static void
add_wrapped_text(proto_tree *tree, tvbuff_t *tvb, gint start, gint length, const char *text)
{
    while (*text) {
        size_t left = strlen(text);
        size_t cut = left;
        if (left > SIPVI_LINE_BYTES) {
            cut = SIPVI_LINE_BYTES;
            while (cut > 0 && text[cut] != ' ')
                cut--;
            if (cut == 0) {
                /* One word longer than a line: cut it, but not inside a UTF-8 sequence. */
                cut = sipvi_utf8_cut(text, SIPVI_LINE_BYTES);
            }
        }
        proto_tree_add_subtree_format(tree, tvb, start, length, ett_sipvi_detail, NULL, "%.*s",
                                      (int)cut, text);
        text += cut;
        while (*text == ' ')
            text++;
    }
}

static void
add_long_text(proto_tree *tree, int hf, tvbuff_t *tvb, gint start, gint length, const char *label,
              const char *text)
{
    proto_item *pi = proto_tree_add_string(tree, hf, tvb, start, length, text);
    proto_item_set_generated(pi);
    if (!tree || !PTREE_DATA(tree)->visible)
        return;
    proto_item_set_text(pi, "%s", label);
    add_wrapped_text(proto_item_add_subtree(pi, ett_sipvi_detail), tvb, start, length, text);
}

static proto_item *
add_generated_uint(proto_tree *tree, int hf, tvbuff_t *tvb, gint start, gint length, guint32 value)
{
    proto_item *pi = proto_tree_add_uint(tree, hf, tvb, start, length, value);
    proto_item_set_generated(pi);
    return pi;
}

static proto_item *
add_generated_string(proto_tree *tree, int hf, tvbuff_t *tvb, gint start, gint length,
                     const char *value)
{
    proto_item *pi = proto_tree_add_string(tree, hf, tvb, start, length, value);
    proto_item_set_generated(pi);
    return pi;
}

static proto_item *
add_generated_boolean(proto_tree *tree, int hf, tvbuff_t *tvb, gint start, gint length,
                      gboolean value)
{
    proto_item *pi = proto_tree_add_boolean(tree, hf, tvb, start, length, value);
    proto_item_set_generated(pi);
    return pi;
}

/* " (Busy Here)" when the preference asks for the English phrase and the table has one. */
static const char *
reason_open(const sipvi_view_t *v)
{
    return pref_english_reason && v->reason ? " (" : "";
}

static const char *
reason_text(const sipvi_view_t *v)
{
    return pref_english_reason && v->reason ? v->reason : "";
}

static const char *
reason_close(const sipvi_view_t *v)
{
    return pref_english_reason && v->reason ? ")" : "";
}

static gboolean
raises_expert(const sipvi_view_t *v)
{
    return !v->valid || v->res.class_number >= pref_expert_min_class;
}

/* Reason and Warning headers of a message, as subtrees of its sipvi item. */
static void
annotate_causes(proto_tree *st, packet_info *pinfo, tvbuff_t *frame_tvb, const sipvi_message_t *m,
                gboolean expert)
{
    gint start, length;
    tvbuff_t *tvb;
    proto_tree *ct;

    if (m->q850_cause != SIPVI_NO_CAUSE) {
        tvb = sipvi_loc_tvb(pinfo, frame_tvb, &m->q850_loc, &start, &length);
        const sipvi_q850_t *q = sipvi_q850_lookup((unsigned)m->q850_cause);
        const char *meaning = sipvi_q850_meaning(m->q850_cause);
        ct = proto_tree_add_subtree_format(st, tvb, start, length, ett_sipvi_cause, NULL,
                                           "Reason Q.850: %d %s", m->q850_cause, meaning);
        proto_item *pi = add_generated_uint(ct, hf_sipvi_q850_cause, tvb, start, length,
                                            (guint32)m->q850_cause);
        add_generated_string(ct, hf_sipvi_q850_meaning, tvb, start, length, meaning);
        if (q)
            add_long_text(ct, hf_sipvi_q850_detail, tvb, start, length, "Chi tiết", q->detail);
        if (expert)
            expert_add_info_format(pinfo, pi, &ei_sipvi_q850, "Q.850 %d: %s", m->q850_cause,
                                   meaning);
    }
    if (m->sip_cause != SIPVI_NO_CAUSE) {
        tvb = sipvi_loc_tvb(pinfo, frame_tvb, &m->sip_cause_loc, &start, &length);
        /* In a CANCEL a cause can mean something else than the code (200: answered elsewhere). */
        const sipvi_cancel_reason_t *cancel =
            m->method && strcmp(m->method, "CANCEL") == 0 && m->sip_cause > 0 ?
            sipvi_cancel_reason_lookup((unsigned)m->sip_cause) : NULL;
        sipvi_view_t v;
        sipvi_view_of((guint32)m->sip_cause, &v);
        const char *meaning = cancel ? cancel->meaning : sipvi_view_meaning(&v);
        ct = proto_tree_add_subtree_format(st, tvb, start, length, ett_sipvi_cause, NULL,
                                           "Reason SIP: %d %s", m->sip_cause, meaning);
        proto_item *pi = add_generated_uint(ct, hf_sipvi_sip_cause, tvb, start, length,
                                            (guint32)m->sip_cause);
        add_generated_string(ct, hf_sipvi_sip_cause_meaning, tvb, start, length, meaning);
        if (expert)
            expert_add_info_format(pinfo, pi, &ei_sipvi_sip_cause, "Reason SIP %d: %s",
                                   m->sip_cause, meaning);
    }
    for (guint i = 0; i < m->n_warnings; i++) {
        const sipvi_warning_rec_t *w = &m->warnings[i];
        tvb = sipvi_loc_tvb(pinfo, frame_tvb, &w->loc, &start, &length);
        const sipvi_warning_t *known = sipvi_warning_lookup(w->code);
        const char *meaning = known ? known->meaning : unknown_warning;
        ct = proto_tree_add_subtree_format(st, tvb, start, length, ett_sipvi_warning, NULL,
                                           "Warning %u: %s", w->code, meaning);
        proto_item *pi = add_generated_uint(ct, hf_sipvi_warning_code, tvb, start, length, w->code);
        add_generated_string(ct, hf_sipvi_warning_meaning, tvb, start, length, meaning);
        add_generated_string(ct, hf_sipvi_warning_text, tvb, start, length, w->text);
        if (expert)
            expert_add_info_format(pinfo, pi, &ei_sipvi_warning, "Warning %u: %s", w->code, meaning);
    }
}

static void
annotate_response(proto_tree *tree, packet_info *pinfo, tvbuff_t *frame_tvb,
                  const sipvi_message_t *m, gboolean expert)
{
    gint start, length;
    tvbuff_t *tvb = sipvi_loc_tvb(pinfo, frame_tvb, &m->loc, &start, &length);
    sipvi_view_t v;
    sipvi_view_of(m->code, &v);

    proto_item *top = proto_tree_add_item(tree, proto_sipvi, tvb, start, length, ENC_NA);
    proto_tree *st = proto_item_add_subtree(top, ett_sipvi);
    proto_tree_add_uint(st, hf_sipvi_code, tvb, start, length, m->code);

    if (!v.valid) {
        add_generated_boolean(st, hf_sipvi_known, tvb, start, length, FALSE);
        proto_item_append_text(top, ": %u (%s)", m->code, sipvi_view_meaning(&v));
        if (expert && raises_expert(&v))
            expert_add_info_format(pinfo, top, &ei_sipvi_invalid,
                                   "%u: mã trạng thái không hợp lệ, phải nằm trong khoảng %u–%u",
                                   m->code, SIPVI_CODE_MIN, SIPVI_CODE_MAX);
    } else {
        /* One append: each one formats, and the first makes Wireshark write the label too. */
        gboolean unregistered = v.res.entry && !v.res.entry->registered;
        proto_item_append_text(top, ": %u %s%s%s%s%s%s", m->code, v.meaning, reason_open(&v),
                               reason_text(&v), reason_close(&v),
                               unregistered ? unregistered_mark : "",
                               v.overridden ? " (ghi đè tại chỗ)" : "");
        add_generated_uint(st, hf_sipvi_class, tvb, start, length, v.res.class_number);
        add_generated_string(st, hf_sipvi_meaning, tvb, start, length, v.meaning);
        add_long_text(st, hf_sipvi_detail, tvb, start, length, "Chi tiết", v.detail);
        add_generated_uint(st, hf_sipvi_severity, tvb, start, length, v.severity);
        add_generated_boolean(st, hf_sipvi_known, tvb, start, length, v.known);
        if (v.reason)
            add_generated_string(st, hf_sipvi_reason, tvb, start, length, v.reason);
        if (v.res.entry)
            add_generated_string(st, hf_sipvi_reference, tvb, start, length,
                                 v.res.entry->reference);
        if (v.overridden)
            add_generated_boolean(st, hf_sipvi_override, tvb, start, length, TRUE);
        if (expert && raises_expert(&v))
            expert_add_info_format(pinfo, top, &ei_sipvi_response[v.res.class_number][v.severity],
                                   "%u %s%s%s%s", m->code, v.meaning, reason_open(&v),
                                   reason_text(&v), reason_close(&v));
    }
    if (m->method)
        add_generated_string(st, hf_sipvi_method, tvb, start, length, m->method);
    add_generated_boolean(st, hf_sipvi_final, tvb, start, length, sipvi_code_is_final(m->code));
    annotate_causes(st, pinfo, frame_tvb, m, expert);
}

static gboolean
has_causes(const sipvi_message_t *m)
{
    return m->q850_cause != SIPVI_NO_CAUSE || m->sip_cause != SIPVI_NO_CAUSE || m->n_warnings;
}

/* A request (BYE, CANCEL …) only gets an item when it says why: Reason or Warning. */
static void
annotate_request(proto_tree *tree, packet_info *pinfo, tvbuff_t *frame_tvb,
                 const sipvi_message_t *m, gboolean expert)
{
    const sipvi_loc_t *loc = m->q850_cause != SIPVI_NO_CAUSE ? &m->q850_loc :
                             m->sip_cause != SIPVI_NO_CAUSE ? &m->sip_cause_loc : &m->warnings[0].loc;
    gint start, length;
    tvbuff_t *tvb = sipvi_loc_tvb(pinfo, frame_tvb, loc, &start, &length);
    proto_item *top = proto_tree_add_item(tree, proto_sipvi, tvb, start, length, ENC_NA);
    proto_tree *st = proto_item_add_subtree(top, ett_sipvi);
    if (m->q850_cause != SIPVI_NO_CAUSE)
        proto_item_append_text(top, ": %s, Q.850 %d %s", m->method ? m->method : "?",
                               m->q850_cause, sipvi_q850_meaning(m->q850_cause));
    else
        proto_item_append_text(top, ": %s", m->method ? m->method : "?");
    if (m->method)
        add_generated_string(st, hf_sipvi_method, tvb, start, length, m->method);
    annotate_causes(st, pinfo, frame_tvb, m, expert);
}

/* The meanings follow SIP's Info text (sipvi_info.c). Only status codes go there: a plain run has
 * no protocol tree, so SIP parses no Reason or Warning header, and the Info column of a frame
 * must not depend on whether some other option made a tree. */
static void
append_info(packet_info *pinfo, const sipvi_frame_t *frame)
{
    guint32 codes[SIPVI_INFO_MAX_RESPONSES];
    guint n = 0;
    for (guint i = 0; i < frame->n_messages && n < G_N_ELEMENTS(codes); i++) {
        if (frame->messages[i].is_response)
            codes[n++] = frame->messages[i].code;
    }
    sipvi_info_append(pinfo->cinfo, codes, n, pref_english_reason);
}

/* The Info column alone (a plain run): straight from what SIP publishes, nothing allocated. */
static void
append_info_unparsed(packet_info *pinfo)
{
    guint32 codes[SIPVI_INFO_MAX_RESPONSES];
    guint n = sipvi_sip_info_status_codes(pinfo, proto_sip, codes, G_N_ELEMENTS(codes));
    sipvi_info_append(pinfo->cinfo, codes, n, pref_english_reason);
}

/* Expert items are built only when something can show them: a protocol tree (filters, -e and
 * 4.4's field printing can ask any tree for _ws.expert.*), the expert tap (Expert Information,
 * -z expert) or an Expert column. Formatting one costs more than all of sipvi's other work on a
 * frame. */
static gboolean
expert_wanted(packet_info *pinfo, proto_tree *tree)
{
    if (!pref_expert)
        return FALSE;
    if (tree)
        return TRUE;
    if (expert_tap < 0)
        expert_tap = find_tap_id("expert");
    if (expert_tap >= 0 && have_tap_listener(expert_tap))
        return TRUE;
    return pinfo->cinfo && pinfo->cinfo->col_first[COL_EXPERT] >= 0;
}

static int
dissect_sipvi(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    if (!sip_fields_found)
        return 0;
    /* Keeps SIP's fields built in the next tree this pool sees (sipvi_prime.c). */
    if (tree)
        sipvi_prime_watch_pool(pinfo->pool);

    /* Items: for a tree someone looks at, or one filtered or printed on sipvi's fields. */
    gboolean items = tree && proto_field_is_referenced(tree, proto_sipvi);
    gboolean info = pref_info_column && pinfo->cinfo;
    gboolean tapped = have_tap_listener(sipvi_tap);
    gboolean expert = expert_wanted(pinfo, tree);
    if (!items && !tapped && !expert) {
        if (info)
            append_info_unparsed(pinfo);
        return 0;
    }

    sipvi_frame_t *frame = tree ? sipvi_record_from_tree(tree, pinfo, &sip_fields, tapped) : NULL;
    if (!frame)
        frame = sipvi_record_from_sip_info(pinfo, proto_sip);
    if (!frame)
        return 0;

    /* The handle belongs to a helper protocol (see proto_register_sipvi), so Wireshark leaves
     * the current protocol alone; expert info names it. */
    const char *saved_proto = pinfo->current_proto;
    pinfo->current_proto = "sipvi";
    /* Expert items hang their _ws.expert fields on sipvi's item: they need the tree too. */
    proto_tree *annotated = items || expert ? tree : NULL;
    for (guint i = 0; i < frame->n_messages; i++) {
        const sipvi_message_t *m = &frame->messages[i];
        if (m->is_response)
            annotate_response(annotated, pinfo, tvb, m, expert);
        else if (has_causes(m))
            annotate_request(annotated, pinfo, tvb, m, expert);
    }
    pinfo->current_proto = saved_proto;
    if (info)
        append_info(pinfo, frame);
    if (tapped)
        tap_queue_packet(sipvi_tap, pinfo, frame);
    return tvb_captured_length(tvb);
}

/* The dialog fields (Call-ID, From, To …) only serve the sipvi tap's listeners. */
static gboolean
sipvi_tap_listened(void)
{
    return have_tap_listener(sipvi_tap);
}

/* Wireshark checks that a number is a number; the range is sipvi's to check and to say. */
static void
apply_prefs(void)
{
    if (pref_expert_min_class < 1 || pref_expert_min_class > SIPVI_CLASS_MAX) {
        report_failure("sipvi.expert_min_class: %u không hợp lệ, phải từ 1 đến %u; dùng 1 "
                       "(must be 1-%u; using 1)", pref_expert_min_class, SIPVI_CLASS_MAX,
                       SIPVI_CLASS_MAX);
        pref_expert_min_class = 1;
    }
}

#define SIPVI_EI_CLASS(k, key, label)                                                         \
    {&ei_sipvi_response[k][SIPVI_SEVERITY_CHAT],                                             \
     {"sipvi." key ".chat", PI_RESPONSE_CODE, PI_CHAT, label, EXPFILL}},                     \
    {&ei_sipvi_response[k][SIPVI_SEVERITY_NOTE],                                             \
     {"sipvi." key ".note", PI_RESPONSE_CODE, PI_NOTE, label, EXPFILL}},                     \
    {&ei_sipvi_response[k][SIPVI_SEVERITY_WARN],                                             \
     {"sipvi." key ".warn", PI_RESPONSE_CODE, PI_WARN, label, EXPFILL}},                     \
    {&ei_sipvi_response[k][SIPVI_SEVERITY_ERROR],                                            \
     {"sipvi." key ".error", PI_RESPONSE_CODE, PI_ERROR, label, EXPFILL}}

void
proto_register_sipvi(void)
{
    static hf_register_info hf[] = {
        {&hf_sipvi_code,
         {"Mã trạng thái", "sipvi.code", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Status code of the SIP response", HFILL}},
        {&hf_sipvi_class,
         {"Lớp", "sipvi.class", FT_UINT8, BASE_DEC, VALS(sipvi_class_vals), 0x0,
          "Class of the status code: its first digit (1-7)", HFILL}},
        {&hf_sipvi_meaning,
         {"Ý nghĩa", "sipvi.meaning", FT_STRING, BASE_NONE, NULL, 0x0,
          "Short Vietnamese meaning of the status code", HFILL}},
        {&hf_sipvi_detail,
         {"Chi tiết", "sipvi.detail", FT_STRING, BASE_NONE, NULL, 0x0,
          "What the status code means for the call and what to check first (Vietnamese)", HFILL}},
        {&hf_sipvi_severity,
         {"Mức độ", "sipvi.severity", FT_UINT8, BASE_DEC, VALS(sipvi_severity_vals), 0x0,
          "Severity: 1 chat, 2 note, 3 warning, 4 error", HFILL}},
        {&hf_sipvi_known,
         {"Có trong bảng", "sipvi.known", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "The status code has its own entry in the sipvi table (or a site override)", HFILL}},
        {&hf_sipvi_reference,
         {"Tài liệu", "sipvi.reference", FT_STRING, BASE_NONE, NULL, 0x0,
          "Document that defines the status code", HFILL}},
        {&hf_sipvi_reason,
         {"Cụm lý do (tiếng Anh)", "sipvi.reason", FT_STRING, BASE_NONE, NULL, 0x0,
          "English reason phrase of the code: the IANA registry's, or for a code outside it the one its stack sends (from the sipvi table)", HFILL}},
        {&hf_sipvi_override,
         {"Ghi đè tại chỗ", "sipvi.override", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "The meaning comes from this site's sipvi_overrides table", HFILL}},
        {&hf_sipvi_method,
         {"Phương thức", "sipvi.method", FT_STRING, BASE_NONE, NULL, 0x0,
          "Method of the request a response answers (from CSeq), or of the request itself", HFILL}},
        {&hf_sipvi_final,
         {"Phản hồi cuối cùng", "sipvi.final", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "The response is final (2xx and above), not provisional", HFILL}},
        {&hf_sipvi_q850_cause,
         {"Nguyên nhân Q.850", "sipvi.q850.cause", FT_UINT32, BASE_DEC, NULL, 0x0,
          "ITU-T Q.850 cause value of a Reason header", HFILL}},
        {&hf_sipvi_q850_meaning,
         {"Ý nghĩa", "sipvi.q850.meaning", FT_STRING, BASE_NONE, NULL, 0x0,
          "Vietnamese meaning of the Q.850 cause", HFILL}},
        {&hf_sipvi_q850_detail,
         {"Chi tiết", "sipvi.q850.detail", FT_STRING, BASE_NONE, NULL, 0x0,
          "What the Q.850 cause means and what to check first (Vietnamese)", HFILL}},
        {&hf_sipvi_sip_cause,
         {"Nguyên nhân SIP", "sipvi.reason_sip.cause", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Status code given as the cause of a Reason: SIP header", HFILL}},
        {&hf_sipvi_sip_cause_meaning,
         {"Ý nghĩa", "sipvi.reason_sip.meaning", FT_STRING, BASE_NONE, NULL, 0x0,
          "Vietnamese meaning of the Reason: SIP cause", HFILL}},
        {&hf_sipvi_warning_code,
         {"Mã Warning", "sipvi.warning.code", FT_UINT32, BASE_DEC, NULL, 0x0,
          "warn-code of a Warning header (0 when the value has none)", HFILL}},
        {&hf_sipvi_warning_meaning,
         {"Ý nghĩa", "sipvi.warning.meaning", FT_STRING, BASE_NONE, NULL, 0x0,
          "Vietnamese meaning of the warn-code", HFILL}},
        {&hf_sipvi_warning_text,
         {"Nội dung gửi kèm", "sipvi.warning.text", FT_STRING, BASE_NONE, NULL, 0x0,
          "What follows the warn-code (agent and text), as sent", HFILL}},
    };

    static gint *ett[] = {&ett_sipvi, &ett_sipvi_detail, &ett_sipvi_cause, &ett_sipvi_warning};

    static ei_register_info ei[] = {
        SIPVI_EI_CLASS(1, "provisional", "SIP provisional response (1xx)"),
        SIPVI_EI_CLASS(2, "success", "SIP success response (2xx)"),
        SIPVI_EI_CLASS(3, "redirection", "SIP redirection response (3xx)"),
        SIPVI_EI_CLASS(4, "client_error", "SIP request failure response (4xx)"),
        SIPVI_EI_CLASS(5, "server_error", "SIP server error response (5xx)"),
        SIPVI_EI_CLASS(6, "global_failure", "SIP global failure response (6xx)"),
        SIPVI_EI_CLASS(7, "stack_specific", "SIP stack-specific response (7xx, non-standard)"),
        {&ei_sipvi_invalid,
         {"sipvi.invalid", PI_RESPONSE_CODE, PI_ERROR,
          "SIP status code outside 100-799", EXPFILL}},
        {&ei_sipvi_q850,
         {"sipvi.q850", PI_RESPONSE_CODE, PI_CHAT, "Q.850 cause of a Reason header", EXPFILL}},
        {&ei_sipvi_sip_cause,
         {"sipvi.reason_sip", PI_RESPONSE_CODE, PI_CHAT, "SIP cause of a Reason header", EXPFILL}},
        {&ei_sipvi_warning,
         {"sipvi.warning", PI_RESPONSE_CODE, PI_NOTE, "SIP Warning header", EXPFILL}},
    };

    for (guint k = 1; k <= SIPVI_CLASS_MAX; k++) {
        sipvi_class_vals[k - 1].value = k;
        sipvi_class_vals[k - 1].strptr = sipvi_class_table[k].name;
    }

    proto_sipvi = proto_register_protocol("SIP status in Vietnamese", "sipvi", "sipvi");
    proto_register_field_array(proto_sipvi, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *expert_sipvi = expert_register_protocol(proto_sipvi);
    expert_register_field_array(expert_sipvi, ei, array_length(ei));

    module_t *prefs = prefs_register_protocol(proto_sipvi, apply_prefs);
    prefs_register_bool_preference(prefs, "info_column",
        "Append the Vietnamese meaning to the Info column",
        "Add the short Vietnamese meaning of each SIP response after the SIP text of the Info "
        "column (e.g. \"Status: 486 Busy Here | Máy bận\")", &pref_info_column);
    prefs_register_bool_preference(prefs, "expert_info", "Add expert info",
        "Raise an expert item (Response group) for each SIP response", &pref_expert);
    prefs_register_uint_preference(prefs, "expert_min_class", "Lowest class that raises expert info",
        "1-7: only responses of this class and above raise an expert item (4: failures only)",
        10, &pref_expert_min_class);
    prefs_register_bool_preference(prefs, "english_reason", "Show the English reason phrase",
        "Show the IANA reason phrase beside the Vietnamese meaning (e.g. \"Máy bận (Busy Here)\")",
        &pref_english_reason);
    sipvi_overrides_register(prefs);

    /* The post-dissector runs on every frame. A handle of a helper protocol ("pino") skips what
     * Wireshark does around a full protocol's dissector (a layer in pinfo->layers and its count,
     * in packet-pool memory, then taken back), while enabling follows sipvi's. */
    int proto_sipvi_post = proto_register_protocol_in_name_only(
        "SIP status in Vietnamese (post-dissector)", "sipvi post-dissector", "sipvi.postdissector",
        proto_sipvi, FT_PROTOCOL);
    sipvi_handle = create_dissector_handle(dissect_sipvi, proto_sipvi_post);
    register_postdissector(sipvi_handle);
    /* Wireshark clears the marks when it closes a file's trees; a new file starts primed. */
    register_init_routine(sipvi_prime_fields);
    register_shutdown_routine(sipvi_info_cleanup);
    sipvi_tap = register_tap("sipvi");
}

void
proto_reg_handoff_sipvi(void)
{
    /* Fields of other protocols are all registered by handoff time. */
    const char *missing = NULL;
    if (!sipvi_sip_fields_lookup(&sip_fields, &missing)) {
        ws_warning("sipvi: the SIP dissector has no field %s; sipvi stays idle", missing);
        return;
    }
    sip_fields_found = TRUE;
    proto_sip = proto_get_id_by_filter_name("sip");
    guint count;
    const int *hfids = sipvi_sip_fields_array(&sip_fields, &count);
    sipvi_prime_set_fields(hfids, count, SIPVI_DIALOG_FIELDS, sipvi_tap_listened);
}
