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
#include <epan/tfs.h>
#include <wsutil/report_message.h>

#include "packet-sipvi.h"
#include "sipvi_compat.h"
#include "sipvi_diag_expert.h"
#include "sipvi_diag_table.h"
#include "sipvi_dialogs.h"
#include "sipvi_info.h"
#include "sipvi_media_prefs.h"
#include "sipvi_label.h"
#include "sipvi_overrides.h"
#include "sipvi_prime.h"
#include "sipvi_record.h"
#include "sipvi_table.h"
#include "sipvi_tree_hook.h"
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
/* sipvi itself, whose enabling the post-dissector follows (see proto_register_sipvi). */
static protocol_t *sipvi_protocol;
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
 * it as lines cut at spaces, the first in its own label ("Chi tiết: …", readable with the item
 * closed), the others below it. Lines are measured in characters, as the reader sees them (a
 * Vietnamese letter takes 1 to 3 bytes), and never exceed a label's bytes after the item's name.
 * Only done when someone looks at the tree, and each text is cut once (wrap_of). */
#define SIPVI_LINE_CHARS 100
#define SIPVI_LABEL_NAME_MAX 16   /* "Chi tiết: " is 12 bytes */
#define SIPVI_LINE_BYTES_MAX (ITEM_LABEL_LENGTH - 1 - SIPVI_LABEL_NAME_MAX)

/* Bytes of the first line of text: at most SIPVI_LINE_CHARS characters, cut at the last space. */
static size_t
line_cut(const char *text)
{
    size_t last_space = 0;
    glong chars = 0;
    const char *p = text;
    while (*p) {
        if (chars == SIPVI_LINE_CHARS)
            break;
        const char *next = g_utf8_next_char(p);
        if ((size_t)(next - text) > SIPVI_LINE_BYTES_MAX)
            break;
        if (*p == ' ')
            last_space = (size_t)(p - text);
        p = next;
        chars++;
    }
    if (!*p)
        return (size_t)(p - text);
    /* One word longer than a line is cut where the line ends (at a character boundary). */
    return last_space ? last_space : (size_t)(p - text);
}

/* A text's lines: where each starts in the text, and its bytes. */
typedef struct {
    guint n;
    struct {
        guint16 start;
        guint16 length;
    } lines[];
} wrap_t;

/* Text (the table's or an override's, which live until the overrides change) -> its wrap_t. */
static GHashTable *wraps;
static guint wraps_generation;

static void
forget_wraps(void)
{
    if (wraps)
        g_hash_table_destroy(wraps);
    wraps = NULL;
}

static const wrap_t *
wrap_of(const char *text)
{
    guint generation = sipvi_overrides_generation();
    if (!wraps || generation != wraps_generation) {
        forget_wraps();
        wraps = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
        wraps_generation = generation;
    }
    wrap_t *w = (wrap_t *)g_hash_table_lookup(wraps, text);
    if (w)
        return w;
    /* A line holds at least one character, and a text longer than 65,535 bytes is cut there. */
    size_t size = MIN(strlen(text), G_MAXUINT16);
    guint n = 0;
    w = (wrap_t *)g_malloc(sizeof(wrap_t) + (size + 1) * sizeof w->lines[0]);
    for (size_t at = 0; at < size && text[at];) {
        size_t cut = MIN(line_cut(text + at), size - at);
        w->lines[n].start = (guint16)at;
        w->lines[n].length = (guint16)cut;
        n++;
        at += cut;
        while (at < size && text[at] == ' ')
            at++;
    }
    w->n = n;
    g_hash_table_insert(wraps, (gpointer)text, w);
    return w;
}

