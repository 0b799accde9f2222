/* table_dump.c — prints the compiled table, so that people and tests can see what the plugin sees.
 *
 *   sipvi-table-dump codes         every entry: code, class, severity, registered, reason, meaning,
 *                                  detail, reference (TSV)
 *   sipvi-table-dump classes       class, name, severity, unknown_as, unknown_meaning, description
 *   sipvi-table-dump resolve CODE… how each code is shown: code, class, known, severity, meaning
 *   sipvi-table-dump q850          cause, name, meaning, detail
 *   sipvi-table-dump warnings      code, text, meaning
 *   sipvi-table-dump cancel_reasons  cause, meaning (Reason: SIP in a CANCEL)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sipvi_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
dump_codes(void)
{
    unsigned seen = 0;
    puts("code\tclass\tseverity\tregistered\treason\tmeaning\tdetail\treference");
    for (unsigned code = SIPVI_CODE_MIN; code <= SIPVI_CODE_MAX; code++) {
        const sipvi_status_t *e = sipvi_status_lookup(code);
        if (!e)
            continue;
        printf("%u\t%u\t%s\t%s\t%s\t%s\t%s\t%s\n", e->code, code / 100, sipvi_severity_keyword(e->severity),
               e->registered ? "iana" : "non-standard", e->reason, e->meaning, e->detail,
               e->reference);
        seen++;
    }
    if (seen != sipvi_status_count) {
        fprintf(stderr, "sipvi-table-dump: %u entries found, table says %u\n", seen, sipvi_status_count);
        return 1;
    }
    return 0;
}

static int
dump_classes(void)
{
    puts("class\tname\tseverity\tunknown_as\tunknown_meaning\tdescription");
    for (unsigned k = 1; k <= SIPVI_CLASS_MAX; k++) {
        const sipvi_class_t *c = &sipvi_class_table[k];
        printf("%u\t%s\t%s\t%u\t%s\t%s\n", k, c->name, sipvi_severity_keyword(c->severity),
               c->unknown_as, c->unknown_meaning, c->description);
    }
    return 0;
}

static int
dump_q850(void)
{
    puts("cause\tname\tmeaning\tdetail");
    for (unsigned k = SIPVI_Q850_MIN; k <= SIPVI_Q850_MAX; k++) {
        const sipvi_q850_t *q = sipvi_q850_lookup(k);
        if (q)
            printf("%u\t%s\t%s\t%s\n", q->cause, q->name, q->meaning, q->detail);
    }
    return 0;
}

static int
dump_warnings(void)
{
    puts("code\ttext\tmeaning");
    for (unsigned k = SIPVI_WARN_MIN; k <= SIPVI_WARN_MAX; k++) {
        const sipvi_warning_t *w = sipvi_warning_lookup(k);
        if (w)
            printf("%u\t%s\t%s\n", w->code, w->text, w->meaning);
    }
    return 0;
}

static int
dump_cancel_reasons(void)
{
    puts("cause\tmeaning");
    for (unsigned k = SIPVI_CODE_MIN; k <= SIPVI_CODE_MAX; k++) {
        const sipvi_cancel_reason_t *c = sipvi_cancel_reason_lookup(k);
        if (c)
            printf("%u\t%s\n", c->cause, c->meaning);
    }
    return 0;
}

static int
resolve(int n, char **args)
{
    puts("code\tclass\tknown\tseverity\tmeaning");
    for (int i = 0; i < n; i++) {
        char *end;
        unsigned long code = strtoul(args[i], &end, 10);
        if (*args[i] == '\0' || *end != '\0' || code > 99999) {
            fprintf(stderr, "sipvi-table-dump: '%s' is not a status code\n", args[i]);
            return 2;
        }
        sipvi_resolution_t r;
        if (!sipvi_resolve((unsigned)code, &r)) {
            printf("%lu\tinvalid\tfalse\tnone\t\n", code);
            continue;
        }
        printf("%u\t%u\t%s\t%s\t%s\n", r.code, r.class_number, r.entry ? "true" : "false",
               sipvi_severity_keyword(r.severity), r.meaning);
    }
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "codes") == 0)
        return dump_codes();
    if (argc == 2 && strcmp(argv[1], "classes") == 0)
        return dump_classes();
    if (argc == 2 && strcmp(argv[1], "q850") == 0)
        return dump_q850();
    if (argc == 2 && strcmp(argv[1], "warnings") == 0)
        return dump_warnings();
    if (argc == 2 && strcmp(argv[1], "cancel_reasons") == 0)
        return dump_cancel_reasons();
    if (argc >= 3 && strcmp(argv[1], "resolve") == 0)
        return resolve(argc - 2, argv + 2);
    fputs("usage: sipvi-table-dump codes | classes | q850 | warnings | cancel_reasons | resolve CODE...\n", stderr);
    return 2;
}
