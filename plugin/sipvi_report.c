/* sipvi_report.c — printing shared by the calls and registrations reports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <wireshark.h>
#include <epan/address.h>
#include <epan/to_str.h>
#include <wsutil/report_message.h>

#include "sipvi_report.h"
#include "sipvi_table.h"
#include "sipvi_view.h"

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

static const char *
code_meaning(guint32 code)
{
    sipvi_view_t v;
    sipvi_view_of(code, &v);
    return sipvi_view_meaning(&v);
}

static const char *
warning_meaning(guint32 code)
{
    const sipvi_warning_t *w = sipvi_warning_lookup(code);
    return w ? w->meaning : "Mã Warning chưa có trong bảng";
}

/* What an ICMP error quoting a request says (RFC 792, RFC 1812 §5.2.7.1, RFC 4443 §3.1). */
static const char *
icmp_meaning(gint type, gint code)
{
    static char text[160];
    const char *what = "lỗi mạng";
    if (type == 3) {
        switch (code) {
        case 0: what = "mạng đích không tới được (network unreachable)"; break;
        case 1: what = "máy đích không tới được (host unreachable)"; break;
        case 3: what = "cổng đích không có chương trình nghe (port unreachable)"; break;
        case 9: case 10: case 13:
            what = "bị tường lửa cấm theo quản trị (administratively prohibited)"; break;
        default: what = "không tới được đích (destination unreachable)"; break;
        }
    } else if (type == 11) {
        what = "hết TTL trên đường đi (time exceeded)";
    } else if (type == 256 + 1) {
        switch (code) {
        case 1: what = "bị tường lửa cấm theo quản trị (administratively prohibited)"; break;
        case 4: what = "cổng đích không có chương trình nghe (port unreachable)"; break;
        default: what = "không tới được đích (destination unreachable)"; break;
        }
    }
    (void)snprintf(text, sizeof text, "%s %d/%d: %s", type >= 256 ? "ICMPv6" : "ICMP",
                   type >= 256 ? type - 256 : type, code, what);
    return text;
}

static const sipvi_diag_words_t words = {code_meaning, sipvi_q850_meaning, warning_meaning,
                                         icmp_meaning};

void
sipvi_report_diagnosis(const sipvi_diagnosis_t *d, const char *aor, sipvi_report_diagnosis_t *out)
{
    const sipvi_diagnosis_text_t *text = &sipvi_diagnosis_table[d->id];
    out->id = text->id;
    out->title = text->title;
    out->check = text->check;
    out->explanation = sipvi_diag_explain(d, aor, &words);
    out->frames = sipvi_diag_frames_text(&d->evidence);
    GString *csv = g_string_new(NULL);
    for (guint32 i = 0; i < d->evidence.kept; i++)
        g_string_append_printf(csv, i ? " %u" : "%u", d->evidence.frame[i]);
    /* Frames counted but not kept: "+N", so that a script sees the list is not whole. */
    if (d->evidence.total > d->evidence.kept)
        g_string_append_printf(csv, " +%u", d->evidence.total - d->evidence.kept);
    out->frames_csv = g_string_free(csv, FALSE);
}

void
sipvi_report_diagnosis_free(sipvi_report_diagnosis_t *r)
{
    g_free(r->explanation);
    g_free(r->frames);
    g_free(r->frames_csv);
}

void
sipvi_report_print_diagnosis(const char *key, const sipvi_report_diagnosis_t *r)
{
    printf("%s  [%s] %s\n    %s\n    Kiểm tra: %s\n", key, r->id, r->title, r->explanation,
           r->check);
}

void
sipvi_report_print_text(const char *title, const char *count_label, const char *diag_heading,
                        const char *const *headers, char ***cells, guint n_rows, guint n_cols,
                        const char *const *keys, const sipvi_report_diagnosis_t *const *words)
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
sipvi_report_csv_diagnosis(const sipvi_report_diagnosis_t *words, guint32 certain_frame,
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

gint32
sipvi_message_q850(const sipvi_message_t *m)
{
    /* SIP reads "cause=abc" as 0 and only the first value: where the header text is at hand,
     * sipvi's own reading of the whole list is the answer, even when it finds no cause. */
    return m->reason_seen ? m->reason_q850 : m->q850_cause;
}

void
sipvi_report_fragment(packet_info *pinfo, sipvi_fragment_ring_t *fragments)
{
    sipvi_fragments_add(fragments, pinfo->num, nstime_to_sec(&pinfo->rel_ts),
                        add_address_to_hash(0, &pinfo->net_src),
                        add_address_to_hash(0, &pinfo->net_dst));
}

/* "ADDRESS:PORT", or the address alone without a port, in the packet pool; no printf. */
static const char *
address_port(packet_info *pinfo, const address *addr, guint32 port)
{
    const char *a = address_to_str(pinfo->pool, addr);
    if (!port)
        return a;
    char digits[12];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + port % 10);
        port /= 10;
    } while (port);
    size_t len = strlen(a);
    char *out = (char *)wmem_alloc(pinfo->pool, len + 1 + n + 1);
    memcpy(out, a, len);
    out[len++] = ':';
    while (n)
        out[len++] = digits[--n];
    out[len] = '\0';
    return out;
}