static void
add_long_text(proto_tree *tree, int hf, tvbuff_t *tvb, gint start, gint length, const char *label,
              const char *text)
{
    proto_item *pi = proto_tree_add_string(tree, hf, tvb, start, length, text);
    proto_item_set_generated(pi);
    if (!tree || !PTREE_DATA(tree)->visible)
        return;
    const wrap_t *w = wrap_of(text);
    size_t name = MIN(strlen(label), SIPVI_LABEL_NAME_MAX - 2);
    char first[ITEM_LABEL_LENGTH];
    memcpy(first, label, name);
    size_t used = name;
    if (w->n) {
        memcpy(first + used, ": ", 2);
        memcpy(first + used + 2, text + w->lines[0].start, w->lines[0].length);
        used += 2 + w->lines[0].length;
    }
    sipvi_label_set(pi, first, used);
    if (w->n < 2)
        return;
    proto_tree *lines = proto_item_add_subtree(pi, ett_sipvi_detail);
    for (guint i = 1; i < w->n; i++)
        sipvi_label_add_text(lines, tvb, start, length, ett_sipvi_detail,
                             text + w->lines[i].start, w->lines[i].length);
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

/* What a valid code's response shows as its item's label and expert message, made once per code
 * (and again when the overrides or the english_reason preference change). */
typedef struct {
    char *label;
    size_t label_length;
    char *message;
    guint generation;
    gboolean english;
} response_text_t;

static response_text_t response_texts[SIPVI_CODE_MAX - SIPVI_CODE_MIN + 1];

static void
forget_response_texts(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(response_texts); i++) {
        g_free(response_texts[i].label);
        g_free(response_texts[i].message);
        response_texts[i].label = NULL;
        response_texts[i].message = NULL;
    }
}

static const response_text_t *
response_text(guint32 code, const sipvi_view_t *v, const char *digits)
{
    response_text_t *t = &response_texts[code - SIPVI_CODE_MIN];
    guint generation = sipvi_overrides_generation();
    gboolean english = pref_english_reason ? TRUE : FALSE;
    if (t->label && t->generation == generation && t->english == english)
        return t;
    g_free(t->label);
    g_free(t->message);
    gboolean unregistered = v->res.entry && !v->res.entry->registered;
    t->label = g_strconcat(proto_registrar_get_nth((guint)proto_sipvi)->name, ": ", digits, " ",
                           v->meaning, reason_open(v), reason_text(v), reason_close(v),
                           unregistered ? unregistered_mark : "",
                           v->overridden ? " (ghi đè tại chỗ)" : "", NULL);
    t->label_length = strlen(t->label);
    t->message = g_strconcat(digits, " ", v->meaning, reason_open(v), reason_text(v),
                             reason_close(v), NULL);
    t->generation = generation;
    t->english = english;
    return t;
}

/* A number in decimal, without a printf per response. */
static void
decimal(char *out, guint32 value)
{
    char digits[16];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    for (size_t i = 0; i < n; i++)
        out[i] = digits[n - 1 - i];
    out[n] = '\0';
}

static gboolean expert_listed(packet_info *pinfo);
static void raise_file_severity_of(packet_info *pinfo, const sipvi_view_t *v);

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

    char code[16];
    decimal(code, m->code);
    if (!v.valid) {
        add_generated_boolean(st, hf_sipvi_known, tvb, start, length, FALSE);
        sipvi_label_protocol(top, code, " (", sipvi_view_meaning(&v), ")", NULL);
        if (expert && raises_expert(&v))
            expert_add_info_format(pinfo, top, &ei_sipvi_invalid,
                                   "%u: mã trạng thái không hợp lệ, phải nằm trong khoảng %u–%u",
                                   m->code, SIPVI_CODE_MIN, SIPVI_CODE_MAX);
    } else {
        const response_text_t *t = response_text(m->code, &v, code);
        sipvi_label_set(top, t->label, t->label_length);
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
        if (expert && raises_expert(&v)) {
            /* A Note, Warning or Error item hangs on sipvi's item. A Chat item (1xx, 2xx, a 401
             * challenge: the normal course of a call) goes to Expert Information, tshark -z
             * expert, the Expert column and the file's severity, but is not an item of the
             * tree: there it would repeat sipvi's item above, and Wireshark builds five labelled
             * items for it (9,700 instructions, most of a tree's budget on ordinary traffic:
             * docs/benchmarks.md). When neither the expert tap nor an Expert column would see
             * it, only the file's severity can (raise_file_severity_of). A "%s" is the cheapest
             * format Wireshark's expert call takes. */
            expert_field *ei = &ei_sipvi_response[v.res.class_number][v.severity];
            if (v.severity != SIPVI_SEVERITY_CHAT)
                expert_add_info_format(pinfo, top, ei, "%s", t->message);
            else if (expert_listed(pinfo))
                expert_add_info_format(pinfo, NULL, ei, "%s", t->message);
            else
                raise_file_severity_of(pinfo, &v);
        }
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
    sipvi_info_append(pinfo->cinfo, codes, n);
}

