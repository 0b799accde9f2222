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

#include "sipvi_call_media.h"
#include "sipvi_diag_expert.h"
#include "sipvi_diagnosis.h"
#include "sipvi_diag_message.h"
#include "sipvi_media.h"
#include "sipvi_media_diagnosis.h"
#include "sipvi_report.h"

static int proto;
static int hf_diagnosis_id = -1;
static int hf_diagnosis_title = -1;
static int hf_diagnosis_explanation = -1;
static int hf_diagnosis_frames = -1;
static int hf_diagnosis_call_id = -1;
static gint ett_diagnosis = -1;
static gint ett_media = -1;
/* The call's media figures on its item: [direction][figure], then the call's. */
enum { FIG_PACKETS, FIG_LOST_PCT, FIG_MEAN_JITTER, FIG_MAX_JITTER, FIG_REPORTED_LOST, FIG_MOS,
       N_FIGURES };
static int hf_media[2][N_FIGURES] = {{-1, -1, -1, -1, -1, -1}, {-1, -1, -1, -1, -1, -1}};
static int hf_setup_ms = -1;
static int hf_duration_s = -1;
static int hf_ended_by = -1;
static expert_field ei_call = EI_INIT;
static expert_field ei_registration = EI_INIT;
static expert_field ei_call_note = EI_INIT;
static expert_field ei_registration_note = EI_INIT;

typedef struct {
    sipvi_diag_call_t diag;
    sipvi_call_media_t media;  /* its SDPs and timing, as the calls report keeps them */
    const char *caller;        /* the From URI of its INVITE */
    gboolean reported;
} call_state_t;

typedef struct {
    sipvi_diag_reg_t diag;
    const char *aor;
    gboolean reported;
} reg_state_t;

/* A call's media figures as its item shows them; a figure < 0 does not apply (no field). */
typedef struct {
    double figure[2][N_FIGURES];
    double setup_ms, duration_s;
    const char *ended_by;
} media_fields_t;

/* What a frame concluded for one of its messages. */
typedef struct {
    sipvi_diag_id_t id;
    const char *call_id;
    const char *explanation;
    const char *frames;
    const media_fields_t *media;   /* a call's, NULL when none applies */
} result_t;

/* p_add_proto_data keys: one per message of the frame. */
#define RESULT_KEY_BASE 0x5d1a0000u
/* The 2xx to a BYE whose call's media could not be judged yet: the call_state_t. */
#define PENDING_KEY_BASE 0x5d1b0000u
/* A frame fed without SIP's tree: its SDP is read when it is dissected again with one. */
#define NO_TREE_KEY 0x5d1c0000u

static wmem_map_t *calls;       /* Call-ID -> call_state_t, the latest dialog of that Call-ID */
static wmem_map_t *regs;        /* Call-ID -> reg_state_t */
static guint32 last_fed;        /* the last frame fed to the rules, in this file */
static sipvi_fragment_ring_t fragments;
/* The file's RTP and RTCP, for the media diagnosis of answered calls. Its listeners are registered
 * the first time this path runs in a file (a tree or an expert listener): a plain run without
 * either never pays for them. One fixed-size record per stream (sipvi_media.h). */
static sipvi_media_t *media;
static gboolean media_listening;

static void
new_file(void)
{
    last_fed = 0;
    memset(&fragments, 0, sizeof fragments);
    if (media_listening) {
        sipvi_media_unlisten(media);
        media_listening = FALSE;
    }
    if (media)
        sipvi_media_reset(media);
}

/* At exit the host has removed every listener already (tap_cleanup comes before the shutdown
 * routines); unlisten is then a no-op, and otherwise it removes them before the book goes. */
static void
free_media(void)
{
    if (!media)
        return;
    if (media_listening)
        sipvi_media_unlisten(media);
    media_listening = FALSE;
    sipvi_media_free(media);
    media = NULL;
}

static void
media_listen(void)
{
    if (media_listening)
        return;
    if (!media) {
        media = sipvi_media_new();
        register_shutdown_routine(free_media);
    }
    GString *error = NULL;
    if (!sipvi_media_listen_in_order(media, &error)) {
        /* The host refused a listener (cannot happen for these taps): no media diagnosis. */
        g_string_free(error, TRUE);
        return;
    }
    media_listening = TRUE;
}

