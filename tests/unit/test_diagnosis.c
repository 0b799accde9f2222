/* test_diagnosis.c — the diagnosis rules on message sequences written out by hand, one or more per
 * id, including where two rules match (precedence), and the header-value parsers they use.
 *
 * The same rules run inside tshark on recorded captures (tests/test_diagnosis.py); this test
 * reaches the sequences that are hard to record (a 2xx never acknowledged, a BYE never answered)
 * and checks the bounds (evidence lists capped, counts kept).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "sipvi_diagnosis.h"
#include "sipvi_reason.h"

#include "unit_check.h"

/* A message: frame, request method or response code, CSeq method, CSeq number. */
static sipvi_diag_msg_t
req(guint32 frame, const char *method, guint32 cseq)
{
    sipvi_diag_msg_t m;
    memset(&m, 0, sizeof m);
    m.frame = frame;
    m.time = frame;   /* one second per frame keeps times readable */
    m.method = method;
    m.cseq = cseq;
    m.q850 = SIPVI_DIAG_NO_CAUSE;
    m.sip_cause = SIPVI_DIAG_NO_CAUSE;
    m.src_addr = "203.0.113.5";
    m.icmp_type = m.icmp_code = -1;
    m.dst = "198.51.100.7:5060";
    return m;
}

static sipvi_diag_msg_t
resp(guint32 frame, guint32 code, const char *method, guint32 cseq)
{
    sipvi_diag_msg_t m = req(frame, method, cseq);
    m.is_response = TRUE;
    m.code = code;
    return m;
}

static sipvi_diag_msg_t
resent(sipvi_diag_msg_t m)
{
    m.resend = TRUE;
    return m;
}

static sipvi_diag_msg_t
with_credentials(sipvi_diag_msg_t m)
{
    m.credentials = TRUE;
    return m;
}

static sipvi_diag_msg_t
with_q850(sipvi_diag_msg_t m, gint32 cause)
{
    m.q850 = cause;
    return m;
}

/* How long the capture ran on after the last message: long (the default), or not at all. */
static double ran_on = 600;

static sipvi_diag_end_t
end_of(const sipvi_diag_msg_t *msgs, size_t n)
{
    sipvi_diag_end_t end = {msgs[n - 1].frame, msgs[n - 1].time + ran_on};
    return end;
}

static sipvi_diag_msg_t
branch(sipvi_diag_msg_t m, const char *b)
{
    m.branch = sipvi_diag_hash(b);
    return m;
}

static sipvi_diag_msg_t
from(sipvi_diag_msg_t m, const char *src, guint32 src_hash)
{
    m.src_addr = src;
    m.src_hash = src_hash;
    return m;
}

static sipvi_diag_msg_t
at(sipvi_diag_msg_t m, double time)
{
    m.time = time;
    return m;
}

static void
call_of(const sipvi_diag_msg_t *msgs, size_t n, sipvi_diagnosis_t *d)
{
    sipvi_diag_call_t c;
    sipvi_diag_call_init(&c);
    for (size_t i = 0; i < n; i++)
        sipvi_diag_call_note(&c, &msgs[i]);
    sipvi_diag_end_t end = end_of(msgs, n);
    sipvi_diag_call_decide(&c, &end, d);
}

static void
reg_of(const sipvi_diag_msg_t *msgs, size_t n, sipvi_diagnosis_t *d)
{
    sipvi_diag_reg_t r;
    sipvi_diag_reg_init(&r);
    for (size_t i = 0; i < n; i++)
        sipvi_diag_reg_note(&r, &msgs[i]);
    sipvi_diag_end_t end = end_of(msgs, n);
    sipvi_diag_reg_decide(&r, &end, d);
}

static const char *
frames(const sipvi_diagnosis_t *d)
{
    static char text[256];
    char *s = sipvi_diag_frames_text(&d->evidence);
    g_strlcpy(text, s, sizeof text);
    g_free(s);
    return text;
}

#define EXPECT(msgs, kind, want_id, want_frames, want_certain)                                  \
    do {                                                                                        \
        sipvi_diagnosis_t d_;                                                                   \
        kind##_of(msgs, G_N_ELEMENTS(msgs), &d_);                                               \
        CHECK(d_.id == (want_id), "%s: got %s, want %s", #msgs,                                 \
              sipvi_diagnosis_table[d_.id].id, sipvi_diagnosis_table[want_id].id);              \
        CHECK(strcmp(frames(&d_), want_frames) == 0, "%s: frames '%s', want '%s'", #msgs,       \
              frames(&d_), want_frames);                                                        \
        CHECK(d_.certain_frame == (want_certain), "%s: certain at %u, want %u", #msgs,          \
              d_.certain_frame, (guint32)(want_certain));                                       \
    } while (0)