/* The most severe expert item sipvi has raised in this file without a tree, so that the next one
 * is only raised when it is graver (see raise_file_severity). */
static guint file_severity_raised;

static void
reset_file_severity(void)
{
    file_severity_raised = SIPVI_SEVERITY_NONE;
}

/* Nobody can see an expert item in a frame without a tree, tap or Expert column, but Wireshark
 * keeps the highest severity of the file from every item raised: the GUI's status-bar indicator
 * shows it right after loading a file, and that first pass builds no tree. So the gravest response
 * so far raises its item (no tree, no formatting), and the others cost a comparison. */
static void
raise_file_severity_of(packet_info *pinfo, const sipvi_view_t *v)
{
    guint severity = v->valid ? (guint)v->severity : SIPVI_SEVERITY_ERROR;
    if (!raises_expert(v) || severity <= file_severity_raised)
        return;
    file_severity_raised = severity;
    expert_add_info(pinfo, NULL, v->valid ? &ei_sipvi_response[v->res.class_number][v->severity]
                                          : &ei_sipvi_invalid);
}

static void
raise_file_severity(packet_info *pinfo, const guint32 *codes, guint n)
{
    for (guint i = 0; i < n && file_severity_raised < SIPVI_SEVERITY_MAX; i++) {
        sipvi_view_t v;
        sipvi_view_of(codes[i], &v);
        raise_file_severity_of(pinfo, &v);
    }
}

/* A frame without a tree (a plain run, the GUI's first pass): the Info column and the file's
 * severity, straight from what SIP publishes, nothing allocated. */
static void
annotate_unparsed(packet_info *pinfo, gboolean info)
{
    guint32 codes[SIPVI_INFO_MAX_RESPONSES];
    guint n = sipvi_sip_info_status_codes(pinfo, proto_sip, codes, G_N_ELEMENTS(codes));
    if (info)
        sipvi_info_append(pinfo->cinfo, codes, n);
    if (pref_expert && file_severity_raised < SIPVI_SEVERITY_MAX) {
        const char *saved_proto = pinfo->current_proto;
        pinfo->current_proto = "sipvi";
        raise_file_severity(pinfo, codes, n);
        pinfo->current_proto = saved_proto;
    }
}

static gboolean
expert_tap_listening(void)
{
    if (expert_tap < 0)
        expert_tap = find_tap_id("expert");
    return expert_tap >= 0 && have_tap_listener(expert_tap);
}

/* Whether an expert item without a tree item is seen: by the expert tap's listeners (Expert
 * Information, -z expert) or in an Expert column. */
static gboolean
expert_listed(packet_info *pinfo)
{
    return expert_tap_listening() || (pinfo->cinfo && pinfo->cinfo->col_first[COL_EXPERT] >= 0);
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
    return tree || expert_listed(pinfo);
}

static int dissect_sipvi_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree);

/* Every frame comes here; kept small, so that a frame without SIP pays little more than the
 * call (the work is in dissect_sipvi_frame). */