void
sipvi_diag_message(packet_info *pinfo, const sipvi_message_t *m,
                   const sipvi_fragment_ring_t *fragments, sipvi_diag_msg_t *out)
{
    memset(out, 0, sizeof *out);
    out->frame = pinfo->num;
    out->time = nstime_to_sec(&pinfo->rel_ts);
    out->is_response = m->is_response;
    out->resend = m->resend;
    out->method = m->method;
    out->code = m->code;
    out->cseq = m->cseq;
    out->credentials = m->credentials;
    out->q850 = sipvi_message_q850(m);
    out->sip_cause = m->reason_seen ? m->reason_sip : m->sip_cause;
    for (guint i = 0; i < m->n_warnings && !out->warning; i++) {
        if (m->warnings[i].code >= 300 && m->warnings[i].code <= 399)
            out->warning = m->warnings[i].code;
    }
    out->retry_after = m->retry_after;
    out->has_sdp = m->has_sdp;
    out->media_addr = m->media_addr;
    out->branch = sipvi_diag_hash(m->branch);
    out->to_tag = m->to_tag != NULL;
    out->in_icmp = m->icmp_type >= 0;
    out->icmp_type = m->icmp_type;
    out->icmp_code = m->icmp_code;
    out->src_hash = add_address_to_hash(0, &pinfo->net_src);
    out->dst_hash = add_address_to_hash(0, &pinfo->net_dst);
    out->src_hash += !out->src_hash;   /* 0 means unknown */
    out->dst_hash += !out->dst_hash;
    if (m->is_response && m->code >= 300 && m->phrase) {
        /* The phrase only where it is not the code's usual one (RFC 3261 §21). */
        sipvi_view_t v;
        sipvi_view_of(m->code, &v);
        if (!v.reason || g_ascii_strcasecmp(v.reason, m->phrase) != 0)
            out->phrase = m->phrase;
    }
    gboolean request = !m->is_response && m->method &&
        (strcmp(m->method, "INVITE") == 0 || strcmp(m->method, "REGISTER") == 0);
    /* Where retransmissions are counted: requests that set up or end a dialog, 2xx to INVITE.
     * The flow is hashed from the addresses and ports as they are: no text is made. */
    gboolean counted = m->method &&
        (m->is_response ? m->code >= 200 && m->code < 300 && strcmp(m->method, "INVITE") == 0
                        : request || strcmp(m->method, "BYE") == 0);
    if (counted) {
        guint32 h = add_address_to_hash(0, &pinfo->net_src);
        h = add_address_to_hash(h * 31u + pinfo->srcport, &pinfo->net_dst);
        out->flow = h * 31u + pinfo->destport;
        out->flow += !out->flow;   /* never 0, which means unknown */
    }
    /* Addresses as text only where a rule uses them: they cost a formatting each. */
    if (request || m->media_addr)
        out->src_addr = address_to_str(pinfo->pool, &pinfo->net_src);
    if (request) {
        out->dst = address_port(pinfo, &pinfo->net_dst, pinfo->destport);
    }
    if (fragments && fragments->count && m->is_response && m->method &&
            strcmp(m->method, "INVITE") == 0) {
        /* Fragments the caller sent to the one answering. */
        guint32 *found = wmem_alloc_array(pinfo->pool, guint32, SIPVI_FRAGMENTS_PER_CALL);
        out->n_fragments = sipvi_fragments_match(fragments, out->time,
                                                 add_address_to_hash(0, &pinfo->net_dst),
                                                 add_address_to_hash(0, &pinfo->net_src), found,
                                                 SIPVI_FRAGMENTS_PER_CALL);
        out->fragments = found;
    }
    if (m->sdp_mlines && !m->is_response) {
        char *codecs = (char *)wmem_alloc(pinfo->pool, SIPVI_DIAG_TEXT);
        sipvi_sdp_codecs(m->sdp_mlines, m->sdp_attrs, codecs, SIPVI_DIAG_TEXT);
        out->codecs = codecs;
        out->media_disabled = sipvi_sdp_all_disabled(m->sdp_mlines);
    }
}