static void
test_calls(void)
{
    const sipvi_diag_msg_t answered[] = {req(1, "INVITE", 1), resp(2, 100, "INVITE", 1),
        resp(3, 180, "INVITE", 1), resp(4, 200, "INVITE", 1), req(5, "ACK", 1), req(6, "BYE", 2),
        resp(7, 200, "BYE", 2)};
    EXPECT(answered, call, SIPVI_DIAG_ANSWERED, "4, 5", 0);

    /* 407, then credentials, then 407 again: wrong password. */
    const sipvi_diag_msg_t auth[] = {req(1, "INVITE", 1), resp(2, 407, "INVITE", 1),
        req(3, "ACK", 1), with_credentials(req(4, "INVITE", 2)), resp(5, 407, "INVITE", 2),
        req(6, "ACK", 2)};
    EXPECT(auth, call, SIPVI_DIAG_AUTH_FAILED, "4, 5", 5);
    /* A challenge to an INVITE without credentials, and nothing more: not auth_failed. */
    const sipvi_diag_msg_t challenge_only[] = {req(1, "INVITE", 1), resp(2, 401, "INVITE", 1)};
    EXPECT(challenge_only, call, SIPVI_DIAG_OTHER_FAILURE, "2", 0);
    /* 403, with or without credentials, is forbidden: the password was right (issue 22). */
    const sipvi_diag_msg_t auth403[] = {with_credentials(req(1, "INVITE", 1)),
        resp(2, 403, "INVITE", 1)};
    EXPECT(auth403, call, SIPVI_DIAG_FORBIDDEN, "2", 2);
    const sipvi_diag_msg_t rejected403[] = {req(1, "INVITE", 1), resp(2, 403, "INVITE", 1)};
    EXPECT(rejected403, call, SIPVI_DIAG_FORBIDDEN, "2", 2);

    const sipvi_diag_msg_t busy[] = {req(1, "INVITE", 1), resp(2, 486, "INVITE", 1)};
    EXPECT(busy, call, SIPVI_DIAG_BUSY, "2", 2);
    const sipvi_diag_msg_t busy600[] = {req(1, "INVITE", 1), resp(2, 600, "INVITE", 1)};
    EXPECT(busy600, call, SIPVI_DIAG_BUSY, "2", 2);
    /* A gateway's cause wins over the SIP code it was mapped to. */
    const sipvi_diag_msg_t busy_q850[] = {req(1, "INVITE", 1),
        with_q850(resp(2, 480, "INVITE", 1), 17)};
    EXPECT(busy_q850, call, SIPVI_DIAG_BUSY, "2", 2);

    const sipvi_diag_msg_t no_answer[] = {req(1, "INVITE", 1), resp(2, 180, "INVITE", 1),
        resp(3, 480, "INVITE", 1)};
    EXPECT(no_answer, call, SIPVI_DIAG_NO_ANSWER, "2, 3", 3);
    /* 480 without ringing (user offline) is not "no answer". */
    const sipvi_diag_msg_t unavailable[] = {req(1, "INVITE", 1), resp(2, 480, "INVITE", 1)};
    EXPECT(unavailable, call, SIPVI_DIAG_UNREACHABLE, "2", 2);

    const sipvi_diag_msg_t cancelled[] = {req(1, "INVITE", 1), resp(2, 180, "INVITE", 1),
        req(3, "CANCEL", 1), resp(4, 200, "CANCEL", 1), resp(5, 487, "INVITE", 1)};
    EXPECT(cancelled, call, SIPVI_DIAG_CALLER_CANCELLED, "3, 5", 3);
    sipvi_diag_msg_t elsewhere_cancel = req(3, "CANCEL", 1);
    elsewhere_cancel.sip_cause = 200;
    const sipvi_diag_msg_t elsewhere[] = {req(1, "INVITE", 1), resp(2, 180, "INVITE", 1),
        elsewhere_cancel, resp(4, 487, "INVITE", 1)};
    EXPECT(elsewhere, call, SIPVI_DIAG_ANSWERED_ELSEWHERE, "3, 4", 3);
    /* A CANCEL that crosses a 486 does not make the busy call "cancelled". */
    const sipvi_diag_msg_t crossed[] = {req(1, "INVITE", 1), resp(2, 486, "INVITE", 1),
        req(3, "CANCEL", 1)};
    EXPECT(crossed, call, SIPVI_DIAG_BUSY, "2", 2);

    const sipvi_diag_msg_t rejected[] = {req(1, "INVITE", 1),
        with_q850(resp(2, 603, "INVITE", 1), 21)};
    EXPECT(rejected, call, SIPVI_DIAG_REJECTED, "2", 2);
    const sipvi_diag_msg_t invalid[] = {req(1, "INVITE", 1), resp(2, 484, "INVITE", 1)};
    EXPECT(invalid, call, SIPVI_DIAG_NUMBER_INVALID, "2", 2);
    const sipvi_diag_msg_t invalid_q850[] = {req(1, "INVITE", 1),
        with_q850(resp(2, 500, "INVITE", 1), 1)};
    EXPECT(invalid_q850, call, SIPVI_DIAG_NUMBER_INVALID, "2", 2);

    sipvi_diag_msg_t offer = req(1, "INVITE", 1);
    offer.has_sdp = TRUE;
    offer.codecs = "audio G729/8000 (18)";
    sipvi_diag_msg_t refusal = resp(2, 488, "INVITE", 1);
    refusal.warning = 305;
    const sipvi_diag_msg_t codec[] = {offer, refusal};
    EXPECT(codec, call, SIPVI_DIAG_CODEC_MISMATCH, "1, 2", 2);
    const sipvi_diag_msg_t codec_q850[] = {req(1, "INVITE", 1),
        with_q850(resp(2, 503, "INVITE", 1), 65)};
    EXPECT(codec_q850, call, SIPVI_DIAG_CODEC_MISMATCH, "1, 2", 2);

    sipvi_diag_msg_t unavailable503 = resp(2, 503, "INVITE", 1);
    unavailable503.retry_after = 120;
    const sipvi_diag_msg_t capacity[] = {req(1, "INVITE", 1), unavailable503};
    EXPECT(capacity, call, SIPVI_DIAG_CAPACITY, "2", 2);
    /* RFC 3326 list: the Q.850 cause 41 after a SIP cause still counts. */
    const sipvi_diag_msg_t capacity_q850[] = {req(1, "INVITE", 1),
        with_q850(resp(2, 404, "INVITE", 1), 41)};
    EXPECT(capacity_q850, call, SIPVI_DIAG_DOWNSTREAM_FAILURE, "2", 2);

    const sipvi_diag_msg_t redirected[] = {req(1, "INVITE", 1), resp(2, 302, "INVITE", 1)};
    EXPECT(redirected, call, SIPVI_DIAG_REDIRECTED, "2", 2);
    const sipvi_diag_msg_t loop[] = {req(1, "INVITE", 1), with_q850(resp(2, 482, "INVITE", 1), 17)};
    EXPECT(loop, call, SIPVI_DIAG_LOOP, "2", 2);

    const sipvi_diag_msg_t no_response[] = {req(1, "INVITE", 1), resent(req(2, "INVITE", 1)),
        resent(req(3, "INVITE", 1)), resent(req(4, "INVITE", 1))};
    EXPECT(no_response, call, SIPVI_DIAG_NO_RESPONSE, "1, 2, 3, 4", 0);
    const sipvi_diag_msg_t no_final[] = {req(1, "INVITE", 1), resp(2, 100, "INVITE", 1),
        resp(3, 183, "INVITE", 1)};
    EXPECT(no_final, call, SIPVI_DIAG_NO_FINAL_RESPONSE, "1, 3", 0);

    /* 200 retransmitted, no ACK, BYE 32 s later. */
    const sipvi_diag_msg_t ack_missing[] = {req(1, "INVITE", 1), resp(2, 200, "INVITE", 1),
        resent(resp(3, 200, "INVITE", 1)), resent(resp(4, 200, "INVITE", 1)), req(5, "BYE", 2),
        resp(6, 200, "BYE", 2)};
    EXPECT(ack_missing, call, SIPVI_DIAG_ACK_MISSING, "2, 3, 4, 5", 5);

    const sipvi_diag_msg_t invite_missing[] = {resp(1, 408, "INVITE", 1),
        resent(resp(2, 408, "INVITE", 1)), resent(resp(3, 408, "INVITE", 1))};
    EXPECT(invite_missing, call, SIPVI_DIAG_INVITE_MISSING, "1, 2, 3", 1);
    const sipvi_diag_msg_t trying_only[] = {resp(1, 100, "INVITE", 1)};
    EXPECT(trying_only, call, SIPVI_DIAG_INVITE_MISSING, "1", 0);
    /* Answered though the capture missed its INVITE: diagnosed, but not a failure. */
    const sipvi_diag_msg_t answered_unseen[] = {resp(1, 200, "INVITE", 1), req(2, "ACK", 1)};
    EXPECT(answered_unseen, call, SIPVI_DIAG_ANSWERED, "1, 2", 0);
    {
        sipvi_diagnosis_t d;
        call_of(answered_unseen, G_N_ELEMENTS(answered_unseen), &d);
        CHECK(!sipvi_diag_is_failure(&d), "an answered call is no failure");
        call_of(invite_missing, G_N_ELEMENTS(invite_missing), &d);
        CHECK(sipvi_diag_is_failure(&d), "408s to an unseen INVITE are");
    }

    const sipvi_diag_msg_t bye_481[] = {req(1, "INVITE", 1), resp(2, 200, "INVITE", 1),
        req(3, "ACK", 1), req(4, "BYE", 2), resp(5, 481, "BYE", 2)};
    EXPECT(bye_481, call, SIPVI_DIAG_BYE_FAILED, "4, 5", 5);
    const sipvi_diag_msg_t bye_silent[] = {req(1, "INVITE", 1), resp(2, 200, "INVITE", 1),
        req(3, "ACK", 1), req(4, "BYE", 2), resent(req(5, "BYE", 2)), resent(req(6, "BYE", 2))};
    EXPECT(bye_silent, call, SIPVI_DIAG_BYE_FAILED, "4, 5, 6", 0);

    sipvi_diag_msg_t ok_tcp = resp(2, 200, "INVITE", 1);
    ok_tcp.flow = 77;
    sipvi_diag_msg_t ok_again = ok_tcp;
    ok_again.frame = 3;
    const sipvi_diag_msg_t ack_missing_tcp[] = {req(1, "INVITE", 1), ok_tcp, ok_again,
        req(4, "BYE", 1)};
    EXPECT(ack_missing_tcp, call, SIPVI_DIAG_ACK_MISSING, "2, 3, 4", 4);
    /* The copy a proxy relays comes on another flow: not a retransmission. */
    sipvi_diag_msg_t relayed = ok_tcp;
    relayed.frame = 3;
    relayed.flow = 78;
    const sipvi_diag_msg_t proxied[] = {req(1, "INVITE", 1), ok_tcp, relayed, req(4, "ACK", 1)};
    EXPECT(proxied, call, SIPVI_DIAG_ANSWERED, "2, 4", 0);
    const sipvi_diag_msg_t bye_tcp[] = {req(1, "INVITE", 1), resp(2, 200, "INVITE", 1),
        req(3, "ACK", 1), req(4, "BYE", 2)};
    EXPECT(bye_tcp, call, SIPVI_DIAG_BYE_FAILED, "4", 0);

    sipvi_diag_msg_t private_offer = req(1, "INVITE", 1);
    private_offer.media_addr = "192.168.1.20";
    const sipvi_diag_msg_t media[] = {private_offer, resp(2, 200, "INVITE", 1), req(3, "ACK", 1)};
    EXPECT(media, call, SIPVI_DIAG_MEDIA_PRIVATE_ADDRESS, "1, 2", 3);
    /* A private address that is the packet's own source is no NAT problem. */
    sipvi_diag_msg_t lan_offer = private_offer;
    lan_offer.src_addr = "192.168.1.20";
    const sipvi_diag_msg_t lan[] = {lan_offer, resp(2, 200, "INVITE", 1), req(3, "ACK", 1)};
    EXPECT(lan, call, SIPVI_DIAG_ANSWERED, "2, 3", 0);

    /* A re-INVITE refused after the call was established changes nothing. */
    const sipvi_diag_msg_t reinvite[] = {req(1, "INVITE", 1), resp(2, 200, "INVITE", 1),
        req(3, "ACK", 1), req(4, "INVITE", 2), resp(5, 488, "INVITE", 2)};
    EXPECT(reinvite, call, SIPVI_DIAG_ANSWERED, "2, 3", 0);
}