static int
dissect_sipvi(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    if (!sip_fields_found || !proto_is_protocol_enabled(sipvi_protocol))
        return 0;
    /* How long the capture runs on after a call's last message (sipvi_dialogs.h). */
    sipvi_dialogs_note_end(pinfo);
    /* Most frames: no tree and no SIP (RTP). Nothing to annotate then; only a listener of the
     * sipvi tap (an IP fragment) or the expert tap (sipvi_tree_hook) needs such a frame. */
    if (!tree && !sipvi_sip_info_present(pinfo, proto_sip) && !have_tap_listener(sipvi_tap) &&
            !expert_wanted(pinfo, NULL))
        return 0;
    return dissect_sipvi_frame(tvb, pinfo, tree);
}

static int
__attribute__((noinline)) dissect_sipvi_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    /* Keeps SIP's fields built in the next tree this pool sees (sipvi_prime.c). */
    if (tree) {
        sipvi_prime_watch_pool(pinfo->pool);
        sipvi_prime_check_tree(tree);
        sipvi_diag_table_tree_seen();
    }

    /* Items: for a tree someone looks at, or one filtered or printed on sipvi's fields. */
    gboolean items = tree && proto_field_is_referenced(tree, proto_sipvi);
    gboolean info = pref_info_column && pinfo->cinfo;
    gboolean tapped = have_tap_listener(sipvi_tap);
    gboolean expert = expert_wanted(pinfo, tree);
    /* Expert Information and -z expert list Reason and Warning items too, whatever the display
     * filter: they need SIP's header tree, which the expert tap does not ask for. This frame has
     * to do without; the rest of the pass gets one (sipvi_tree_hook.c). */
    if (!tree && expert && expert_tap_listening() && sipvi_tree_hook_give_tree(pinfo))
        sipvi_prime_watch_pool(pinfo->pool);   /* resetting the new tree clears the marks */
    if (!items && !tapped && !expert) {
        if (info || pref_expert)
            annotate_unparsed(pinfo, info);
        return 0;
    }

    /* The diagnosis items need the dialog fields (Call-ID, CSeq …), as the taps do. */
    gboolean diagnose = expert;
    sipvi_frame_t *frame = tree ? sipvi_record_from_tree(tree, pinfo, &sip_fields,
                                                         tapped || diagnose) : NULL;
    if (!frame)
        frame = sipvi_record_from_sip_info(pinfo, proto_sip);
    if (!frame) {
        /* An IP fragment nothing reassembled: the diagnosis of a call whose INVITE is missing
         * names it (sipvi_diagnosis.c). */
        if ((tapped || diagnose) && sipvi_is_ip_fragment(pinfo)) {
            frame = wmem_new0(pinfo->pool, sipvi_frame_t);
            frame->ip_fragment = TRUE;
            if (diagnose)
                sipvi_diag_expert_frame(tvb, pinfo, NULL, frame);
            if (tapped)
                tap_queue_packet(sipvi_tap, pinfo, frame);
        }
        return 0;
    }

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
    if (diagnose)
        sipvi_diag_expert_frame(tvb, pinfo, tree, frame);
    pinfo->current_proto = saved_proto;
    if (info)
        append_info(pinfo, frame);
    if (tapped)
        tap_queue_packet(sipvi_tap, pinfo, frame);
    return tvb_captured_length(tvb);
}

/* The dialog fields (Call-ID, From, To …) serve the sipvi tap's listeners and the diagnosis
 * expert items; they are built only where a tree is anyway. */
static gboolean
sipvi_tap_listened(void)
{
    return have_tap_listener(sipvi_tap) || pref_expert;
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
    sipvi_media_check_prefs();
}

/* Boolean fields read in Vietnamese in the tree and the status bar. */
static const true_false_string tfs_co_khong = {"Có", "Không"};

/* The expert fields' summaries are what Expert Information shows as group rows: made from the
 * class names of the data ("Phản hồi SIP 4xx: Yêu cầu thất bại"), once, at registration. */
static char class_summaries[SIPVI_CLASS_MAX + 1][128];

