/* packet-sipvi.c — SIP status in Vietnamese: a post-dissector that annotates every SIP response.
 *
 * It runs after the SIP dissector and reads the status codes that dissector already parsed
 * (sip.Status-Code); it never parses SIP text itself. For each response of a frame it adds a
 * "sipvi" subtree over the status code's bytes and an expert item in the PI_RESPONSE_CODE group,
 * both worded from the table compiled out of data/ at build time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/proto_data.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <wsutil/report_message.h>

#include "packet-sipvi.h"
#include "sipvi_compat.h"
#include "sipvi_overrides.h"
#include "sipvi_table.h"

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

static gint ett_sipvi = -1;
static gint ett_sipvi_detail = -1;

/* One expert field per class and severity: Wireshark fixes an expert field's severity at
 * registration, while the data sets it per code (a 401 challenge is "chat" inside the
 * "warn" class 4xx). */
static expert_field ei_sipvi_response[SIPVI_CLASS_MAX + 1][SIPVI_SEVERITY_MAX + 1];
static expert_field ei_sipvi_invalid = EI_INIT;

static dissector_handle_t sipvi_handle;

static sipvi_bool_t pref_info_column = TRUE;
static sipvi_bool_t pref_expert = TRUE;
static guint pref_expert_min_class = 1;
static sipvi_bool_t pref_english_reason = FALSE;

static int hf_sip_status_code = -1;

/* Filled from the compiled table at registration; Wireshark keeps pointers to it. */
static value_string sipvi_class_vals[SIPVI_CLASS_MAX + 1];

static const value_string sipvi_severity_vals[] = {
    {SIPVI_SEVERITY_CHAT, "Thông tin (Chat)"},
    {SIPVI_SEVERITY_NOTE, "Lưu ý (Note)"},
    {SIPVI_SEVERITY_WARN, "Cảnh báo (Warning)"},
    {SIPVI_SEVERITY_ERROR, "Lỗi (Error)"},
    {0, NULL}
};

/* What the first pass saw of one response. Later passes (tshark -2, every re-dissection in the
 * GUI) do not get the wanted fields primed, so they re-emit from this record instead. */
typedef struct {
    guint32 code;
    guint   source;        /* index of the status code's data source in pinfo->data_src */
    gint    start;
    gint    length;
} sipvi_response_t;

typedef struct {
    guint n_responses;
    sipvi_response_t responses[];
} sipvi_frame_t;

static sipvi_frame_t *
record_frame(packet_info *pinfo, const GPtrArray *status_codes)
{
    sipvi_frame_t *frame = (sipvi_frame_t *)wmem_alloc(wmem_file_scope(),
            sizeof(sipvi_frame_t) + status_codes->len * sizeof(sipvi_response_t));
    frame->n_responses = status_codes->len;
    for (guint i = 0; i < status_codes->len; i++) {
        field_info *fi = (field_info *)g_ptr_array_index(status_codes, i);
        sipvi_response_t *r = &frame->responses[i];
        r->code = SIPVI_FINFO_UINT(fi);
        r->start = fi->start;
        r->length = fi->length;
        r->source = 0;
        guint index = 0;
        for (GSList *src = pinfo->data_src; src; src = src->next, index++) {
            if (get_data_source_tvb((const struct data_source *)src->data) == fi->ds_tvb) {
                r->source = index;
                break;
            }
        }
    }
    p_add_proto_data(wmem_file_scope(), pinfo, proto_sipvi, 0, frame);
    return frame;
}

/* The bytes to highlight: the recorded data source, which dissection rebuilds in the same
 * order on every pass; the frame itself if that ever fails to hold. */
