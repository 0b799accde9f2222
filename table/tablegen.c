/* tablegen.c — compiles the data folder's tables into a C source.
 *
 * Usage: sipvi-tablegen CLASSES.tsv CODES.tsv Q850.tsv WARNINGS.tsv CANCEL_REASONS.tsv
 *                       DIAGNOSES.tsv OUT.c
 *        sipvi-tablegen --lua TEMPLATE.lua CLASSES.tsv CODES.tsv Q850.tsv WARNINGS.tsv
 *                       CANCEL_REASONS.tsv DIAGNOSES.tsv OUT.lua
 *
 * The second form writes the Lua edition: the template with its "--[[SIPVI_DATA]]" line replaced
 * by the same tables as Lua constructors, so that both editions hold the very same wording (the
 * diagnoses are checked but not written: the Lua edition has no call reports).
 *
 * Runs at build time only. Bad data fails the build with "file:line: what is wrong" (the form
 * compilers use, so editors jump to the line); every problem is reported, not just the first.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sipvi_table.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 16

static const char *const class_columns[] = {"class", "name", "severity", "description"};
static const char *const code_columns[] = {"code", "reason", "meaning", "detail", "reference",
                                           "registered", "severity"};
static const char *const q850_columns[] = {"cause", "name", "meaning", "detail"};
static const char *const warning_columns[] = {"code", "text", "meaning"};
static const char *const cancel_reason_columns[] = {"cause", "meaning"};
static const char *const diagnosis_columns[] = {"id", "scope", "title", "explanation", "check"};
#define N_DIAGNOSIS_COLUMNS (sizeof diagnosis_columns / sizeof diagnosis_columns[0])
#define N_CLASS_COLUMNS (sizeof class_columns / sizeof class_columns[0])
#define N_CODE_COLUMNS (sizeof code_columns / sizeof code_columns[0])
#define N_Q850_COLUMNS (sizeof q850_columns / sizeof q850_columns[0])
#define N_WARNING_COLUMNS (sizeof warning_columns / sizeof warning_columns[0])
#define N_CANCEL_REASON_COLUMNS (sizeof cancel_reason_columns / sizeof cancel_reason_columns[0])

typedef struct {
    char *text;        /* the whole file, NUL-terminated; fields point into it */
    const char *path;
} source_t;

typedef struct {
    const char *path;
    unsigned line;
    char *field[MAX_FIELDS];
    size_t n_fields;
} row_t;

typedef struct {
    bool seen;         /* a row for the class exists, valid or not */
    bool defined;      /* ... and it is valid */
    unsigned line;
    const char *name, *description;
    sipvi_severity_t severity;
} class_row_t;

typedef struct {
    unsigned line;     /* 0: no row for this code */
    const char *reason, *meaning, *detail, *reference;
    bool registered;
    sipvi_severity_t severity; /* NONE: class default */
} code_row_t;

/* A table keyed by a number in [min, max] whose other columns are all required texts: the
 * Q.850 causes, the warn-codes and the SIP causes of a CANCEL's Reason. */
typedef struct {
    const char *const *columns;
    size_t n_columns;
    unsigned min, max;
    unsigned line[SIPVI_CODE_MAX + 1];                 /* 0: no row for this key */
    const char *text[SIPVI_CODE_MAX + 1][MAX_FIELDS];  /* the columns after the key */
} keyed_table_t;

static keyed_table_t q850 = {q850_columns, N_Q850_COLUMNS, SIPVI_Q850_MIN, SIPVI_Q850_MAX, {0}, {{0}}};
static keyed_table_t warnings = {warning_columns, N_WARNING_COLUMNS, SIPVI_WARN_MIN, SIPVI_WARN_MAX,
                                 {0}, {{0}}};
static keyed_table_t cancel_reasons = {cancel_reason_columns, N_CANCEL_REASON_COLUMNS, SIPVI_CODE_MIN,
                                       SIPVI_CODE_MAX, {0}, {{0}}};
static keyed_table_t *keyed_target;  /* the table on_keyed_row fills */

static unsigned n_errors;
static class_row_t classes[SIPVI_CLASS_MAX + 1];
static code_row_t codes[SIPVI_CODE_MAX + 1];

static void
report(const char *path, unsigned line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%u: ", path, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    n_errors++;
}