static void
test_registrations(void)
{
    const sipvi_diag_msg_t ok[] = {req(1, "REGISTER", 1), resp(2, 401, "REGISTER", 1),
        with_credentials(req(3, "REGISTER", 2)), resp(4, 200, "REGISTER", 2)};
    EXPECT(ok, reg, SIPVI_DIAG_REG_OK, "4", 0);
    const sipvi_diag_msg_t auth[] = {req(1, "REGISTER", 1), resp(2, 401, "REGISTER", 1),
        with_credentials(req(3, "REGISTER", 2)), resp(4, 401, "REGISTER", 2),
        with_credentials(req(5, "REGISTER", 3)), resp(6, 403, "REGISTER", 3)};
    EXPECT(auth, reg, SIPVI_DIAG_REG_FORBIDDEN, "6", 6);
    const sipvi_diag_msg_t challenged[] = {req(1, "REGISTER", 1), resp(2, 401, "REGISTER", 1)};
    EXPECT(challenged, reg, SIPVI_DIAG_REG_REJECTED, "2", 0);
    const sipvi_diag_msg_t rejected[] = {req(1, "REGISTER", 1), resp(2, 404, "REGISTER", 1)};
    EXPECT(rejected, reg, SIPVI_DIAG_REG_REJECTED, "2", 2);
    const sipvi_diag_msg_t silent[] = {req(1, "REGISTER", 1), resent(req(2, "REGISTER", 1)),
        resent(req(3, "REGISTER", 1))};
    EXPECT(silent, reg, SIPVI_DIAG_REG_NO_RESPONSE, "1, 2, 3", 0);
}