static tvbuff_t *
response_tvb(packet_info *pinfo, tvbuff_t *frame_tvb, const sipvi_response_t *r, gint *start,
             gint *length)
{
    const struct data_source *src =
        (const struct data_source *)g_slist_nth_data(pinfo->data_src, r->source);
    tvbuff_t *tvb = src ? get_data_source_tvb(src) : NULL;
    if (tvb && r->start >= 0 && r->length >= 0 &&
            tvb_bytes_exist(tvb, r->start, r->length)) {
        *start = r->start;
        *length = r->length;
        return tvb;
    }
    *start = 0;
    *length = 0;
    return frame_tvb;
}

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
                cut = SIPVI_LINE_BYTES;
                while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
                    cut--;
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
add_detail(proto_tree *tree, tvbuff_t *tvb, gint start, gint length, const char *detail)
{
    proto_item *pi = proto_tree_add_string(tree, hf_sipvi_detail, tvb, start, length, detail);
    proto_item_set_generated(pi);
    if (!tree || !PTREE_DATA(tree)->visible)
        return;
    proto_item_set_text(pi, "Chi tiết");
    add_wrapped_text(proto_item_add_subtree(pi, ett_sipvi_detail), tvb, start, length, detail);
}

/* What sipvi shows for one status code: the compiled table, with the site's override on top. */
typedef struct {
    sipvi_resolution_t res;
    gboolean valid;
    gboolean known;
    gboolean overridden;
    const char *meaning;
    const char *detail;
    sipvi_severity_t severity;
    const char *reason;         /* the table's English phrase, NULL when it has no entry */
} sipvi_view_t;

static void
view_of(guint32 code, sipvi_view_t *v)
{
    v->valid = sipvi_resolve(code, &v->res);
    v->meaning = v->res.meaning;
    v->detail = v->res.detail;
    v->severity = v->res.severity;
    v->reason = v->res.entry ? v->res.entry->reason : NULL;
    v->known = v->res.entry != NULL;
    const sipvi_override_t *o = v->valid ? sipvi_override_lookup(code) : NULL;
    v->overridden = o != NULL;
    if (o) {
        v->known = TRUE;
        v->meaning = o->meaning;
        if (o->detail && *o->detail)
            v->detail = o->detail;
        if (o->severity_value != SIPVI_SEVERITY_NONE)
            v->severity = o->severity_value;
    }
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
    return pref_expert && (!v->valid || v->res.class_number >= pref_expert_min_class);
}

static void
annotate_response(proto_tree *tree, packet_info *pinfo, tvbuff_t *frame_tvb,
                  const sipvi_response_t *r)
{
    gint start, length;
    tvbuff_t *tvb = response_tvb(pinfo, frame_tvb, r, &start, &length);
    sipvi_view_t v;
    view_of(r->code, &v);

    proto_item *top = proto_tree_add_item(tree, proto_sipvi, tvb, start, length, ENC_NA);
    proto_tree *st = proto_item_add_subtree(top, ett_sipvi);
    proto_tree_add_uint(st, hf_sipvi_code, tvb, start, length, r->code);
    proto_item *pi;

    if (!v.valid) {
        pi = proto_tree_add_boolean(st, hf_sipvi_known, tvb, start, length, FALSE);
        proto_item_set_generated(pi);
        proto_item_append_text(top, ": %u (mã không hợp lệ)", r->code);
        if (raises_expert(&v))
            expert_add_info_format(pinfo, top, &ei_sipvi_invalid,
                                   "%u: mã trạng thái không hợp lệ, phải nằm trong khoảng %u–%u",
                                   r->code, SIPVI_CODE_MIN, SIPVI_CODE_MAX);
        return;
    }

    proto_item_append_text(top, ": %u %s%s%s%s", r->code, v.meaning, reason_open(&v),
                           reason_text(&v), reason_close(&v));
    pi = proto_tree_add_uint(st, hf_sipvi_class, tvb, start, length, v.res.class_number);
    proto_item_set_generated(pi);
    pi = proto_tree_add_string(st, hf_sipvi_meaning, tvb, start, length, v.meaning);
    proto_item_set_generated(pi);
    add_detail(st, tvb, start, length, v.detail);
    pi = proto_tree_add_uint(st, hf_sipvi_severity, tvb, start, length, v.severity);
    proto_item_set_generated(pi);
    pi = proto_tree_add_boolean(st, hf_sipvi_known, tvb, start, length, v.known);
    proto_item_set_generated(pi);
    if (v.reason) {
        pi = proto_tree_add_string(st, hf_sipvi_reason, tvb, start, length, v.reason);
        proto_item_set_generated(pi);
    }
    if (v.res.entry) {
        pi = proto_tree_add_string(st, hf_sipvi_reference, tvb, start, length,
                                   v.res.entry->reference);
        proto_item_set_generated(pi);
        if (!v.res.entry->registered)
            proto_item_append_text(top, " (mã không chuẩn)");
    }
    if (v.overridden) {
        pi = proto_tree_add_boolean(st, hf_sipvi_override, tvb, start, length, TRUE);
        proto_item_set_generated(pi);
        proto_item_append_text(top, " (ghi đè tại chỗ)");
    }
    if (raises_expert(&v))
        expert_add_info_format(pinfo, top, &ei_sipvi_response[v.res.class_number][v.severity],
                               "%u %s%s%s%s", r->code, v.meaning, reason_open(&v),
                               reason_text(&v), reason_close(&v));
}