static call_state_t *
new_call(const char *call_id, const char *caller)
{
    call_state_t *s = wmem_new0(wmem_file_scope(), call_state_t);
    sipvi_diag_call_init(&s->diag);
    sipvi_call_media_init(&s->media);
    s->caller = wmem_strdup(wmem_file_scope(), caller ? caller : "");
    wmem_map_insert(calls, wmem_strdup(wmem_file_scope(), call_id), s);
    return s;
}

/* The figures as the calls CSV fills its cells (sipvi_call_media_report.c): a direction's apply
 * when its receiver declared media and the file holds RTP; loss, jitter, MOS need packets. */
static const media_fields_t *
media_fields(const sipvi_call_media_t *cm)
{
    if (!media || !media_listening || (!cm->n_sdp[0] && !cm->n_sdp[1]))
        return NULL;
    media_fields_t *mf = wmem_new(wmem_file_scope(), media_fields_t);
    sipvi_media_finish(media);   /* the receivers' reports as they stand */
    sipvi_direction_figures_t f[2];
    sipvi_call_media_figures(cm, media, f);
    gboolean any_media = sipvi_media_n_streams(media) > 0;
    for (int d = 0; d < 2; d++) {
        gboolean applies = any_media && f[d].declared;
        gboolean has = applies && f[d].packets > 0;
        mf->figure[d][FIG_PACKETS] = applies ? (double)f[d].packets : -1;
        mf->figure[d][FIG_LOST_PCT] = has ? f[d].lost_pct : -1;
        mf->figure[d][FIG_MEAN_JITTER] = has ? f[d].mean_jitter_ms : -1;
        mf->figure[d][FIG_MAX_JITTER] = has ? f[d].max_jitter_ms : -1;
        mf->figure[d][FIG_REPORTED_LOST] = has && f[d].reported_lost_pct >= 0
                                           ? f[d].reported_lost_pct : -1;
        mf->figure[d][FIG_MOS] = has && f[d].mos >= 0 ? f[d].mos : -1;
    }
    mf->setup_ms = sipvi_call_media_setup_ms(cm);
    mf->duration_s = sipvi_call_media_duration_s(cm);
    mf->ended_by = sipvi_call_media_ended_by(cm);
    return mf;
}

static void
store_words(packet_info *pinfo, guint index, sipvi_diag_id_t id,
            const sipvi_diag_wording_t *words, const char *call_id,
            const media_fields_t *mf)
{
    result_t *r = wmem_new(wmem_file_scope(), result_t);
    r->id = id;
    r->call_id = wmem_strdup(wmem_file_scope(), call_id);
    r->explanation = wmem_strdup(wmem_file_scope(), words->explanation);
    r->frames = wmem_strdup(wmem_file_scope(), words->frames);
    r->media = mf;
    p_add_proto_data(wmem_file_scope(), pinfo, proto, RESULT_KEY_BASE + index, r);
}

static void
store(packet_info *pinfo, guint index, const sipvi_diagnosis_t *d, const char *call_id,
      const char *aor, const media_fields_t *mf)
{
    sipvi_diag_wording_t words;
    sipvi_diag_wording(d, aor, &words);
    store_words(pinfo, index, d->id, &words, call_id, mf);
    sipvi_diag_wording_free(&words);
}

/* An answered call at the 2xx answering its BYE: its media fault, decided as -z sipvi,calls
 * decides it (sipvi_calls.c make_row) on the RTP seen so far; certain there (docs/media.md). */
static gboolean
media_item(packet_info *pinfo, guint index, call_state_t *s, const char *call_id,
           sipvi_diagnosis_t *d)
{
    if (!media_listening || d->id != SIPVI_DIAG_ANSWERED || !s->media.bye_ok_frame ||
        s->media.bye_ok_frame != pinfo->num)
        return FALSE;
    if (sipvi_media_n_streams(media) == 0) {
        /* No RTP so far: a SIP-only capture, or a pass without taps (tshark's first pass of -2
         * runs no tap). Decided again when the frame is dissected with taps, after the frames
         * before it (decide_pending). */
        p_add_proto_data(wmem_file_scope(), pinfo, proto, PENDING_KEY_BASE + index, s);
        return FALSE;
    }
    sipvi_media_finish(media);
    sipvi_diag_wording_t words;
    sipvi_diag_wording(d, NULL, &words);
    sipvi_media_diagnose(&s->media, media, d, &words);
    gboolean found = d->id != SIPVI_DIAG_ANSWERED && d->certain_frame == pinfo->num;
    if (found)
        store_words(pinfo, index, d->id, &words, call_id, media_fields(&s->media));
    sipvi_diag_wording_free(&words);
    return found;
}