static void
test_bounds(void)
{
    /* 40 retransmissions: the first twelve frames kept, all counted. */
    sipvi_diag_call_t c;
    sipvi_diag_call_init(&c);
    for (guint32 f = 1; f <= 40; f++) {
        sipvi_diag_msg_t m = req(f, "INVITE", 1);
        m.resend = f > 1;
        sipvi_diag_call_note(&c, &m);
    }
    sipvi_diagnosis_t d;
    sipvi_diag_end_t end = {40, 40};
    sipvi_diag_call_decide(&c, &end, &d);
    CHECK(d.id == SIPVI_DIAG_NO_RESPONSE && d.count == 40, "40 INVITEs: id %d count %u", d.id,
          d.count);
    CHECK(strcmp(frames(&d), "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 (+28)") == 0, "frames '%s'", frames(&d));
    CHECK(d.certain_frame == 7, "given up at the 7th INVITE, not %u", d.certain_frame);
    CHECK(sizeof(sipvi_diag_call_t) <= 1024, "call record %zu bytes", sizeof(sipvi_diag_call_t));
    CHECK(sizeof(sipvi_diag_reg_t) <= 512, "registration record %zu bytes",
          sizeof(sipvi_diag_reg_t));
}

static void
test_reason(void)
{
    const struct {
        const char *value;
        gint32 q850, sip;
    } cases[] = {
        {"Q.850;cause=16;text=\"Normal call clearing\"", 16, -1},
        {"SIP;cause=500, Q.850;cause=41", 41, 500},
        {"SIP ;cause=200;text=\"Call completed elsewhere\"", -1, 200},
        {"q.850; cause = 17", 17, -1},
        {"Q.850;text=\"a, b\";cause=34", 34, -1},
        {"Q.850;cause=abc, Q.850;cause=18", 18, -1},
        {"Q.850;cause=", -1, -1},
        {"Q.850;cause=99999999999", -1, -1},
        {"Q.850;cause=12x", -1, -1},
        {",,;;==\"", -1, -1},
        {"", -1, -1},
        {"Q.850;cause=17, Q.850;cause=21", 17, -1},
        {"X-Vendor;cause=9, SIP;cause=603", -1, 603},
        {"Q.850;cause=0, SIP;cause=99, Q.850;cause=128", -1, -1},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        gint32 q850 = SIPVI_DIAG_NO_CAUSE, sip = SIPVI_DIAG_NO_CAUSE;
        sipvi_reason_parse(cases[i].value, &q850, &sip);
        CHECK(q850 == cases[i].q850 && sip == cases[i].sip, "Reason '%s': q850 %d sip %d",
              cases[i].value, q850, sip);
    }
}

static void
test_sdp(void)
{
    char out[SIPVI_DIAG_TEXT];
    sipvi_sdp_codecs("audio 6000 RTP/AVP 18", "rtpmap:18 G729/8000", out, sizeof out);
    CHECK(strcmp(out, "audio G729/8000 (18)") == 0, "'%s'", out);
    sipvi_sdp_codecs("audio 6000 RTP/AVP 8 0 101", "rtpmap:101 telephone-event/8000\nptime:20",
                     out, sizeof out);
    CHECK(strcmp(out, "audio PCMA/8000 (8), PCMU/8000 (0), telephone-event/8000 (101)") == 0,
          "'%s'", out);
    sipvi_sdp_codecs("audio 6000 RTP/AVP 96 97 98 99 100 101 102 103 104 105 106 107", NULL, out,
                     sizeof out);
    CHECK(strlen(out) < sizeof out && g_str_has_suffix(out, "…") && g_utf8_validate(out, -1, NULL),
          "cut '%s'", out);
    sipvi_sdp_codecs("garbage", NULL, out, sizeof out);
    CHECK(strcmp(out, "") == 0, "'%s'", out);

    CHECK(sipvi_addr_is_private("10.1.2.3"), "10/8");
    CHECK(sipvi_addr_is_private("172.31.0.1") && !sipvi_addr_is_private("172.32.0.1"), "172.16/12");
    CHECK(sipvi_addr_is_private("192.168.0.1") && !sipvi_addr_is_private("192.169.0.1"), "192.168");
    CHECK(!sipvi_addr_is_private("203.0.113.5") && !sipvi_addr_is_private("10.1.2.3x") &&
          !sipvi_addr_is_private("fd00::1") && !sipvi_addr_is_private(""), "not private");
}