static bool
read_source(const char *path, source_t *src)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        n_errors++;
        return false;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    bool failed = ferror(f) || !buf;
    fclose(f);
    if (failed) {
        fprintf(stderr, "%s: cannot read: %s\n", path, buf ? strerror(errno) : "out of memory");
        free(buf);
        n_errors++;
        return false;
    }
    buf[len] = '\0';
    if (memchr(buf, '\0', len)) {
        fprintf(stderr, "%s:1: file contains a NUL byte: not a text file\n", path);
        free(buf);
        n_errors++;
        return false;
    }
    src->text = buf;
    src->path = path;
    return true;
}

/* Returns the length of the UTF-8 sequence at s (1–4), or 0 when it is not valid UTF-8
 * (overlong forms, surrogates and code points above U+10FFFF included). */
static size_t
utf8_sequence(const unsigned char *s, unsigned *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    unsigned min;
    if ((c & 0xE0) == 0xC0) {
        n = 2; min = 0x80; c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3; min = 0x800; c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4; min = 0x10000; c &= 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* Checks the encoding of one line. Vietnamese typed in NFD carries combining marks
 * (U+0300–U+036F) where NFC has precomposed letters: such text looks right but does not
 * match a filter typed in NFC, so it is refused here. */
static bool
check_text(const char *path, unsigned line, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    for (size_t col = 1; *p; col++) {
        unsigned cp;
        size_t n = utf8_sequence(p, &cp);
        if (n == 0) {
            report(path, line, "invalid UTF-8 (byte 0x%02X at character %zu): save the file as UTF-8",
                   *p, col);
            return false;
        }
        if (cp >= 0x0300 && cp <= 0x036F) {
            report(path, line, "text is not in NFC form (combining mark U+%04X at character %zu): "
                   "use precomposed Vietnamese letters", cp, col);
            return false;
        }
        if (cp < 0x20 && cp != '\t') {
            report(path, line, "control character U+%04X at character %zu", cp, col);
            return false;
        }
        p += n;
    }
    return true;
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* Splits a line in place on TABs. */
static void
split_fields(char *line, row_t *row)
{
    row->n_fields = 0;
    char *p = line;
    for (;;) {
        if (row->n_fields < MAX_FIELDS)
            row->field[row->n_fields] = p;
        row->n_fields++;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
}

/* Calls on_row for each data row of src, after checking the header. Lines beginning with '#'
 * and blank lines are skipped; a UTF-8 byte order mark and CRLF line ends are tolerated. */
static void
for_each_row(source_t *src, const char *const *columns, size_t n_columns,
             void (*on_row)(const row_t *row))
{
    char *p = src->text;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
        p += 3;
    bool header_seen = false;
    unsigned line_no = 0;
    while (*p) {
        char *line = p;
        char *nl = strchr(p, '\n');
        if (nl) {
            *nl = '\0';
            p = nl + 1;
        } else {
            p += strlen(p);
        }
        line_no++;
        size_t len = strlen(line);
        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        if (line[0] == '#')
            continue;
        bool blank = true;
        for (const char *c = line; *c; c++)
            blank = blank && is_space(*c);
        if (blank)
            continue;
        if (!check_text(src->path, line_no, line))
            continue;

        row_t row = {.path = src->path, .line = line_no};
        split_fields(line, &row);
        if (!header_seen) {
            header_seen = true;
            bool ok = row.n_fields == n_columns;
            for (size_t i = 0; ok && i < n_columns; i++)
                ok = strcmp(row.field[i], columns[i]) == 0;
            if (!ok) {
                char expected[256] = "";
                for (size_t i = 0; i < n_columns; i++) {
                    strcat(expected, i ? "<TAB>" : "");
                    strcat(expected, columns[i]);
                }
                report(src->path, line_no, "header must be: %s", expected);
                return;
            }
            continue;
        }
        if (row.n_fields != n_columns) {
            report(src->path, line_no, "wrong column count: %zu fields, expected %zu (%s … %s), "
                   "separated by one TAB each", row.n_fields, n_columns, columns[0],
                   columns[n_columns - 1]);
            continue;
        }
        bool trimmed = true;
        for (size_t i = 0; i < n_columns; i++) {
            size_t flen = strlen(row.field[i]);
            if (flen && (is_space(row.field[i][0]) || is_space(row.field[i][flen - 1]))) {
                report(src->path, line_no, "%s has leading or trailing spaces", columns[i]);
                trimmed = false;
            }
        }
        if (trimmed)
            on_row(&row);
    }
    if (!header_seen)
        report(src->path, line_no ? line_no : 1, "no header line and no rows");
}

/* Parses a decimal number made of digits only; false for anything else (signs, spaces, "1e2"). */
static bool
parse_number(const char *s, unsigned long *out)
{
    if (!*s || strlen(s) > 9)
        return false;
    unsigned long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (unsigned long)(*s - '0');
    }
    *out = v;
    return true;
}

static bool
parse_severity(const char *s, sipvi_severity_t *out)
{
    static const sipvi_severity_t all[] = {SIPVI_SEVERITY_CHAT, SIPVI_SEVERITY_NOTE,
                                           SIPVI_SEVERITY_WARN, SIPVI_SEVERITY_ERROR};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(s, sipvi_severity_keyword(all[i])) == 0) {
            *out = all[i];
            return true;
        }
    }
    return false;
}

static bool
require_text(const row_t *row, size_t column, const char *const *columns)
{
    if (row->field[column][0])
        return true;
    report(row->path, row->line, "empty %s", columns[column]);
    return false;
}

static void
on_class_row(const row_t *row)
{
    unsigned long n;
    if (!parse_number(row->field[0], &n) || n < 1 || n > SIPVI_CLASS_MAX) {
        report(row->path, row->line, "class '%s' is not a number from 1 to %u", row->field[0],
               SIPVI_CLASS_MAX);
        return;
    }
    if (classes[n].seen) {
        report(row->path, row->line, "duplicate class %lu (first defined at line %u)", n,
               classes[n].line);
        return;
    }
    /* Seen even when invalid, so that its codes do not each repeat the class's error. */
    classes[n].seen = true;
    classes[n].line = row->line;
    bool ok = require_text(row, 1, class_columns) && require_text(row, 3, class_columns);
    sipvi_severity_t severity;
    if (!parse_severity(row->field[2], &severity)) {
        report(row->path, row->line, "unknown severity '%s' (expected chat, note, warn or error)",
               row->field[2]);
        ok = false;
    }
    if (!ok)
        return;
    classes[n] = (class_row_t){true, true, row->line, row->field[1], row->field[3], severity};
}

static const char *classes_path;

static void
on_code_row(const row_t *row)
{
    unsigned long code;
    if (!parse_number(row->field[0], &code)) {
        report(row->path, row->line, "code '%s' is not a number", row->field[0]);
        return;
    }
    if (!sipvi_code_is_valid((unsigned)code)) {
        report(row->path, row->line, "code %lu is outside %u–%u", code, SIPVI_CODE_MIN,
               SIPVI_CODE_MAX);
        return;
    }
    if (codes[code].line) {
        report(row->path, row->line, "duplicate code %lu (first defined at line %u)", code,
               codes[code].line);
        return;
    }
    bool ok = true;
    for (size_t i = 1; i <= 4; i++)
        ok = require_text(row, i, code_columns) && ok;

    bool registered = false;
    if (strcmp(row->field[5], "iana") == 0) {
        registered = true;
    } else if (strcmp(row->field[5], "non-standard") != 0) {
        report(row->path, row->line, "unknown registered value '%s' (expected iana or non-standard)",
               row->field[5]);
        ok = false;
    }

    sipvi_severity_t severity = SIPVI_SEVERITY_NONE;
    if (strcmp(row->field[6], "-") != 0 && !parse_severity(row->field[6], &severity)) {
        report(row->path, row->line,
               "unknown severity '%s' (expected - for the class default, chat, note, warn or error)",
               row->field[6]);
        ok = false;
    }

    unsigned klass = (unsigned)code / 100u;
    if (!classes[klass].seen) {
        report(row->path, row->line, "class %u of code %lu has no name in %s", klass, code,
               classes_path);
        ok = false;
    } else if (!classes[klass].defined) {
        ok = false;
    }
    if (!ok)
        return;
    codes[code] = (code_row_t){row->line, row->field[1], row->field[2], row->field[3],
                               row->field[4], registered, severity};
}

static void
on_keyed_row(const row_t *row)
{
    keyed_table_t *t = keyed_target;
    unsigned long key;
    if (!parse_number(row->field[0], &key)) {
        report(row->path, row->line, "%s '%s' is not a number", t->columns[0], row->field[0]);
        return;
    }
    if (key < t->min || key > t->max) {
        report(row->path, row->line, "%s %lu is outside %u–%u", t->columns[0], key, t->min, t->max);
        return;
    }
    if (t->line[key]) {
        report(row->path, row->line, "duplicate %s %lu (first defined at line %u)", t->columns[0],
               key, t->line[key]);
        return;
    }
    bool ok = true;
    for (size_t i = 1; i < t->n_columns; i++)
        ok = require_text(row, i, t->columns) && ok;
    if (!ok)
        return;
    t->line[key] = row->line;
    for (size_t i = 1; i < t->n_columns; i++)
        t->text[key][i - 1] = row->field[i];
}

static void
read_keyed(const char *path, keyed_table_t *t, source_t *src)
{
    if (!read_source(path, src))
        return;
    keyed_target = t;
    for_each_row(src, t->columns, t->n_columns, on_keyed_row);
}

/* Writes s as a C string literal; non-ASCII bytes as three-digit octal escapes so that the
 * generated source is plain ASCII whatever the compiler's input charset. */
static void
emit_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7F || *p == '?')  /* '?' avoids trigraphs */
            fprintf(out, "\\%03o", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static const char *
severity_enumerator(sipvi_severity_t s)
{
    switch (s) {
    case SIPVI_SEVERITY_CHAT: return "SIPVI_SEVERITY_CHAT";
    case SIPVI_SEVERITY_NOTE: return "SIPVI_SEVERITY_NOTE";
    case SIPVI_SEVERITY_WARN: return "SIPVI_SEVERITY_WARN";
    case SIPVI_SEVERITY_ERROR: return "SIPVI_SEVERITY_ERROR";
    case SIPVI_SEVERITY_NONE: break;
    }
    return "SIPVI_SEVERITY_NONE";
}

/* The code an unknown code of the class is treated as: RFC 3261 §8.1.3.2 says x00, except
 * that an unrecognised provisional response is treated as 183 Session Progress. Class 7 is
 * outside the RFC: its codes mean whatever their stack says, so nothing stands in for them. */
static unsigned
unknown_as(unsigned klass)
{
    unsigned as = klass == 1 ? 183 : klass == 7 ? 0 : klass * 100;
    return as && codes[as].line ? as : 0;
}

static char *
format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    if (!s) {
        fputs("sipvi-tablegen: out of memory\n", stderr);
        exit(1);
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* How a code of class k that has no entry is worded (both editions); the caller frees both. */
static void
unknown_texts(unsigned k, char **meaning, char **detail)
{
    const class_row_t *c = &classes[k];
    unsigned as = unknown_as(k);
    /* The meaning names the class, not the stand-in's meaning: a 699 is not "busy
     * everywhere" to the person reading it, even if a UAC must act as for 600. */
    if (as) {
        *meaning = format("Mã chưa có trong bảng — lớp %s, xử lý như %u", c->name, as);
        *detail = format("Mã này không có trong bảng của sipvi. Theo RFC 3261 §8.1.3.2, bên nhận "
                         "xử lý mã chưa biết như %s. %u %s: %s", k == 1 ? "183 Session Progress" :
                         "mã x00 của cùng lớp", as, codes[as].reason, codes[as].detail);
    } else {
        *meaning = format("Mã chưa có trong bảng — lớp %s", c->name);
        *detail = format("Mã này không có trong bảng của sipvi. %s Kiểm tra: tài liệu của thiết "
                         "bị hoặc SIP stack đã gửi mã này.", c->description);
    }
}

static void
emit_classes(FILE *out)
{
    fputs("const sipvi_class_t sipvi_class_table[SIPVI_CLASS_MAX + 1] = {\n", out);
    for (unsigned k = 1; k <= SIPVI_CLASS_MAX; k++) {
        const class_row_t *c = &classes[k];
        unsigned as = unknown_as(k);
        char *meaning, *detail;
        unknown_texts(k, &meaning, &detail);
        fprintf(out, "    [%u] = {\n        .name = ", k);
        emit_string(out, c->name);
        fputs(",\n        .description = ", out);
        emit_string(out, c->description);
        fprintf(out, ",\n        .severity = %s,\n        .unknown_as = %u,\n"
                "        .unknown_meaning = ", severity_enumerator(c->severity), as);
        emit_string(out, meaning);
        fputs(",\n        .unknown_detail = ", out);
        emit_string(out, detail);
        fputs(",\n    },\n", out);
        free(meaning);
        free(detail);
    }
    fputs("};\n\n", out);
}

static void
emit_q850(FILE *out)
{
    fputs("const sipvi_q850_t sipvi_q850_table[SIPVI_Q850_MAX + 1] = {\n", out);
    for (unsigned k = q850.min; k <= q850.max; k++) {
        if (!q850.line[k])
            continue;
        fprintf(out, "    [%u] = {.cause = %u, .name = ", k, k);
        emit_string(out, q850.text[k][0]);
        fputs(", .meaning = ", out);
        emit_string(out, q850.text[k][1]);
        fputs(", .detail = ", out);
        emit_string(out, q850.text[k][2]);
        fputs("},\n", out);
    }
    fputs("};\n\n", out);
}

static void
emit_warnings(FILE *out)
{
    fputs("const sipvi_warning_t sipvi_warning_table[SIPVI_WARN_MAX - SIPVI_WARN_MIN + 1] = {\n", out);
    for (unsigned k = warnings.min; k <= warnings.max; k++) {
        if (!warnings.line[k])
            continue;
        fprintf(out, "    [%u - SIPVI_WARN_MIN] = {.code = %u, .text = ", k, k);
        emit_string(out, warnings.text[k][0]);
        fputs(", .meaning = ", out);
        emit_string(out, warnings.text[k][1]);
        fputs("},\n", out);
    }
    fputs("};\n\n", out);
}

static void
emit_cancel_reasons(FILE *out)
{
    fputs("const sipvi_cancel_reason_t sipvi_cancel_reason_table[SIPVI_CODE_MAX - SIPVI_CODE_MIN + 1] = {\n",
          out);
    unsigned rows = 0;
    for (unsigned k = cancel_reasons.min; k <= cancel_reasons.max; k++) {
        if (!cancel_reasons.line[k])
            continue;
        fprintf(out, "    [%u - SIPVI_CODE_MIN] = {.cause = %u, .meaning = ", k, k);
        emit_string(out, cancel_reasons.text[k][0]);
        fputs("},\n", out);
        rows++;
    }
    if (!rows)  /* an empty initializer list is not C11 */
        fputs("    {0},\n", out);
    fputs("};\n\n", out);
}

static unsigned
emit_codes(FILE *out)
{
    unsigned count = 0;
    fputs("const sipvi_status_t sipvi_status_table[SIPVI_CODE_MAX - SIPVI_CODE_MIN + 1] = {\n", out);
    for (unsigned code = SIPVI_CODE_MIN; code <= SIPVI_CODE_MAX; code++) {
        const code_row_t *r = &codes[code];
        if (!r->line)
            continue;
        sipvi_severity_t severity = r->severity ? r->severity : classes[code / 100].severity;
        fprintf(out, "    [%u - SIPVI_CODE_MIN] = {\n        .code = %u,\n        .registered = %s,\n"
                "        .severity = %s,\n        .reason = ", code, code,
                r->registered ? "true" : "false", severity_enumerator(severity));
        emit_string(out, r->reason);
        fputs(",\n        .meaning = ", out);
        emit_string(out, r->meaning);
        fputs(",\n        .detail = ", out);
        emit_string(out, r->detail);
        fputs(",\n        .reference = ", out);
        emit_string(out, r->reference);
        fputs(",\n    },\n", out);
        count++;
    }
    fputs("};\n\n", out);
    return count;
}

/* Writes s as a Lua string literal. UTF-8 stays as it is (Lua strings are bytes), so the
 * generated file reads like the data; quotes, backslashes and control characters are escaped. */
static void
emit_lua_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7F)
            fprintf(out, "\\%03u", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void
emit_lua_field(FILE *out, const char *name, const char *value)
{
    fprintf(out, ", %s = ", name);
    emit_lua_string(out, value);
}

/* The tables of the Lua edition, as local constructors (the template's data line). */
static unsigned
emit_lua(FILE *out)
{
    fputs("-- Generated by sipvi-tablegen from the data folder. Do not edit: edit the data.\n", out);
    fputs("local CLASSES = {\n", out);
    for (unsigned k = 1; k <= SIPVI_CLASS_MAX; k++) {
        char *meaning, *detail;
        unknown_texts(k, &meaning, &detail);
        fprintf(out, "    [%u] = {severity = %d", k, (int)classes[k].severity);
        emit_lua_field(out, "name", classes[k].name);
        emit_lua_field(out, "unknown_meaning", meaning);
        emit_lua_field(out, "unknown_detail", detail);
        fputs("},\n", out);
        free(meaning);
        free(detail);
    }
    fputs("}\nlocal CODES = {\n", out);
    unsigned count = 0;
    for (unsigned code = SIPVI_CODE_MIN; code <= SIPVI_CODE_MAX; code++) {
        const code_row_t *r = &codes[code];
        if (!r->line)
            continue;
        sipvi_severity_t severity = r->severity ? r->severity : classes[code / 100].severity;
        fprintf(out, "    [%u] = {severity = %d, registered = %s", code, (int)severity,
                r->registered ? "true" : "false");
        emit_lua_field(out, "reason", r->reason);
        emit_lua_field(out, "meaning", r->meaning);
        emit_lua_field(out, "detail", r->detail);
        emit_lua_field(out, "reference", r->reference);
        fputs("},\n", out);
        count++;
    }
    fputs("}\nlocal Q850 = {\n", out);
    for (unsigned k = q850.min; k <= q850.max; k++) {
        if (!q850.line[k])
            continue;
        fprintf(out, "    [%u] = {cause = %u", k, k);
        emit_lua_field(out, "meaning", q850.text[k][1]);
        emit_lua_field(out, "detail", q850.text[k][2]);
        fputs("},\n", out);
    }
    fputs("}\nlocal WARNINGS = {\n", out);
    for (unsigned k = warnings.min; k <= warnings.max; k++) {
        if (!warnings.line[k])
            continue;
        fprintf(out, "    [%u] = {code = %u", k, k);
        emit_lua_field(out, "meaning", warnings.text[k][1]);
        fputs("},\n", out);
    }
    fputs("}\nlocal CANCEL_REASONS = {\n", out);
    for (unsigned k = cancel_reasons.min; k <= cancel_reasons.max; k++) {
        if (!cancel_reasons.line[k])
            continue;
        fprintf(out, "    [%u] = {cause = %u", k, k);
        emit_lua_field(out, "meaning", cancel_reasons.text[k][0]);
        fputs("},\n", out);
    }
    fputs("}\n", out);
    return count;
}

#define LUA_DATA_MARKER "--[[SIPVI_DATA]]"

/* The ids and scopes the plugin's rules know (sipvi_table.h), and the placeholders. */
#define DIAG_KNOWN(name, id, registration) {id, registration},
static const struct {
    const char *id;
    bool registration;
} diag_known[SIPVI_DIAG_COUNT] = {SIPVI_DIAGNOSES(DIAG_KNOWN)};
#undef DIAG_KNOWN
#define PH_NAME(name, text) text,
static const char *const placeholder_names[SIPVI_PLACEHOLDER_COUNT] = {SIPVI_DIAG_PLACEHOLDERS(PH_NAME)};
#undef PH_NAME

typedef struct {
    bool seen;         /* a row for the id exists, valid or not */
    unsigned line;     /* 0: no valid row for this id */
    const char *title, *explanation, *check;
} diagnosis_row_t;

static diagnosis_row_t diagnoses[SIPVI_DIAG_COUNT];

static bool
known_placeholder(const char *name, size_t len)
{
    for (size_t i = 0; i < SIPVI_PLACEHOLDER_COUNT; i++)
        if (strlen(placeholder_names[i]) == len && memcmp(placeholder_names[i], name, len) == 0)
            return true;
    return false;
}

/* Every "{name}" must be a placeholder the plugin fills; a lone brace is a typo. */
static bool
check_template(const row_t *row, size_t column)
{
    bool ok = true;
    for (const char *p = row->field[column]; *p; p++) {
        if (*p == '}') {
            report(row->path, row->line, "%s: '}' without '{'", diagnosis_columns[column]);
            return false;
        }
        if (*p != '{')
            continue;
        const char *end = strchr(p + 1, '}');
        const char *open = strchr(p + 1, '{');
        if (!end || (open && open < end)) {
            report(row->path, row->line, "%s: '{' without '}'", diagnosis_columns[column]);
            return false;
        }
        if (!known_placeholder(p + 1, (size_t)(end - p - 1))) {
            char known[256] = "";
            for (size_t i = 0; i < SIPVI_PLACEHOLDER_COUNT; i++) {
                strcat(known, i ? ", " : "");
                strcat(known, placeholder_names[i]);
            }
            report(row->path, row->line, "%s: unknown placeholder {%.*s} (known: %s)",
                   diagnosis_columns[column], (int)(end - p - 1), p + 1, known);
            ok = false;
        }
        p = end;
    }
    return ok;
}

static void
on_diagnosis_row(const row_t *row)
{
    int k = -1;
    for (int i = 0; i < SIPVI_DIAG_COUNT; i++)
        if (strcmp(diag_known[i].id, row->field[0]) == 0)
            k = i;
    if (k < 0) {
        report(row->path, row->line, "unknown diagnosis id '%s': the rules in "
               "plugin/calls/sipvi_diagnosis.c produce only the ids listed in table/sipvi_table.h",
               row->field[0]);
        return;
    }
    if (diagnoses[k].seen) {
        report(row->path, row->line, "duplicate id %s (first defined at line %u)", row->field[0],
               diagnoses[k].line);
        return;
    }
    diagnoses[k].seen = true;
    diagnoses[k].line = row->line;
    bool ok = true;
    const char *scope = diag_known[k].registration ? "registration" : "call";
    if (strcmp(row->field[1], scope) != 0) {
        report(row->path, row->line, "scope of %s must be %s, not '%s'", row->field[0], scope,
               row->field[1]);
        ok = false;
    }
    for (size_t i = 2; i < N_DIAGNOSIS_COLUMNS; i++)
        ok = require_text(row, i, diagnosis_columns) && ok;
    for (size_t i = 2; ok && i < N_DIAGNOSIS_COLUMNS; i++)
        ok = check_template(row, i) && ok;
    if (!ok)
        return;
    diagnoses[k] = (diagnosis_row_t){true, row->line, row->field[2], row->field[3], row->field[4]};
}

static void
read_diagnoses(const char *path, source_t *src)
{
    if (!read_source(path, src))
        return;
    for_each_row(src, diagnosis_columns, N_DIAGNOSIS_COLUMNS, on_diagnosis_row);
    for (int k = 0; k < SIPVI_DIAG_COUNT; k++) {
        /* A row that exists but is invalid was reported on its own line. */
        if (!diagnoses[k].seen)
            report(path, 1, "diagnosis %s has no row: every id the rules produce needs a title "
                   "and an explanation", diag_known[k].id);
    }
}

static void
emit_diagnoses(FILE *out)
{
    fputs("const sipvi_diagnosis_text_t sipvi_diagnosis_table[SIPVI_DIAG_COUNT] = {\n", out);
    for (int k = 0; k < SIPVI_DIAG_COUNT; k++) {
        fprintf(out, "    [%d] = {.id = \"%s\", .registration = %s, .title = ", k, diag_known[k].id,
                diag_known[k].registration ? "true" : "false");
        emit_string(out, diagnoses[k].title);
        fputs(", .explanation = ", out);
        emit_string(out, diagnoses[k].explanation);
        fputs(", .check = ", out);
        emit_string(out, diagnoses[k].check);
        fputs("},\n", out);
    }
    fputs("};\n\n", out);
}

static int write_table(const char *codes_path, const char *out_path, const char *lua_template);

int
main(int argc, char **argv)
{
    const char *lua_template = NULL;
    if (argc == 10 && strcmp(argv[1], "--lua") == 0) {
        lua_template = argv[2];
        argv += 2;
        argc -= 2;
    }
    if (argc != 8) {
        fputs("usage: sipvi-tablegen CLASSES.tsv CODES.tsv Q850.tsv WARNINGS.tsv CANCEL_REASONS.tsv "
              "DIAGNOSES.tsv OUT.c\n"
              "       sipvi-tablegen --lua TEMPLATE.lua CLASSES.tsv CODES.tsv Q850.tsv WARNINGS.tsv "
              "CANCEL_REASONS.tsv DIAGNOSES.tsv OUT.lua\n", stderr);
        return 2;
    }
    const char *codes_path = argv[2], *out_path = argv[7];
    classes_path = argv[1];

    source_t class_src = {0}, code_src = {0}, q850_src = {0}, warning_src = {0}, cancel_src = {0},
             diag_src = {0};
    if (read_source(classes_path, &class_src)) {
        for_each_row(&class_src, class_columns, N_CLASS_COLUMNS, on_class_row);
        for (unsigned k = 1; k <= SIPVI_CLASS_MAX; k++)
            if (!classes[k].seen)
                report(classes_path, 1, "class %u has no row: every class 1–%u needs a name", k,
                       SIPVI_CLASS_MAX);
    }
    if (read_source(codes_path, &code_src))
        for_each_row(&code_src, code_columns, N_CODE_COLUMNS, on_code_row);
    read_keyed(argv[3], &q850, &q850_src);
    read_keyed(argv[4], &warnings, &warning_src);
    read_keyed(argv[5], &cancel_reasons, &cancel_src);
    read_diagnoses(argv[6], &diag_src);
    int status = write_table(codes_path, out_path, lua_template);
    free(class_src.text);
    free(code_src.text);
    free(q850_src.text);
    free(warning_src.text);
    free(cancel_src.text);
    free(diag_src.text);
    return status;
}

/* The template, with its marker line replaced by the tables; false after reporting. */
static bool
write_lua(FILE *out, const char *template_path, unsigned *count)
{
    source_t tmpl = {0};
    if (!read_source(template_path, &tmpl))
        return false;
    const char *marker = strstr(tmpl.text, LUA_DATA_MARKER "\n");
    if (!marker || (marker != tmpl.text && marker[-1] != '\n') ||
            strstr(marker + 1, LUA_DATA_MARKER)) {
        fprintf(stderr, "%s: needs exactly one line '%s'\n", template_path, LUA_DATA_MARKER);
        free(tmpl.text);
        return false;
    }
    fwrite(tmpl.text, 1, (size_t)(marker - tmpl.text), out);
    *count = emit_lua(out);
    fputs(marker + strlen(LUA_DATA_MARKER "\n"), out);
    free(tmpl.text);
    return true;
}

/* The rows point into the sources, which main() frees after this. */
static int
write_table(const char *codes_path, const char *out_path, const char *lua_template)
{
    if (n_errors) {
        fprintf(stderr, "sipvi-tablegen: %u error%s in the data; no table written\n", n_errors,
                n_errors == 1 ? "" : "s");
        remove(out_path);
        return 1;
    }

    /* Written beside the target and renamed, so that a failed run never leaves a half table. */
    char *tmp_path = format("%s.tmp", out_path);
    FILE *out = fopen(tmp_path, "w");
    if (!out) {
        fprintf(stderr, "%s: cannot write: %s\n", tmp_path, strerror(errno));
        free(tmp_path);
        return 1;
    }
    unsigned count = 0;
    if (lua_template) {
        if (!write_lua(out, lua_template, &count)) {
            fclose(out);
            remove(tmp_path);
            free(tmp_path);
            return 1;
        }
    } else {
        fprintf(out, "/* Generated by sipvi-tablegen from the data folder. Do not edit: edit the "
                "data. */\n#include \"sipvi_table.h\"\n\n");
        emit_classes(out);
        emit_q850(out);
        emit_warnings(out);
        emit_cancel_reasons(out);
        emit_diagnoses(out);
        count = emit_codes(out);
    }
    if (count == 0) {
        fclose(out);
        remove(tmp_path);
        free(tmp_path);
        fprintf(stderr, "%s:1: no status codes in the file\n", codes_path);
        return 1;
    }
    if (!lua_template)
        fprintf(out, "const unsigned sipvi_status_count = %u;\n", count);
    if (fclose(out) != 0 || rename(tmp_path, out_path) != 0) {
        fprintf(stderr, "%s: cannot write: %s\n", out_path, strerror(errno));
        remove(tmp_path);
        free(tmp_path);
        return 1;
    }
    free(tmp_path);
    return 0;
}