static void
feed_call(packet_info *pinfo, guint index, const sipvi_message_t *m, const sipvi_diag_msg_t *dm)
{
    call_state_t *s = (call_state_t *)wmem_map_lookup(calls, m->call_id);
    /* As the calls report does (sipvi_dialogs.c). */
    if (!s || sipvi_diag_call_starts_new(&s->diag, dm)) {
        if (!s && strcmp(m->method, "INVITE") != 0)
            return;   /* neither an INVITE nor an answer to one */
        s = new_call(m->call_id, m->from);
    }
    sipvi_diag_call_note(&s->diag, dm);
    sipvi_call_media_note(&s->media, pinfo, m, s->caller);
    if (s->reported)
        return;
    /* Decided on what has been read so far: what only the end of the capture could tell is
     * certain at no frame, and raises no item. */
    sipvi_diag_end_t now = {pinfo->num, dm->time};
    sipvi_diagnosis_t d;
    sipvi_diag_call_decide(&s->diag, &now, &d);
    if (d.certain_frame == pinfo->num && sipvi_diag_has_item(&d)) {
        s->reported = TRUE;
        store(pinfo, index, &d, m->call_id, NULL, media_fields(&s->media));
    } else if (media_item(pinfo, index, s, m->call_id, &d)) {
        s->reported = TRUE;
    }
}

/* A 2xx to a BYE left pending (media_item) dissected again once the media book holds RTP: decided on
 * the call's signalling as read so far (a failed BYE keeps its id) and the RTP before it. */
static void
decide_pending(packet_info *pinfo, guint index, const sipvi_message_t *m)
{
    /* The book's state first: on a capture without RTP, no frame's lookup is needed. */
    if (!media_listening || sipvi_media_n_streams(media) == 0)
        return;
    call_state_t *s = (call_state_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto,
                                                       PENDING_KEY_BASE + index);
    if (!s || s->reported)
        return;
    p_remove_proto_data(wmem_file_scope(), pinfo, proto, PENDING_KEY_BASE + index);
    sipvi_diag_end_t now = {pinfo->num, nstime_to_sec(&pinfo->rel_ts)};
    sipvi_diagnosis_t d;
    sipvi_diag_call_decide(&s->diag, &now, &d);
    if (media_item(pinfo, index, s, m->call_id, &d))
        s->reported = TRUE;
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
        store(pinfo, index, &d, m->call_id, s->aor, NULL);
    }
}

static void
add_double(proto_tree *tree, int hf, tvbuff_t *tvb, gint start, gint length, double value)
{
    if (value >= 0)
        proto_item_set_generated(proto_tree_add_double(tree, hf, tvb, start, length, value));
}