static const char *
meaning(guint32 code)
{
    return code == 486 ? "Máy bận" : "?";
}

static const char *
q850_meaning(gint32 cause)
{
    return cause == 17 ? "Máy bận" : "?";
}

static const char *
warning_meaning(guint32 code)
{
    (void)code;
    return "w";
}

static void
test_explanations(void)
{
    static const sipvi_diag_words_t words = {meaning, q850_meaning, warning_meaning, NULL};
    /* Every template renders without a brace left. */
    for (int id = 0; id < SIPVI_DIAG_COUNT; id++) {
        sipvi_diagnosis_t d;
        memset(&d, 0, sizeof d);
        d.id = (sipvi_diag_id_t)id;
        d.code = 486;
        d.q850 = 17;
        char *text = sipvi_diag_explain(&d, "sip:a@b", &words);
        CHECK(!strchr(text, '{') && !strchr(text, '}') && g_utf8_validate(text, -1, NULL),
              "%s: '%s'", sipvi_diagnosis_table[id].id, text);
        CHECK(sipvi_diagnosis_table[id].registration == (strncmp(sipvi_diagnosis_table[id].id,
              "reg_", 4) == 0), "%s: scope", sipvi_diagnosis_table[id].id);
        g_free(text);
    }
    sipvi_diagnosis_t d;
    memset(&d, 0, sizeof d);
    d.id = SIPVI_DIAG_BUSY;
    d.code = 486;
    d.q850 = 17;
    d.evidence.frame[0] = 10;
    d.evidence.kept = d.evidence.total = 1;
    char *text = sipvi_diag_explain(&d, NULL, &words);
    /* The wording is data: the template, filled by hand. */
    char *want = g_strdup(sipvi_diagnosis_table[SIPVI_DIAG_BUSY].explanation);
    const char *fill[][2] = {{"{code}", "486"}, {"{meaning}", "Máy bận"}, {"{q850}", "17 Máy bận"},
                             {"{frames}", "10"}};
    for (size_t i = 0; i < G_N_ELEMENTS(fill); i++) {
        char **parts = g_strsplit(want, fill[i][0], -1);
        g_free(want);
        want = g_strjoinv(fill[i][1], parts);
        g_strfreev(parts);
    }
    CHECK(strcmp(text, want) == 0, "'%s', want '%s'", text, want);
    g_free(want);
    g_free(text);
}