#define SIPVI_EI_CLASS(k, key)                                                                \
    {&ei_sipvi_response[k][SIPVI_SEVERITY_CHAT],                                             \
     {"sipvi." key ".chat", PI_RESPONSE_CODE, PI_CHAT, NULL, EXPFILL}},                      \
    {&ei_sipvi_response[k][SIPVI_SEVERITY_NOTE],                                             \
     {"sipvi." key ".note", PI_RESPONSE_CODE, PI_NOTE, NULL, EXPFILL}},                      \
    {&ei_sipvi_response[k][SIPVI_SEVERITY_WARN],                                             \
     {"sipvi." key ".warn", PI_RESPONSE_CODE, PI_WARN, NULL, EXPFILL}},                      \
    {&ei_sipvi_response[k][SIPVI_SEVERITY_ERROR],                                            \
     {"sipvi." key ".error", PI_RESPONSE_CODE, PI_ERROR, NULL, EXPFILL}}

void
proto_register_sipvi(void)
{
    static hf_register_info hf[] = {
        {&hf_sipvi_code,
         {"Mã trạng thái", "sipvi.code", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Mã trạng thái của phản hồi SIP (status code)", HFILL}},
        {&hf_sipvi_class,
         {"Lớp", "sipvi.class", FT_UINT8, BASE_DEC, VALS(sipvi_class_vals), 0x0,
          "Lớp của mã trạng thái: chữ số đầu, 1–7 (class)", HFILL}},
        {&hf_sipvi_meaning,
         {"Ý nghĩa", "sipvi.meaning", FT_STRING, BASE_NONE, NULL, 0x0,
          "Ý nghĩa ngắn của mã trạng thái, bằng tiếng Việt (meaning)", HFILL}},
        {&hf_sipvi_detail,
         {"Chi tiết", "sipvi.detail", FT_STRING, BASE_NONE, NULL, 0x0,
          "Mã trạng thái nói gì về cuộc gọi và cần kiểm tra gì trước (detail)", HFILL}},
        {&hf_sipvi_severity,
         {"Mức độ", "sipvi.severity", FT_UINT8, BASE_DEC, VALS(sipvi_severity_vals), 0x0,
          "Mức độ: 1 thông tin, 2 lưu ý, 3 cảnh báo, 4 lỗi (severity)", HFILL}},
        {&hf_sipvi_known,
         {"Có trong bảng", "sipvi.known", FT_BOOLEAN, BASE_NONE, TFS(&tfs_co_khong), 0x0,
          "Mã có mục riêng trong bảng của sipvi hoặc trong bảng ghi đè tại chỗ (known)", HFILL}},
        {&hf_sipvi_reference,
         {"Tài liệu", "sipvi.reference", FT_STRING, BASE_NONE, NULL, 0x0,
          "Tài liệu định nghĩa mã trạng thái (reference)", HFILL}},
        {&hf_sipvi_reason,
         {"Cụm lý do (tiếng Anh)", "sipvi.reason", FT_STRING, BASE_NONE, NULL, 0x0,
          "Cụm lý do tiếng Anh của mã: của sổ IANA, hoặc của stack đã gửi mã ngoài sổ; theo bảng của "
          "sipvi (reason phrase)", HFILL}},
        {&hf_sipvi_override,
         {"Ghi đè tại chỗ", "sipvi.override", FT_BOOLEAN, BASE_NONE, TFS(&tfs_co_khong), 0x0,
          "Ý nghĩa lấy từ bảng ghi đè tại chỗ sipvi_overrides (site override)", HFILL}},
        {&hf_sipvi_method,
         {"Phương thức", "sipvi.method", FT_STRING, BASE_NONE, NULL, 0x0,
          "Phương thức của yêu cầu mà phản hồi trả lời (theo CSeq), hoặc của chính yêu cầu (method)",
          HFILL}},
        {&hf_sipvi_final,
         {"Phản hồi cuối cùng", "sipvi.final", FT_BOOLEAN, BASE_NONE, TFS(&tfs_co_khong), 0x0,
          "Phản hồi cuối cùng (2xx trở lên), không phải phản hồi tạm thời (final)", HFILL}},
        {&hf_sipvi_q850_cause,
         {"Nguyên nhân Q.850", "sipvi.q850.cause", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Giá trị nguyên nhân ITU-T Q.850 trong header Reason (cause)", HFILL}},
        {&hf_sipvi_q850_meaning,
         {"Ý nghĩa", "sipvi.q850.meaning", FT_STRING, BASE_NONE, NULL, 0x0,
          "Ý nghĩa tiếng Việt của nguyên nhân Q.850 (meaning)", HFILL}},
        {&hf_sipvi_q850_detail,
         {"Chi tiết", "sipvi.q850.detail", FT_STRING, BASE_NONE, NULL, 0x0,
          "Nguyên nhân Q.850 nói gì và cần kiểm tra gì trước (detail)", HFILL}},
        {&hf_sipvi_sip_cause,
         {"Nguyên nhân SIP", "sipvi.reason_sip.cause", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Mã trạng thái nêu làm nguyên nhân trong header Reason: SIP (cause)", HFILL}},
        {&hf_sipvi_sip_cause_meaning,
         {"Ý nghĩa", "sipvi.reason_sip.meaning", FT_STRING, BASE_NONE, NULL, 0x0,
          "Ý nghĩa tiếng Việt của nguyên nhân trong Reason: SIP (meaning)", HFILL}},
        {&hf_sipvi_warning_code,
         {"Mã Warning", "sipvi.warning.code", FT_UINT32, BASE_DEC, NULL, 0x0,
          "warn-code của header Warning (0 khi giá trị không có mã)", HFILL}},
        {&hf_sipvi_warning_meaning,
         {"Ý nghĩa", "sipvi.warning.meaning", FT_STRING, BASE_NONE, NULL, 0x0,
          "Ý nghĩa tiếng Việt của warn-code (meaning)", HFILL}},
        {&hf_sipvi_warning_text,
         {"Nội dung gửi kèm", "sipvi.warning.text", FT_STRING, BASE_NONE, NULL, 0x0,
          "Phần sau warn-code (agent và văn bản), giữ nguyên như đã gửi (text)", HFILL}},
    };

    static gint *ett[] = {&ett_sipvi, &ett_sipvi_detail, &ett_sipvi_cause, &ett_sipvi_warning};

    static ei_register_info ei[] = {
        SIPVI_EI_CLASS(1, "provisional"),
        SIPVI_EI_CLASS(2, "success"),
        SIPVI_EI_CLASS(3, "redirection"),
        SIPVI_EI_CLASS(4, "client_error"),
        SIPVI_EI_CLASS(5, "server_error"),
        SIPVI_EI_CLASS(6, "global_failure"),
        SIPVI_EI_CLASS(7, "stack_specific"),
        {&ei_sipvi_invalid,
         {"sipvi.invalid", PI_RESPONSE_CODE, PI_ERROR,
          "Mã trạng thái SIP ngoài khoảng 100–799", EXPFILL}},
        {&ei_sipvi_q850,
         {"sipvi.q850", PI_RESPONSE_CODE, PI_CHAT, "Nguyên nhân Q.850 trong header Reason", EXPFILL}},
        {&ei_sipvi_sip_cause,
         {"sipvi.reason_sip", PI_RESPONSE_CODE, PI_CHAT, "Nguyên nhân SIP trong header Reason",
          EXPFILL}},
        {&ei_sipvi_warning,
         {"sipvi.warning", PI_RESPONSE_CODE, PI_NOTE, "Header Warning của SIP", EXPFILL}},
    };

    for (guint k = 1; k <= SIPVI_CLASS_MAX; k++) {
        /* A class name too long for a summary is a data error the build would have caught:
         * tests/test_expert.py compares every summary with the data. */
        (void)snprintf(class_summaries[k], sizeof class_summaries[k], "Phản hồi SIP %uxx: %s", k,
                       sipvi_class_table[k].name);
    }
    /* The first SIPVI_CLASS_MAX × SIPVI_SEVERITY_MAX entries are the class items, in class order. */
    for (guint i = 0; i < SIPVI_CLASS_MAX * SIPVI_SEVERITY_MAX; i++)
        ei[i].eiinfo.summary = class_summaries[i / SIPVI_SEVERITY_MAX + 1];

    for (guint k = 1; k <= SIPVI_CLASS_MAX; k++) {
        sipvi_class_vals[k - 1].value = k;
        sipvi_class_vals[k - 1].strptr = sipvi_class_table[k].name;
    }

    proto_sipvi = proto_register_protocol("Trạng thái SIP tiếng Việt", "sipvi", "sipvi");
    proto_register_field_array(proto_sipvi, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *expert_sipvi = expert_register_protocol(proto_sipvi);
    expert_register_field_array(expert_sipvi, ei, array_length(ei));
    sipvi_diag_expert_register(proto_sipvi, expert_sipvi);

    module_t *prefs = prefs_register_protocol(proto_sipvi, apply_prefs);
    prefs_register_bool_preference(prefs, "info_column",
        "Thêm ý nghĩa tiếng Việt vào cột Info (Info column)",
        "Sau phần chữ của SIP trong cột Info, thêm ý nghĩa ngắn của mỗi phản hồi SIP, ví dụ "
        "\"Status: 486 Busy Here | Máy bận\"", &pref_info_column);
    prefs_register_bool_preference(prefs, "expert_info", "Tạo mục Expert Info (expert info)",
        "Mỗi phản hồi SIP tạo một mục trong nhóm Response của Expert Information", &pref_expert);
    prefs_register_uint_preference(prefs, "expert_min_class",
        "Lớp thấp nhất tạo mục Expert Info (lowest class)",
        "1–7: chỉ phản hồi thuộc lớp này trở lên mới tạo mục Expert Info (4: chỉ các thất bại)",
        10, &pref_expert_min_class);
    prefs_register_bool_preference(prefs, "english_reason",
        "Hiện cụm lý do tiếng Anh (English reason phrase)",
        "Hiện cụm lý do IANA bên cạnh ý nghĩa tiếng Việt trong cây chi tiết và Expert Info, ví dụ "
        "\"Máy bận (Busy Here)\"; cột Info đã có cụm lý do SIP gửi", &pref_english_reason);
    sipvi_overrides_register(prefs);
    sipvi_media_register_prefs(prefs);   /* the media diagnosis thresholds (plugin/calls/media) */

    /* The post-dissector runs on every frame, most of them RTP without a tree, where what
     * Wireshark does around a protocol's handle costs more than sipvi's own test: a full
     * protocol's adds a layer to pinfo->layers (packet-pool memory) and takes it back, a helper
     * protocol's ("pino") still asks twice whether it is one and looks its parent up by id to
     * know whether it is enabled. So the handle has no protocol, and dissect_sipvi asks whether
     * sipvi is enabled itself (sipvi_protocol). The helper protocol stays registered: it is what
     * `-G protocols` has always listed beside sipvi. */
    proto_register_protocol_in_name_only(
        "Trạng thái SIP tiếng Việt: phần chạy sau SIP (nội bộ, bật/tắt theo sipvi)",
        "sipvi (nội bộ)", "sipvi.postdissector", proto_sipvi, FT_PROTOCOL);
    sipvi_protocol = find_protocol_by_id(proto_sipvi);
    sipvi_handle = create_dissector_handle(dissect_sipvi, -1);
    register_postdissector(sipvi_handle);
    /* Wireshark clears the marks when it closes a file's trees; a new file starts primed. */
    register_init_routine(sipvi_prime_fields);
    register_init_routine(sipvi_dialogs_end_reset);
    register_init_routine(reset_file_severity);
    register_shutdown_routine(sipvi_info_cleanup);
    register_shutdown_routine(forget_wraps);
    register_shutdown_routine(forget_response_texts);
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
