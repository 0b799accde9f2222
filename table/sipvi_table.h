/* sipvi_table.h — the compiled status-code table shared by the plugin, the tests and the tools.
 *
 * The arrays are generated at build time by sipvi-tablegen from data/status_classes.tsv and
 * data/status_codes.tsv; nothing is parsed at run time. This header does not depend on Wireshark,
 * so the unit tests and command-line tools link the very same table as the plugin.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_TABLE_H
#define SIPVI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 3261 defines classes 1xx–6xx; some SIP stacks put their own 7xx codes on the wire. */
#define SIPVI_CODE_MIN 100u
#define SIPVI_CODE_MAX 799u
#define SIPVI_CLASS_MAX 7u

/* Ordered by gravity so that a filter like "sipvi.severity >= 3" reads naturally. */
typedef enum {
    SIPVI_SEVERITY_NONE = 0,
    SIPVI_SEVERITY_CHAT = 1,
    SIPVI_SEVERITY_NOTE = 2,
    SIPVI_SEVERITY_WARN = 3,
    SIPVI_SEVERITY_ERROR = 4
} sipvi_severity_t;
#define SIPVI_SEVERITY_MAX SIPVI_SEVERITY_ERROR

typedef struct {
    const char *name;        /* Vietnamese class name, e.g. "Yêu cầu thất bại" */
    const char *description; /* one Vietnamese sentence */
    sipvi_severity_t severity; /* default severity of the class's codes */
    /* How a code of this class that is not in the table is shown (RFC 3261 §8.1.3.2): worded
     * at build time so that the per-packet path formats nothing. */
    uint16_t unknown_as;     /* the code an unknown one is treated as (x00, 183 for 1xx), 0 if none */
    const char *unknown_meaning;
    const char *unknown_detail;
} sipvi_class_t;

typedef struct {
    uint16_t code;           /* 0 marks a slot with no entry */
    bool registered;         /* true: in the IANA SIP Response Codes registry */
    sipvi_severity_t severity; /* the class default already applied */
    const char *reason;      /* IANA reason phrase (English) */
    const char *meaning;     /* short Vietnamese meaning */
    const char *detail;      /* Vietnamese detail: what it means, what to check first */
    const char *reference;   /* defining document, e.g. "RFC 3261" */
} sipvi_status_t;

/* Generated: indexed by code - SIPVI_CODE_MIN, and by class number (slot 0 unused). */
extern const sipvi_status_t sipvi_status_table[SIPVI_CODE_MAX - SIPVI_CODE_MIN + 1];
extern const sipvi_class_t sipvi_class_table[SIPVI_CLASS_MAX + 1];
extern const unsigned sipvi_status_count;

/* Where a response code lands: an entry of the table, or only a class, or nowhere (invalid). */
typedef struct {
    unsigned code;
    unsigned class_number;          /* 1–7; 0 when the code is invalid */
    const sipvi_class_t *klass;     /* NULL when the code is invalid */
    const sipvi_status_t *entry;    /* NULL when the code is not in the table */
    const char *meaning;            /* entry's, or the class's wording for unknown codes */
    const char *detail;
    sipvi_severity_t severity;      /* SIPVI_SEVERITY_NONE when the code is invalid */
} sipvi_resolution_t;

static inline bool
sipvi_code_is_valid(unsigned code)
{
    return code >= SIPVI_CODE_MIN && code <= SIPVI_CODE_MAX;
}

/* O(1): NULL when the code has no entry. */
static inline const sipvi_status_t *
sipvi_status_lookup(unsigned code)
{
    if (!sipvi_code_is_valid(code))
        return NULL;
    const sipvi_status_t *e = &sipvi_status_table[code - SIPVI_CODE_MIN];
    return e->code ? e : NULL;
}

/* ITU-T Q.850 cause values, as carried by "Reason: Q.850;cause=N" (RFC 3326, RFC 6432). */
#define SIPVI_Q850_MIN 1u
#define SIPVI_Q850_MAX 127u

typedef struct {
    uint8_t cause;           /* 0 marks a slot with no entry */
    const char *name;        /* ITU English name */
    const char *meaning;     /* short Vietnamese meaning */
    const char *detail;      /* Vietnamese detail, then what to check */
} sipvi_q850_t;