/* The rules of issue 22, one case per pattern seen on real captures. */
static void
test_issue22(void)
{
    /* NAT only with evidence: a private c= from a public source; not when a proxy inside the
     * private network relays it, not on loopback. */
    sipvi_diag_msg_t nat_ok = resp(2, 200, "INVITE", 1);
    nat_ok.media_addr = "192.168.1.20";
    nat_ok.src_addr = "198.51.100.7";
    const sipvi_diag_msg_t nat[] = {req(1, "INVITE", 1), nat_ok, req(3, "ACK", 1)};
    EXPECT(nat, call, SIPVI_DIAG_MEDIA_PRIVATE_ADDRESS, "2", 3);
    sipvi_diag_msg_t relayed_ok = nat_ok;
    relayed_ok.src_addr = "10.1.1.1";
    const sipvi_diag_msg_t relayed[] = {req(1, "INVITE", 1), relayed_ok, req(3, "ACK", 1)};
    EXPECT(relayed, call, SIPVI_DIAG_ANSWERED, "2, 3", 0);
    sipvi_diag_msg_t loop_ok = nat_ok;
    loop_ok.src_addr = "127.0.0.1";
    const sipvi_diag_msg_t loopback[] = {req(1, "INVITE", 1), loop_ok, req(3, "ACK", 1)};
    EXPECT(loopback, call, SIPVI_DIAG_ANSWERED, "2, 3", 0);
    CHECK(!sipvi_addr_is_public("100.64.1.1") && !sipvi_addr_is_public("169.254.0.1") &&
          !sipvi_addr_is_public("fe80::1") && sipvi_addr_is_public("8.8.8.8"), "public addresses");

    /* Transactions by branch: a stray 500 of another branch does not end the call. */
    const sipvi_diag_msg_t stray[] = {branch(req(1, "INVITE", 1), "A"),
        branch(resp(2, 180, "INVITE", 1), "A"), branch(resp(3, 500, "INVITE", 1), "X"),
        branch(resp(4, 600, "INVITE", 1), "A"), branch(req(5, "ACK", 1), "A")};
    EXPECT(stray, call, SIPVI_DIAG_BUSY, "4", 4);
    /* 299, then 486, ACKed with the INVITE's branch: the 486 was the answer. */
    const sipvi_diag_msg_t late_486[] = {branch(req(1, "INVITE", 1), "A"),
        branch(resp(2, 299, "INVITE", 1), "A"), branch(resp(3, 486, "INVITE", 1), "A"),
        branch(req(4, "ACK", 1), "A")};
    EXPECT(late_486, call, SIPVI_DIAG_BUSY, "3", 3);
    /* The 2xx's ACK with the INVITE's branch (many devices do that) still acknowledges it. */
    const sipvi_diag_msg_t same_branch_ack[] = {branch(req(1, "INVITE", 1), "A"),
        branch(resp(2, 200, "INVITE", 1), "A"), branch(req(3, "ACK", 1), "A")};
    EXPECT(same_branch_ack, call, SIPVI_DIAG_ANSWERED, "2, 3", 0);

    /* Brute force: five REGISTER transactions that reuse one CSeq, four 401s, then a 200. */
    const sipvi_diag_msg_t brute[] = {
        branch(req(1, "REGISTER", 1), "b1"), branch(resp(2, 401, "REGISTER", 1), "b1"),
        branch(resent(req(3, "REGISTER", 1)), "b2"), branch(resp(4, 401, "REGISTER", 1), "b2"),
        branch(resent(req(5, "REGISTER", 1)), "b3"), branch(resp(6, 401, "REGISTER", 1), "b3"),
        branch(resent(req(7, "REGISTER", 1)), "b4"), branch(resp(8, 401, "REGISTER", 1), "b4"),
        branch(resent(req(9, "REGISTER", 1)), "b5"), branch(resp(10, 200, "REGISTER", 1), "b5")};
    {
        sipvi_diag_reg_t r;
        sipvi_diag_reg_init(&r);
        for (size_t i = 0; i < G_N_ELEMENTS(brute); i++)
            sipvi_diag_reg_note(&r, &brute[i]);
        sipvi_diag_end_t end = {10, 10};
        sipvi_diagnosis_t d;
        sipvi_diag_reg_decide(&r, &end, &d);
        CHECK(d.id == SIPVI_DIAG_REG_OK && d.count == 5, "brute force: %s after %u REGISTER",
              sipvi_diagnosis_table[d.id].id, d.count);
    }
    /* A proxy's relayed copy (another flow, its own branch) is the same attempt, and the answer
     * on its leg answers it. */
    sipvi_diag_msg_t leg1 = branch(req(1, "REGISTER", 1), "p1");
    leg1.flow = 1;
    sipvi_diag_msg_t leg2 = branch(req(2, "REGISTER", 1), "p2");
    leg2.flow = 2;
    const sipvi_diag_msg_t relayed_reg[] = {leg1, leg2, branch(resp(3, 200, "REGISTER", 1), "p2")};
    {
        sipvi_diagnosis_t d;
        reg_of(relayed_reg, G_N_ELEMENTS(relayed_reg), &d);
        CHECK(d.id == SIPVI_DIAG_REG_OK && d.count == 1, "relayed REGISTER: %s after %u",
              sipvi_diagnosis_table[d.id].id, d.count);
    }
    /* A 403 is not counted among the 401s: it is its own diagnosis. */
    const sipvi_diag_msg_t challenges_403[] = {with_credentials(req(1, "REGISTER", 1)),
        resp(2, 401, "REGISTER", 1), with_credentials(req(3, "REGISTER", 2)),
        resp(4, 401, "REGISTER", 2), with_credentials(req(5, "REGISTER", 3)),
        resp(6, 403, "REGISTER", 3)};
    EXPECT(challenges_403, reg, SIPVI_DIAG_REG_FORBIDDEN, "6", 6);
    const sipvi_diag_msg_t two_401[] = {with_credentials(req(1, "REGISTER", 1)),
        resp(2, 401, "REGISTER", 1), with_credentials(req(3, "REGISTER", 2)),
        resp(4, 401, "REGISTER", 2)};
    {
        sipvi_diagnosis_t d;
        reg_of(two_401, G_N_ELEMENTS(two_401), &d);
        CHECK(d.id == SIPVI_DIAG_REG_AUTH_FAILED && d.count == 2 && d.request == 1 &&
              strcmp(frames(&d), "1, 2, 4") == 0, "401 x2: %s x%u request %u frames %s",
              sipvi_diagnosis_table[d.id].id, d.count, d.request, frames(&d));
    }

    /* Dialogs by tags: a re-INVITE (To tag) with a lower CSeq stays in its call; an INVITE
     * outside a dialog after the call ended starts a new one. */
    {
        sipvi_diag_call_t c;
        sipvi_diag_call_init(&c);
        const sipvi_diag_msg_t first[] = {req(1, "INVITE", 5), resp(2, 200, "INVITE", 5),
            req(3, "ACK", 5)};
        for (size_t i = 0; i < G_N_ELEMENTS(first); i++)
            sipvi_diag_call_note(&c, &first[i]);
        sipvi_diag_msg_t hold = req(4, "INVITE", 2);
        hold.to_tag = TRUE;
        CHECK(!sipvi_diag_call_starts_new(&c, &hold), "an in-dialog re-INVITE starts no call");
        sipvi_diag_call_note(&c, &hold);
        sipvi_diag_msg_t hold_ok = resp(5, 200, "INVITE", 2);
        sipvi_diag_call_note(&c, &hold_ok);
        sipvi_diag_end_t end = {5, 600};
        sipvi_diagnosis_t d;
        sipvi_diag_call_decide(&c, &end, &d);
        CHECK(d.id == SIPVI_DIAG_ANSWERED, "phantom re-INVITE: %s", sipvi_diagnosis_table[d.id].id);
        sipvi_diag_msg_t initial = req(6, "INVITE", 1);
        CHECK(sipvi_diag_call_starts_new(&c, &initial), "a lower CSeq outside a dialog does");
    }

    /* ICMP only: what the ICMP says. */
    sipvi_diag_msg_t refused = req(2, "INVITE", 1);
    refused.in_icmp = TRUE;
    refused.icmp_type = 3;
    refused.icmp_code = 13;
    const sipvi_diag_msg_t icmp[] = {req(1, "INVITE", 1), refused};
    {
        sipvi_diagnosis_t d;
        call_of(icmp, G_N_ELEMENTS(icmp), &d);
        CHECK(d.id == SIPVI_DIAG_NETWORK_REFUSED && d.icmp_type == 3 && d.icmp_code == 13 &&
              d.count == 1 && d.request == 1 && d.certain_frame == 2 &&
              strcmp(frames(&d), "2") == 0, "ICMP: %s", sipvi_diagnosis_table[d.id].id);
    }

    /* The capture's end: a credentialed REGISTER as the last frame, an unanswered BYE as the
     * last frame, a 2xx the capture ends right after, an INVITE just sent, ringing. */
    ran_on = 0;
    const sipvi_diag_msg_t reg_last[] = {req(1, "REGISTER", 1), resp(2, 401, "REGISTER", 1),
        with_credentials(req(3, "REGISTER", 2))};
    EXPECT(reg_last, reg, SIPVI_DIAG_REG_CAPTURE_ENDED, "3", 0);
    const sipvi_diag_msg_t challenge_last[] = {req(1, "REGISTER", 1), resp(2, 401, "REGISTER", 1)};
    EXPECT(challenge_last, reg, SIPVI_DIAG_REG_CAPTURE_ENDED, "2", 0);
    const sipvi_diag_msg_t bye_last[] = {req(1, "INVITE", 1), resp(2, 200, "INVITE", 1),
        req(3, "ACK", 1), req(4, "BYE", 2)};
    EXPECT(bye_last, call, SIPVI_DIAG_ANSWERED, "2, 3", 0);
    const sipvi_diag_msg_t ok_last[] = {req(1, "INVITE", 1), resp(2, 200, "INVITE", 1)};
    EXPECT(ok_last, call, SIPVI_DIAG_CAPTURE_ENDED, "2", 0);
    const sipvi_diag_msg_t invite_last[] = {req(1, "INVITE", 1), resent(req(2, "INVITE", 1))};
    EXPECT(invite_last, call, SIPVI_DIAG_CAPTURE_ENDED, "1, 2", 0);
    const sipvi_diag_msg_t ringing_last[] = {req(1, "INVITE", 1), resp(2, 180, "INVITE", 1)};
    EXPECT(ringing_last, call, SIPVI_DIAG_CAPTURE_ENDED, "1, 2", 0);
    ran_on = 600;
    EXPECT(ringing_last, call, SIPVI_DIAG_NO_FINAL_RESPONSE, "1, 2", 0);
    /* The 200 never ACKed over TCP (no retransmission to see), the UAS's BYE 32 s later. */
    const sipvi_diag_msg_t noack_tcp[] = {req(1, "INVITE", 1), resp(2, 200, "INVITE", 1),
        at(req(3, "BYE", 2), 34), resp(4, 200, "BYE", 2)};
    {
        sipvi_diagnosis_t d;
        call_of(noack_tcp, G_N_ELEMENTS(noack_tcp), &d);
        CHECK(d.id == SIPVI_DIAG_ACK_MISSING && d.count == 1 && d.certain_frame == 3 &&
              strcmp(frames(&d), "2, 3") == 0, "no ACK over TCP: %s %s",
              sipvi_diagnosis_table[d.id].id, frames(&d));
    }

    /* CANCEL: who and why. */
    sipvi_diag_msg_t pbx_cancel = with_q850(req(3, "CANCEL", 1), 19);
    const sipvi_diag_msg_t ring_timeout[] = {req(1, "INVITE", 1), resp(2, 180, "INVITE", 1),
        pbx_cancel, resp(4, 487, "INVITE", 1)};
    EXPECT(ring_timeout, call, SIPVI_DIAG_CANCELLED, "3, 4", 3);
    sipvi_diag_msg_t hangup = with_q850(req(3, "CANCEL", 1), 16);
    const sipvi_diag_msg_t hung_up[] = {req(1, "INVITE", 1), resp(2, 180, "INVITE", 1), hangup,
        resp(4, 487, "INVITE", 1)};
    EXPECT(hung_up, call, SIPVI_DIAG_CALLER_CANCELLED, "3, 4", 3);
    const sipvi_diag_msg_t forked[] = {from(req(1, "INVITE", 1), "10.0.0.1", 1),
        resp(2, 180, "INVITE", 1), from(req(3, "CANCEL", 1), "10.0.0.9", 9),
        resp(4, 487, "INVITE", 1)};
    EXPECT(forked, call, SIPVI_DIAG_CANCELLED, "3, 4", 3);
    /* The caller's BYE on the early dialog, answered 200: the caller hung up. */
    const sipvi_diag_msg_t early_bye[] = {from(req(1, "INVITE", 1), "10.0.0.1", 1),
        from(resp(2, 180, "INVITE", 1), "10.0.0.2", 2), from(req(3, "BYE", 1), "10.0.0.1", 1),
        from(resp(4, 200, "BYE", 1), "10.0.0.2", 2)};
    EXPECT(early_bye, call, SIPVI_DIAG_CALLER_CANCELLED, "3", 3);

    /* Codes and causes per id (docs/diagnosis.md). */
    const struct {
        guint32 code;
        gint32 q850;
        gboolean rang;
        sipvi_diag_id_t id;
    } map[] = {
        {480, 18, FALSE, SIPVI_DIAG_UNREACHABLE}, {480, 20, FALSE, SIPVI_DIAG_UNREACHABLE},
        {480, 19, TRUE, SIPVI_DIAG_NO_ANSWER}, {480, -1, FALSE, SIPVI_DIAG_UNREACHABLE},
        {408, -1, TRUE, SIPVI_DIAG_NO_ANSWER}, {404, 3, FALSE, SIPVI_DIAG_NO_ROUTE},
        {404, 2, FALSE, SIPVI_DIAG_NO_ROUTE}, {410, -1, FALSE, SIPVI_DIAG_NUMBER_CHANGED},
        {404, 22, FALSE, SIPVI_DIAG_NUMBER_CHANGED}, {501, -1, FALSE, SIPVI_DIAG_NOT_IMPLEMENTED},
        {415, -1, FALSE, SIPVI_DIAG_NOT_IMPLEMENTED}, {406, -1, FALSE, SIPVI_DIAG_NOT_IMPLEMENTED},
        {420, -1, FALSE, SIPVI_DIAG_NOT_IMPLEMENTED}, {580, -1, FALSE, SIPVI_DIAG_NOT_IMPLEMENTED},
        {503, 79, FALSE, SIPVI_DIAG_NOT_IMPLEMENTED}, {500, -1, FALSE, SIPVI_DIAG_SERVER_ERROR},
        {502, -1, FALSE, SIPVI_DIAG_DOWNSTREAM_FAILURE}, {504, -1, FALSE, SIPVI_DIAG_DOWNSTREAM_FAILURE},
        {500, 38, FALSE, SIPVI_DIAG_DOWNSTREAM_FAILURE}, {503, -1, FALSE, SIPVI_DIAG_CAPACITY},
        {500, 34, FALSE, SIPVI_DIAG_CAPACITY}, {500, 47, FALSE, SIPVI_DIAG_CAPACITY},
        {403, -1, FALSE, SIPVI_DIAG_FORBIDDEN}, {607, -1, FALSE, SIPVI_DIAG_REJECTED},
        {604, -1, FALSE, SIPVI_DIAG_NUMBER_INVALID}, {500, 28, FALSE, SIPVI_DIAG_NUMBER_INVALID},
        {606, -1, FALSE, SIPVI_DIAG_CODEC_MISMATCH}, {500, 88, FALSE, SIPVI_DIAG_CODEC_MISMATCH},
        {486, -1, FALSE, SIPVI_DIAG_BUSY}, {599, -1, FALSE, SIPVI_DIAG_OTHER_FAILURE},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        sipvi_diag_msg_t msgs[3] = {req(1, "INVITE", 1), resp(2, 180, "INVITE", 1),
                                    with_q850(resp(3, map[i].code, "INVITE", 1), map[i].q850)};
        sipvi_diagnosis_t d;
        if (map[i].rang) {
            call_of(msgs, 3, &d);
        } else {
            msgs[1] = msgs[2];
            call_of(msgs, 2, &d);
        }
        CHECK(d.id == map[i].id, "%u with Q.850 %d: %s, want %s", map[i].code, map[i].q850,
              sipvi_diagnosis_table[d.id].id, sipvi_diagnosis_table[map[i].id].id);
    }

    /* The offer quoted is the authenticated INVITE's, and a disabled stream is said. */
    sipvi_diag_msg_t offer1 = req(1, "INVITE", 1);
    offer1.has_sdp = TRUE;
    offer1.codecs = "audio PCMU/8000 (0)";
    sipvi_diag_msg_t offer2 = with_credentials(req(3, "INVITE", 2));
    offer2.has_sdp = TRUE;
    offer2.codecs = "audio G729/8000 (18)";
    offer2.media_disabled = TRUE;
    const sipvi_diag_msg_t codec_auth[] = {offer1, resp(2, 407, "INVITE", 1), offer2,
        resp(4, 488, "INVITE", 2)};
    {
        sipvi_diagnosis_t d;
        call_of(codec_auth, G_N_ELEMENTS(codec_auth), &d);
        CHECK(d.id == SIPVI_DIAG_CODEC_MISMATCH && d.request == 3 && d.codecs &&
              strcmp(d.codecs, "audio G729/8000 (18)") == 0 && d.disabled,
              "codec of the authenticated INVITE: request %u codecs %s", d.request,
              d.codecs ? d.codecs : "-");
    }
    CHECK(sipvi_sdp_all_disabled("audio 0 RTP/AVP 0") &&
          sipvi_sdp_all_disabled("audio 0 RTP/AVP 0\nvideo 0 RTP/AVP 96") &&
          !sipvi_sdp_all_disabled("audio 0 RTP/AVP 0\nvideo 5004 RTP/AVP 96") &&
          !sipvi_sdp_all_disabled("audio 10000 RTP/AVP 0") && !sipvi_sdp_all_disabled(NULL),
          "m= port 0");

    /* The caller's own failed BYE is reported even when the other leg's was answered. */
    sipvi_diag_msg_t leg_bye = branch(from(req(4, "BYE", 2), "10.0.0.5", 5), "L");
    sipvi_diag_msg_t leg_ok = branch(resp(5, 200, "BYE", 2), "L");
    const sipvi_diag_msg_t own_bye[] = {req(1, "INVITE", 1), resp(2, 200, "INVITE", 1),
        req(3, "ACK", 1), leg_bye, leg_ok,
        branch(from(req(6, "BYE", 7), "10.0.0.1", 1), "C"),
        branch(resp(7, 100, "BYE", 7), "C"),
        branch(resent(from(req(8, "BYE", 7), "10.0.0.1", 1)), "C")};
    {
        sipvi_diagnosis_t d;
        call_of(own_bye, G_N_ELEMENTS(own_bye), &d);
        CHECK(d.id == SIPVI_DIAG_BYE_FAILED && d.request == 6 && d.count == 2 && d.code == 0 &&
              strcmp(frames(&d), "6, 8") == 0, "own BYE: %s request %u frames %s",
              sipvi_diagnosis_table[d.id].id, d.request, frames(&d));
    }
}

int
main(void)
{
    test_issue22();
    test_calls();
    test_registrations();
    test_bounds();
    test_reason();
    test_sdp();
    test_explanations();
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
