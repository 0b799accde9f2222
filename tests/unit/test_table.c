/* test_table.c — invariants of the compiled table and of the resolution rules.
 *
 * Exact values per code are checked against the data file by test_data.py; this test checks
 * what must hold for any data: slots indexed by code, resolution of every possible code.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sipvi_table.h"

#include <stdio.h>
#include <string.h>

#include "unit_check.h"

static bool
nonempty(const char *s)
{
    return s && *s;
}

static void
test_slots(void)
{
    unsigned count = 0;
    for (unsigned i = 0; i <= SIPVI_CODE_MAX - SIPVI_CODE_MIN; i++) {
        const sipvi_status_t *e = &sipvi_status_table[i];
        if (!e->code)
            continue;
        count++;
        CHECK(e->code == i + SIPVI_CODE_MIN, "slot %u holds code %u", i, e->code);
        CHECK(nonempty(e->reason) && nonempty(e->meaning) && nonempty(e->detail) &&
              nonempty(e->reference), "code %u has an empty text", e->code);
        CHECK(e->severity >= SIPVI_SEVERITY_CHAT && e->severity <= SIPVI_SEVERITY_ERROR,
              "code %u has severity %d", e->code, e->severity);
        CHECK(sipvi_status_lookup(e->code) == e, "lookup(%u) does not return its slot", e->code);
    }
    CHECK(count == sipvi_status_count, "%u filled slots, sipvi_status_count says %u", count,
          sipvi_status_count);
    CHECK(count > 0, "the table is empty");
}

static void
test_classes(void)
{
    for (unsigned k = 1; k <= SIPVI_CLASS_MAX; k++) {
        const sipvi_class_t *c = &sipvi_class_table[k];
        CHECK(nonempty(c->name) && nonempty(c->description), "class %u has no name", k);
        CHECK(c->severity >= SIPVI_SEVERITY_CHAT && c->severity <= SIPVI_SEVERITY_ERROR,
              "class %u has severity %d", k, c->severity);
        CHECK(nonempty(c->unknown_meaning) && nonempty(c->unknown_detail),
              "class %u has no wording for unknown codes", k);
        CHECK(strstr(c->unknown_meaning, c->name) != NULL,
              "class %u: the unknown-code meaning does not name the class", k);
        if (c->unknown_as) {
            CHECK(sipvi_status_lookup(c->unknown_as) != NULL && c->unknown_as / 100 == k,
                  "class %u stands in %u, which is not a known code of the class", k,
                  c->unknown_as);
        }
    }
    /* RFC 3261 §8.1.3.2: x00 for an unknown final code, 183 for an unknown provisional one;
     * 7xx is outside the RFC and has no stand-in. */
    CHECK(sipvi_class_table[1].unknown_as == 183, "1xx stands in %u", sipvi_class_table[1].unknown_as);
    for (unsigned k = 2; k <= 6; k++)
        CHECK(sipvi_class_table[k].unknown_as == k * 100, "%uxx stands in %u", k,
              sipvi_class_table[k].unknown_as);
    CHECK(sipvi_class_table[7].unknown_as == 0, "7xx stands in %u", sipvi_class_table[7].unknown_as);
}

static void
test_resolution(void)
{
    for (unsigned code = 0; code <= 100000; code++) {
        sipvi_resolution_t r;
        bool valid = sipvi_resolve(code, &r);
        CHECK(r.code == code, "resolve(%u) reports code %u", code, r.code);
        if (code < 100 || code > 799) {
            CHECK(!valid && r.class_number == 0 && !r.klass && !r.entry && !r.meaning &&
                  !r.detail && r.severity == SIPVI_SEVERITY_NONE,
                  "invalid code %u resolved to something", code);
            continue;
        }
        const sipvi_status_t *e = sipvi_status_lookup(code);
        const sipvi_class_t *c = &sipvi_class_table[code / 100];
        CHECK(valid && r.class_number == code / 100 && r.klass == c && r.entry == e,
              "code %u resolved to class %u", code, r.class_number);
        if (e) {
            CHECK(r.meaning == e->meaning && r.detail == e->detail && r.severity == e->severity,
                  "known code %u not resolved to its entry", code);
        } else {
            CHECK(r.meaning == c->unknown_meaning && r.detail == c->unknown_detail &&
                  r.severity == c->severity, "unknown code %u not resolved to its class", code);
        }
    }
}

static void
test_severity_keywords(void)
{
    CHECK(strcmp(sipvi_severity_keyword(SIPVI_SEVERITY_CHAT), "chat") == 0, "chat");
    CHECK(strcmp(sipvi_severity_keyword(SIPVI_SEVERITY_NOTE), "note") == 0, "note");
    CHECK(strcmp(sipvi_severity_keyword(SIPVI_SEVERITY_WARN), "warn") == 0, "warn");
    CHECK(strcmp(sipvi_severity_keyword(SIPVI_SEVERITY_ERROR), "error") == 0, "error");
    CHECK(strcmp(sipvi_severity_keyword(SIPVI_SEVERITY_NONE), "none") == 0, "none");
}

int
main(void)
{
    test_slots();
    test_classes();
    test_resolution();
    test_severity_keywords();
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