/* SIP Warning header warn-codes (RFC 3261 §20.43). */
#define SIPVI_WARN_MIN 300u
#define SIPVI_WARN_MAX 399u

typedef struct {
    uint16_t code;           /* 0 marks a slot with no entry */
    const char *text;        /* standard English warn-text */
    const char *meaning;     /* Vietnamese meaning */
} sipvi_warning_t;

/* What "Reason: SIP;cause=N" means in a CANCEL when that differs from the status code's own
 * meaning: a forking proxy cancels the other branches with cause=200 when one answered
 * (RFC 3326 §2, "Call completed elsewhere"), which is not a "success" for the cancelled phone. */
typedef struct {
    uint16_t cause;          /* 0 marks a slot with no entry */
    const char *meaning;     /* Vietnamese meaning */
} sipvi_cancel_reason_t;

extern const sipvi_cancel_reason_t sipvi_cancel_reason_table[SIPVI_CODE_MAX - SIPVI_CODE_MIN + 1];

extern const sipvi_q850_t sipvi_q850_table[SIPVI_Q850_MAX + 1];
extern const sipvi_warning_t sipvi_warning_table[SIPVI_WARN_MAX - SIPVI_WARN_MIN + 1];

static inline const sipvi_q850_t *
sipvi_q850_lookup(unsigned cause)
{
    if (cause < SIPVI_Q850_MIN || cause > SIPVI_Q850_MAX)
        return NULL;
    return sipvi_q850_table[cause].cause ? &sipvi_q850_table[cause] : NULL;
}

static inline const sipvi_warning_t *
sipvi_warning_lookup(unsigned code)
{
    if (code < SIPVI_WARN_MIN || code > SIPVI_WARN_MAX)
        return NULL;
    const sipvi_warning_t *w = &sipvi_warning_table[code - SIPVI_WARN_MIN];
    return w->code ? w : NULL;
}

static inline const sipvi_cancel_reason_t *
sipvi_cancel_reason_lookup(unsigned cause)
{
    if (!sipvi_code_is_valid(cause))
        return NULL;
    const sipvi_cancel_reason_t *c = &sipvi_cancel_reason_table[cause - SIPVI_CODE_MIN];
    return c->cause ? c : NULL;
}

/* Fills *out for any code; returns false (and a zeroed class) when the code is outside 100–799. */
bool sipvi_resolve(unsigned code, sipvi_resolution_t *out);

/* "chat", "note", "warn", "error" — the words the data files use. */
static inline const char *
sipvi_severity_keyword(sipvi_severity_t severity)
{
    switch (severity) {
    case SIPVI_SEVERITY_CHAT: return "chat";
    case SIPVI_SEVERITY_NOTE: return "note";
    case SIPVI_SEVERITY_WARN: return "warn";
    case SIPVI_SEVERITY_ERROR: return "error";
    case SIPVI_SEVERITY_NONE: break;
    }
    return "none";
}

/* Diagnoses of a call or a registration (data/diagnoses.tsv). The rules are code
 * (plugin/calls/sipvi_diagnosis.c) and name their diagnosis by this enum; the wording is data, and the
 * generator requires exactly one row per id listed here, with the scope given here. */
