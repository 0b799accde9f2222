/* sipvi_report.c — printing shared by the calls and registrations reports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <wireshark.h>
#include <wsutil/report_message.h>

#include "sipvi_report.h"
#include "sipvi_table.h"

gsize
sipvi_report_width(const char *s)
{
    gsize width = 0;
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        width += g_unichar_iszerowidth(c) ? 0 : g_unichar_iswide(c) ? 2 : 1;
    }
    return width;
}

void
sipvi_report_padded(const char *s, gsize width)
{
    fputs(s, stdout);
    for (gsize w = sipvi_report_width(s); w < width; w++)
        putchar(' ');
}

void
sipvi_report_table(const char *const *headers, char ***rows, guint n_rows, guint n_cols)
{
    gsize *width = g_new0(gsize, n_cols);
    for (guint i = 0; i < n_cols; i++)
        width[i] = sipvi_report_width(headers[i]);
    for (guint r = 0; r < n_rows; r++)
        for (guint i = 0; i < n_cols; i++)
            width[i] = MAX(width[i], sipvi_report_width(rows[r][i]));
    for (guint r = 0; r <= n_rows; r++) {
        const char *const *cells = r == 0 ? headers : (const char *const *)rows[r - 1];
        for (guint i = 0; i < n_cols; i++) {
            if (i)
                fputs("  ", stdout);
            if (i < n_cols - 1)
                sipvi_report_padded(cells[i], width[i]);
            else
                fputs(cells[i], stdout);
        }
        putchar('\n');
    }
    g_free(width);
}

void
sipvi_report_csv_field(const char *s, gboolean last)
{
    if (strpbrk(s, ",\"\r\n")) {
        putchar('"');
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                putchar('"');
            putchar(*p);
        }
        putchar('"');
    } else {
        fputs(s, stdout);
    }
    putchar(last ? '\n' : ',');
}

static char *capture_name;

static char *
read_capture_name(void)
{
    gchar *cmdline = NULL;
    gsize len = 0;
    if (!g_file_get_contents("/proc/self/cmdline", &cmdline, &len, NULL))
        return g_strdup("");
    char *found = NULL;
    /* NUL-separated arguments: -r FILE, -rFILE, --read-file FILE, --read-file=FILE. */
    for (gsize i = 0; i < len && !found;) {
        const char *arg = cmdline + i;
        gsize arg_len = strlen(arg);
        gsize next = i + arg_len + 1;
        const char *following = next < len ? cmdline + next : NULL;
        if ((strcmp(arg, "-r") == 0 || strcmp(arg, "--read-file") == 0) && following)
            found = g_strdup(following);
        else if (strncmp(arg, "--read-file=", 12) == 0)
            found = g_strdup(arg + 12);
        else if (strncmp(arg, "-r", 2) == 0 && arg_len > 2 && arg[2] != '-')
            found = g_strdup(arg + 2);
        i = next;
    }
    g_free(cmdline);
    return found ? found : g_strdup("");
}

static void
free_capture_name(void)
{
    g_free(capture_name);
    capture_name = NULL;
}

const char *
sipvi_report_capture_name(void)
{
    if (!capture_name) {
        capture_name = read_capture_name();
        register_shutdown_routine(free_capture_name);
    }
    return capture_name;
}

void
sipvi_report_print_diagnosis(const char *key, const sipvi_diag_wording_t *r)
{
    printf("%s  [%s] %s\n    %s\n    Kiểm tra: %s\n", key, r->id, r->title, r->explanation,
           r->check);
}

void
sipvi_report_print_text(const char *title, const char *count_label, const char *diag_heading,
                        const char *const *headers, char ***cells, guint n_rows, guint n_cols,
                        const char *const *keys, const sipvi_diag_wording_t *const *words)
{
    static const char rule[] = "===================================================================";
    printf("\n%s\n%s\n%s: %u\n\n", rule, title, count_label, n_rows);
    sipvi_report_table(headers, cells, n_rows, n_cols);
    printf("%s\n", rule);
    if (n_rows) {
        printf("%s\n\n", diag_heading);
        for (guint r = 0; r < n_rows; r++)
            sipvi_report_print_diagnosis(keys[r], words[r]);
        printf("%s\n", rule);
    }
}

gboolean
sipvi_report_option(const char *opt_arg, const char *cmd, const char *report_vi,
                    const char *report_en, gboolean *csv)
{
    /* The reports are text printed when tshark ends; the GUI would print them on a terminal
     * nobody looks at, after the window closes. */
    if (g_ascii_strcasecmp(g_get_prgname() ? g_get_prgname() : "", "tshark") != 0) {
        report_failure("-z %s: báo cáo %s chỉ có trong tshark: tshark -r FILE -q -z %s. "
                       "Trong Wireshark: Telephony → Chẩn đoán %s (sipvi). "
                       "(the %s report is for tshark only; Wireshark shows it as a table)",
                       opt_arg, report_vi, cmd, report_vi, report_en);
        return FALSE;
    }
    size_t n = strlen(cmd);
    if (strncmp(opt_arg, cmd, n) == 0 && (opt_arg[n] == '\0' || strcmp(opt_arg + n, ",csv") == 0)) {
        *csv = opt_arg[n] != '\0';
        return TRUE;
    }
    report_failure("-z %s: không hiểu tùy chọn; dùng -z %s hoặc -z %s,csv (unknown option)",
                   opt_arg, cmd, cmd);
    return FALSE;
}

void
sipvi_report_csv_diagnosis(const sipvi_diag_wording_t *words, guint32 certain_frame,
                           const char *file, gboolean last)
{
    sipvi_report_csv_field(words->id, FALSE);
    sipvi_report_csv_field(words->title, FALSE);
    sipvi_report_csv_field(words->explanation, FALSE);
    sipvi_report_csv_field(words->check, FALSE);
    sipvi_report_csv_field(words->frames_csv, FALSE);
    char certain[16] = "";
    if (certain_frame)
        (void)snprintf(certain, sizeof certain, "%u", certain_frame);
    sipvi_report_csv_field(certain, FALSE);
    sipvi_report_csv_field(file, last);
}