/* The SIP dissector ends its Info text with " | ": the meaning follows it. One response shows
 * just its meaning; several in one segment are told apart by their codes. */
static void
append_info(packet_info *pinfo, const sipvi_frame_t *frame)
{
    for (guint i = 0; i < frame->n_responses; i++) {
        sipvi_view_t v;
        view_of(frame->responses[i].code, &v);
        const char *meaning = v.valid ? v.meaning : "mã không hợp lệ";
        if (frame->n_responses == 1)
            col_append_fstr(pinfo->cinfo, COL_INFO, "%s%s%s%s", meaning, reason_open(&v),
                            reason_text(&v), reason_close(&v));
        else
            col_append_fstr(pinfo->cinfo, COL_INFO, "%s%u: %s%s%s%s", i ? "; " : "",
                            frame->responses[i].code, meaning, reason_open(&v), reason_text(&v),
                            reason_close(&v));
    }
}

static int
dissect_sipvi(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    sipvi_frame_t *frame;

    if (!PINFO_FD_VISITED(pinfo)) {
        /* The cheapest test there is for the frames without SIP responses: the array of a
         * wanted field that no dissector added is NULL. */
        GPtrArray *status_codes = proto_get_finfo_ptr_array(tree, hf_sip_status_code);
        if (!status_codes || status_codes->len == 0)
            return 0;
        frame = record_frame(pinfo, status_codes);
    } else {
        frame = (sipvi_frame_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_sipvi, 0);
        if (!frame)
            return 0;
    }

    for (guint i = 0; i < frame->n_responses; i++)
        annotate_response(tree, pinfo, tvb, &frame->responses[i]);
    if (pref_info_column)
        append_info(pinfo, frame);
    return tvb_captured_length(tvb);
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
          "The status code has its own entry in the sipvi table", HFILL}},
        {&hf_sipvi_reference,
         {"Tài liệu", "sipvi.reference", FT_STRING, BASE_NONE, NULL, 0x0,
          "Document that defines the status code", HFILL}},
        {&hf_sipvi_reason,
         {"Cụm lý do (IANA)", "sipvi.reason", FT_STRING, BASE_NONE, NULL, 0x0,
          "English reason phrase of the code in the IANA registry (from the sipvi table)", HFILL}},
        {&hf_sipvi_override,
         {"Ghi đè tại chỗ", "sipvi.override", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "The meaning comes from this site's sipvi_overrides table", HFILL}},
    };

    static gint *ett[] = {&ett_sipvi, &ett_sipvi_detail};

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

    sipvi_handle = create_dissector_handle(dissect_sipvi, proto_sipvi);
    register_postdissector(sipvi_handle);
}

void
proto_reg_handoff_sipvi(void)
{
    /* Fields of other protocols are all registered by handoff time. */
    hf_sip_status_code = proto_registrar_get_id_byname("sip.Status-Code");
    if (hf_sip_status_code == -1) {
        ws_warning("sipvi: the SIP dissector has no field sip.Status-Code; sipvi stays idle");
        return;
    }
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    g_array_append_val(wanted, hf_sip_status_code);
    set_postdissector_wanted_hfids(sipvi_handle, wanted);
}