static void
add_media_fields(proto_tree *st, tvbuff_t *tvb, gint start, gint length, const media_fields_t *mf)
{
    static const char *const titles[2] = {"Âm thanh tới bên gọi", "Âm thanh tới bên được gọi"};
    add_double(st, hf_setup_ms, tvb, start, length, mf->setup_ms);
    add_double(st, hf_duration_s, tvb, start, length, mf->duration_s);
    if (mf->ended_by && *mf->ended_by)
        proto_item_set_generated(proto_tree_add_string(st, hf_ended_by, tvb, start, length,
                                                       mf->ended_by));
    for (int d = 0; d < 2; d++) {
        if (mf->figure[d][FIG_PACKETS] < 0)
            continue;
        proto_tree *mt = proto_tree_add_subtree(st, tvb, start, length, ett_media, NULL, titles[d]);
        proto_item_set_generated(proto_tree_add_uint(mt, hf_media[d][FIG_PACKETS], tvb, start,
                                                     length, (guint32)mf->figure[d][FIG_PACKETS]));
        for (int i = FIG_LOST_PCT; i < N_FIGURES; i++)
            add_double(mt, hf_media[d][i], tvb, start, length, mf->figure[d][i]);
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
    if (r->media && st)
        add_media_fields(st, tvb, start, length, r->media);
}

/* A frame first fed without a tree (the first frame of tshark's -z expert, or of -2's first
 * pass), dissected again with one: the SDP of its messages joins their calls, so that the media
 * diagnosis at the BYE (decided again if it was pending) knows the side's address. */
static void
read_late_sdp(packet_info *pinfo, const sipvi_frame_t *frame)
{
    if (!p_get_proto_data(wmem_file_scope(), pinfo, proto, NO_TREE_KEY))
        return;
    p_remove_proto_data(wmem_file_scope(), pinfo, proto, NO_TREE_KEY);
    for (guint i = 0; i < frame->n_messages; i++) {
        const sipvi_message_t *m = &frame->messages[i];
        if (!m->call_id || !m->has_sdp)
            continue;
        call_state_t *s = (call_state_t *)wmem_map_lookup(calls, m->call_id);
        if (s)
            sipvi_call_media_note_late_sdp(&s->media, pinfo, m, s->caller);
    }
}

void
sipvi_diag_expert_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                        const sipvi_frame_t *frame)
{
    media_listen();
    if (pinfo->num <= last_fed && tree)
        read_late_sdp(pinfo, frame);
    if (pinfo->num > last_fed) {
        last_fed = pinfo->num;
        if (!tree)
            p_add_proto_data(wmem_file_scope(), pinfo, proto, NO_TREE_KEY, GINT_TO_POINTER(1));
        if (frame->ip_fragment)
            sipvi_diag_fragment_note(pinfo, &fragments);
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
    for (guint i = 0; i < frame->n_messages; i++)
        decide_pending(pinfo, i, &frame->messages[i]);
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
    /* The call's media figures (docs/media.md), on the frame of its diagnosis item. */
#define MEDIA_HF(d, dir, who)                                                                    \
    {&hf_media[d][FIG_PACKETS], {"Gói RTP tới " who, "sipvi.media." dir ".packets", FT_UINT32,     \
      BASE_DEC, NULL, 0x0, "RTP packets sent to the " dir " SDP address and port", HFILL}},       \
    {&hf_media[d][FIG_LOST_PCT], {"Mất gói tới " who " (%)", "sipvi.media." dir ".lost_pct",       \
      FT_DOUBLE, BASE_NONE, NULL, 0x0, "Lost packets (RFC 3550, from sequence numbers), percent", \
      HFILL}},                                                                                    \
    {&hf_media[d][FIG_MEAN_JITTER], {"Jitter trung bình tới " who " (ms)",                        \
      "sipvi.media." dir ".mean_jitter_ms", FT_DOUBLE, BASE_NONE, NULL, 0x0,                      \
      "Mean jitter (RFC 3550 A.8), ms", HFILL}},                                                  \
    {&hf_media[d][FIG_MAX_JITTER], {"Jitter tối đa tới " who " (ms)",                             \
      "sipvi.media." dir ".max_jitter_ms", FT_DOUBLE, BASE_NONE, NULL, 0x0,                       \
      "Maximum jitter (RFC 3550 A.8), ms", HFILL}},                                               \
    {&hf_media[d][FIG_REPORTED_LOST], {"RTCP báo mất gói tới " who " (%)",                        \
      "sipvi.media." dir ".reported_lost_pct", FT_DOUBLE, BASE_NONE, NULL, 0x0,                   \
      "Loss the receiver reported in RTCP receiver reports, percent", HFILL}},                    \
    {&hf_media[d][FIG_MOS], {"MOS tới " who, "sipvi.media." dir ".mos", FT_DOUBLE, BASE_NONE,     \
      NULL, 0x0, "MOS estimate (ITU-T G.107 E-model)", HFILL}}
    static hf_register_info hf_media_info[] = {
        MEDIA_HF(0, "to_caller", "bên gọi"),
        MEDIA_HF(1, "to_callee", "bên được gọi"),
        {&hf_setup_ms, {"Thời gian thiết lập (ms)", "sipvi.call.setup_ms", FT_DOUBLE, BASE_NONE,
                        NULL, 0x0, "INVITE to the first 18x or final response, ms", HFILL}},
        {&hf_duration_s, {"Thời lượng (s)", "sipvi.call.duration_s", FT_DOUBLE, BASE_NONE, NULL,
                          0x0, "Answer (2xx) to the first BYE, seconds", HFILL}},
        {&hf_ended_by, {"Bên kết thúc", "sipvi.call.ended_by", FT_STRING, BASE_NONE, NULL, 0x0,
                        "Who sent the BYE: caller or callee", HFILL}},
    };
#undef MEDIA_HF
    static gint *ett[] = {&ett_diagnosis, &ett_media};
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
    proto_register_field_array(proto_sipvi, hf_media_info, array_length(hf_media_info));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(module, ei, array_length(ei));
    calls = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_str_hash, g_str_equal);
    regs = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_str_hash, g_str_equal);
    register_init_routine(new_file);
}