#define SIPVI_DIAGNOSES(X)                                  \
    X(ANSWERED, "answered", false)                          \
    X(AUTH_FAILED, "auth_failed", false)                    \
    X(FORBIDDEN, "forbidden", false)                        \
    X(BUSY, "busy", false)                                  \
    X(NO_ANSWER, "no_answer", false)                        \
    X(UNREACHABLE, "unreachable", false)                    \
    X(CALLER_CANCELLED, "caller_cancelled", false)          \
    X(CANCELLED, "cancelled", false)                        \
    X(ANSWERED_ELSEWHERE, "answered_elsewhere", false)      \
    X(REJECTED, "rejected", false)                          \
    X(NUMBER_INVALID, "number_invalid", false)              \
    X(NO_ROUTE, "no_route", false)                          \
    X(NUMBER_CHANGED, "number_changed", false)              \
    X(CODEC_MISMATCH, "codec_mismatch", false)              \
    X(NOT_IMPLEMENTED, "not_implemented", false)            \
    X(SERVER_ERROR, "server_error", false)                  \
    X(DOWNSTREAM_FAILURE, "downstream_failure", false)      \
    X(CAPACITY, "capacity", false)                          \
    X(REDIRECTED, "redirected", false)                      \
    X(LOOP, "loop", false)                                  \
    X(NO_RESPONSE, "no_response", false)                    \
    X(NETWORK_REFUSED, "network_refused", false)            \
    X(NO_FINAL_RESPONSE, "no_final_response", false)        \
    X(CAPTURE_ENDED, "capture_ended", false)                \
    X(ACK_MISSING, "ack_missing", false)                    \
    X(INVITE_MISSING, "invite_missing", false)              \
    X(BYE_FAILED, "bye_failed", false)                      \
    X(MEDIA_PRIVATE_ADDRESS, "media_private_address", false)\
    X(OTHER_FAILURE, "other_failure", false)                \
    X(NO_MEDIA, "no_media", false)                          \
    X(ONE_WAY_MEDIA, "one_way_media", false)                \
    X(MEDIA_ADDRESS_MISMATCH, "media_address_mismatch", false) \
    X(MEDIA_STOPPED, "media_stopped", false)                \
    X(MEDIA_LOSS, "media_loss", false)                      \
    X(MEDIA_JITTER, "media_jitter", false)                  \
    X(REG_OK, "reg_ok", true)                               \
    X(REG_AUTH_FAILED, "reg_auth_failed", true)             \
    X(REG_FORBIDDEN, "reg_forbidden", true)                 \
    X(REG_REJECTED, "reg_rejected", true)                   \
    X(REG_NO_RESPONSE, "reg_no_response", true)             \
    X(REG_CAPTURE_ENDED, "reg_capture_ended", true)

#define SIPVI_DIAG_ENUMERATOR(name, id, registration) SIPVI_DIAG_##name,
typedef enum {
    SIPVI_DIAGNOSES(SIPVI_DIAG_ENUMERATOR)
    SIPVI_DIAG_COUNT
} sipvi_diag_id_t;
#undef SIPVI_DIAG_ENUMERATOR

/* The placeholders an explanation may use, "{name}": the generator refuses any other. */
#define SIPVI_DIAG_PLACEHOLDERS(X) \
    X(CODE, "code") X(MEANING, "meaning") X(Q850, "q850") X(COUNT, "count") X(CODECS, "codecs") \
    X(WARNING, "warning") X(ADDR, "addr") X(SOURCE, "source") X(SECONDS, "seconds")          \
    X(RETRY_AFTER, "retry_after") X(AOR, "aor") X(FRAGMENTS, "fragments") X(FRAMES, "frames")  \
    X(REQUEST, "request") X(ICMP, "icmp")                                                      \
    /* the media diagnoses' own (filled by plugin/calls/media/sipvi_media_diagnosis.c) */             \
    X(SIDE, "side") X(PEER, "peer") X(PERCENT, "percent") X(MS, "ms") X(OTHERS, "others")

#define SIPVI_DIAG_PH_ENUMERATOR(name, text) SIPVI_PH_##name,
typedef enum {
    SIPVI_DIAG_PLACEHOLDERS(SIPVI_DIAG_PH_ENUMERATOR)
    SIPVI_PLACEHOLDER_COUNT
} sipvi_placeholder_t;
#undef SIPVI_DIAG_PH_ENUMERATOR

extern const char *const sipvi_placeholder_names[SIPVI_PLACEHOLDER_COUNT];

typedef struct {
    const char *id;          /* stable ASCII id, e.g. "busy" */
    bool registration;       /* scope: a registration, not a call */
    const char *title;       /* short Vietnamese title */
    const char *explanation; /* Vietnamese template with {placeholders} */
    const char *check;       /* what to check first */
} sipvi_diagnosis_text_t;

/* Generated, indexed by sipvi_diag_id_t. */
extern const sipvi_diagnosis_text_t sipvi_diagnosis_table[SIPVI_DIAG_COUNT];

/* The placeholder named by name[0..len), or -1. */
int sipvi_placeholder_lookup(const char *name, size_t len);

#endif /* SIPVI_TABLE_H */
