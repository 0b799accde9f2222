/* sipvi_record.c — collects the SIP dissector's fields of each message of a frame.
 *
 * A frame can hold several SIP messages (one TCP segment, or reassembled PDUs). The fields come as
 * one array per field, so each occurrence is given to the message it lies in: the one with the
 * same data source whose start line begins last at or before it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/proto_data.h>
#include <epan/dissectors/packet-sip.h>

#include "sipvi_compat.h"
#include "sipvi_prime.h"
#include "sipvi_reason.h"
#include "sipvi_record.h"

gboolean
sipvi_sip_fields_lookup(sipvi_sip_fields_t *f, const char **missing)
{
    static const struct {
        const char *name;
        size_t offset;
    } names[] = {
        {"sip.Status-Line", offsetof(sipvi_sip_fields_t, status_line)},
        {"sip.Request-Line", offsetof(sipvi_sip_fields_t, request_line)},
        {"sip.Status-Code", offsetof(sipvi_sip_fields_t, status_code)},
        {"sip.Method", offsetof(sipvi_sip_fields_t, method)},
        {"sip.CSeq.method", offsetof(sipvi_sip_fields_t, cseq_method)},
        {"sip.CSeq.seq", offsetof(sipvi_sip_fields_t, cseq_seq)},
        {"sip.Call-ID", offsetof(sipvi_sip_fields_t, call_id)},
        {"sip.from.addr", offsetof(sipvi_sip_fields_t, from_addr)},
        {"sip.to.addr", offsetof(sipvi_sip_fields_t, to_addr)},
        {"sip.reason_cause_q850", offsetof(sipvi_sip_fields_t, q850_cause)},
        {"sip.reason_cause_sip", offsetof(sipvi_sip_fields_t, sip_cause)},
        {"sip.Warning", offsetof(sipvi_sip_fields_t, warning)},
        {"sip.resend", offsetof(sipvi_sip_fields_t, resend)},
        {"sip.Reason", offsetof(sipvi_sip_fields_t, reason)},
        {"sip.Authorization", offsetof(sipvi_sip_fields_t, authorization)},
        {"sip.Proxy-Authorization", offsetof(sipvi_sip_fields_t, proxy_authorization)},
        {"sip.Retry-After", offsetof(sipvi_sip_fields_t, retry_after)},
        {"sdp.version", offsetof(sipvi_sip_fields_t, sdp_version)},
        {"sdp.media", offsetof(sipvi_sip_fields_t, sdp_media)},
        {"sdp.media_attr", offsetof(sipvi_sip_fields_t, sdp_media_attr)},
        {"sdp.connection_info.address", offsetof(sipvi_sip_fields_t, sdp_conn_addr)},
        {"sip.Via.branch", offsetof(sipvi_sip_fields_t, via_branch)},
        {"sip.to.tag", offsetof(sipvi_sip_fields_t, to_tag)},
        /* The protocols, not their type and code fields: two primed fields instead of four;
         * type and code are the first two bytes of the header (RFC 792, RFC 4443). */
        {"icmp", offsetof(sipvi_sip_fields_t, icmp)},
        {"icmpv6", offsetof(sipvi_sip_fields_t, icmpv6)},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        int *hf = (int *)((char *)f + names[i].offset);
        *hf = proto_registrar_get_id_byname(names[i].name);
        if (*hf == -1) {
            *missing = names[i].name;
            return FALSE;
        }
    }
    return TRUE;
}

const int *
sipvi_sip_fields_array(const sipvi_sip_fields_t *f, guint *count)
{
    /* The struct is nothing but ints, in a fixed order. */
    G_STATIC_ASSERT(sizeof(sipvi_sip_fields_t) % sizeof(int) == 0);
    *count = (guint)(sizeof(sipvi_sip_fields_t) / sizeof(int));
    return (const int *)f;
}

static guint
source_index(packet_info *pinfo, tvbuff_t *tvb)
{
    guint index = 0;
    for (GSList *src = pinfo->data_src; src; src = src->next, index++) {
        if (get_data_source_tvb((const struct data_source *)src->data) == tvb)
            return index;
    }
    return 0;
}

static sipvi_loc_t
loc_of(packet_info *pinfo, const field_info *fi)
{
    sipvi_loc_t loc = {source_index(pinfo, fi->ds_tvb), fi->start, fi->length};
    return loc;
}

typedef struct {
    sipvi_frame_t *frame;
    tvbuff_t **tvb;       /* data source of each message's start line */
    gint *start;          /* where each message's start line begins */
} collector_t;

/* The message a field occurrence belongs to, or NULL when it lies before every start line. */
static sipvi_message_t *
owner(const collector_t *c, const field_info *fi)
{
    if (c->frame->n_messages == 1) {
        /* Most frames: one message. */
        return c->tvb[0] == fi->ds_tvb && c->start[0] <= fi->start ? &c->frame->messages[0] : NULL;
    }
    sipvi_message_t *best = NULL;
    gint best_start = -1;
    for (guint i = 0; i < c->frame->n_messages; i++) {
        if (c->tvb[i] == fi->ds_tvb && c->start[i] <= fi->start && c->start[i] > best_start) {
            best = &c->frame->messages[i];
            best_start = c->start[i];
        }
    }
    return best;
}

#define occurrences(reader, hf) sipvi_prime_get(reader, hf)

/* A Warning header may list several warning-values separated by commas; a comma inside the
 * quoted warn-text does not separate. Returns how many values it found (at most max). */
static guint
split_warnings(const char *value, const char **starts, size_t *lengths, guint max)
{
    guint n = 0;
    const char *begin = value;
    gboolean quoted = FALSE;
    for (const char *p = value;; p++) {
        if (*p == '\\' && quoted && p[1]) {
            p++;
            continue;
        }
        if (*p == '"')
            quoted = !quoted;
        if (*p == '\0' || (*p == ',' && !quoted)) {
            while (*begin == ' ' || *begin == '\t')
                begin++;
            if (p > begin && n < max) {
                starts[n] = begin;
                lengths[n] = (size_t)(p - begin);
                n++;
            }
            if (*p == '\0')
                break;
            begin = p + 1;
        }
    }
    return n;
}

#define SIPVI_MAX_WARNINGS 8

static void
add_warnings(packet_info *pinfo, sipvi_message_t *m, field_info *fi)
{
    const char *value = SIPVI_FINFO_STRING(fi);
    if (!value)
        return;
    const char *starts[SIPVI_MAX_WARNINGS];
    size_t lengths[SIPVI_MAX_WARNINGS];
    guint n = split_warnings(value, starts, lengths, SIPVI_MAX_WARNINGS);
    if (n == 0)
        return;
    sipvi_warning_rec_t *all = wmem_alloc_array(pinfo->pool, sipvi_warning_rec_t,
                                                m->n_warnings + n);
    if (m->n_warnings)
        memcpy(all, m->warnings, m->n_warnings * sizeof *all);
    for (guint i = 0; i < n; i++) {
        sipvi_warning_rec_t *w = &all[m->n_warnings + i];
        const char *s = starts[i];
        size_t len = lengths[i];
        w->code = 0;
        /* warn-code = 3DIGIT, then SP (RFC 3261 §20.43); anything else keeps code 0. */
        if (len >= 4 && g_ascii_isdigit(s[0]) && g_ascii_isdigit(s[1]) && g_ascii_isdigit(s[2]) &&
                s[3] == ' ') {
            w->code = (guint32)((s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0'));
            s += 4;
            len -= 4;
        }
        w->text = wmem_strndup(pinfo->pool, s, len);
        w->loc = loc_of(pinfo, fi);
    }
    m->warnings = all;
    m->n_warnings += n;
}

/* "SIP/2.0 500 Request out of order": what follows the code, without a copy. */
static const char *
status_phrase(const char *line)
{
    const char *p = line ? strchr(line, ' ') : NULL;
    if (!p)
        return NULL;
    while (*p == ' ')
        p++;
    while (g_ascii_isdigit(*p))
        p++;
    while (*p == ' ')
        p++;
    return *p ? p : NULL;
}

static void
add_start_lines(collector_t *c, packet_info *pinfo, GPtrArray *lines, gboolean responses)
{
    for (guint i = 0; lines && i < lines->len; i++) {
        field_info *fi = (field_info *)g_ptr_array_index(lines, i);
        guint k = c->frame->n_messages++;
        sipvi_message_t *m = &c->frame->messages[k];
        memset(m, 0, sizeof *m);
        m->is_response = responses;
        m->loc = loc_of(pinfo, fi);
        m->q850_cause = SIPVI_NO_CAUSE;
        m->sip_cause = SIPVI_NO_CAUSE;
        m->reason_q850 = SIPVI_NO_CAUSE;
        m->reason_sip = SIPVI_NO_CAUSE;
        m->icmp_type = m->icmp_code = -1;
        if (responses)
            m->phrase = status_phrase(SIPVI_FINFO_STRING(fi));
        c->tvb[k] = fi->ds_tvb;
        c->start[k] = fi->start;
        if (responses)
            c->frame->n_responses++;
    }
}

/* Only the first cause of each protocol counts: RFC 3326 allows one Reason per protocol. */
static void
add_causes(const collector_t *c, packet_info *pinfo, GPtrArray *a, size_t cause_offset,
           size_t loc_offset)
{
    for (guint i = 0; a && i < a->len; i++) {
        field_info *fi = (field_info *)g_ptr_array_index(a, i);
        sipvi_message_t *m = owner(c, fi);
        if (!m)
            continue;
        gint32 *cause = (gint32 *)((char *)m + cause_offset);
        if (*cause == SIPVI_NO_CAUSE) {
            *cause = (gint32)MIN(SIPVI_FINFO_UINT(fi), (guint32)G_MAXINT32);
            *(sipvi_loc_t *)((char *)m + loc_offset) = loc_of(pinfo, fi);
        }
    }
}

/* Appends a string value to a "\n"-separated list in the packet pool. */
static const char *
append_line(packet_info *pinfo, const char *list, const char *value)
{
    if (!value)
        return list;
    if (!list)
        return value;
    /* Copied, not printed: this runs for every m= and a= line of every SDP. */
    size_t a = strlen(list), b = strlen(value);
    char *joined = (char *)wmem_alloc(pinfo->pool, a + 1 + b + 1);
    memcpy(joined, list, a);
    joined[a] = '\n';
    memcpy(joined + a + 1, value, b + 1);
    return joined;
}

/* What only the diagnosis needs: the whole Reason list, credentials, Retry-After, and the SDP. */
static void
add_dialog_headers(const collector_t *c, packet_info *pinfo, const sipvi_prime_reader_t *r,
                   const sipvi_sip_fields_t *f)
{
    GPtrArray *a;
    if ((a = occurrences(r, f->reason))) {
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(a, i);
            sipvi_message_t *m = owner(c, fi);
            if (m) {
                m->reason_seen = TRUE;
                sipvi_reason_parse(SIPVI_FINFO_STRING(fi), &m->reason_q850, &m->reason_sip);
            }
        }
    }
    const int credentials[] = {f->authorization, f->proxy_authorization};
    for (size_t k = 0; k < G_N_ELEMENTS(credentials); k++) {
        if (!(a = occurrences(r, credentials[k])))
            continue;
        for (guint i = 0; i < a->len; i++) {
            sipvi_message_t *m = owner(c, (field_info *)g_ptr_array_index(a, i));
            if (m)
                m->credentials = TRUE;
        }
    }
    if ((a = occurrences(r, f->retry_after))) {
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(a, i);
            sipvi_message_t *m = owner(c, fi);
            if (m && !m->retry_after)
                m->retry_after = SIPVI_FINFO_UINT(fi);
        }
    }
    if ((a = occurrences(r, f->sdp_version))) {
        for (guint i = 0; i < a->len; i++) {
            sipvi_message_t *m = owner(c, (field_info *)g_ptr_array_index(a, i));
            if (m)
                m->has_sdp = TRUE;
        }
    }
    if ((a = occurrences(r, f->sdp_media))) {
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(a, i);
            sipvi_message_t *m = owner(c, fi);
            if (m) {
                m->has_sdp = TRUE;
                m->sdp_mlines = append_line(pinfo, m->sdp_mlines, SIPVI_FINFO_STRING(fi));
            }
        }
    }
    if ((a = occurrences(r, f->sdp_media_attr))) {
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(a, i);
            sipvi_message_t *m = owner(c, fi);
            if (m)
                m->sdp_attrs = append_line(pinfo, m->sdp_attrs, SIPVI_FINFO_STRING(fi));
        }
    }
    /* The first Via of a message is its top one: the transaction (RFC 3261 §17.1.3). */
    const struct {
        int hf;
        size_t offset;
    } strings[] = {
        {f->via_branch, offsetof(sipvi_message_t, branch)},
        {f->to_tag, offsetof(sipvi_message_t, to_tag)},
    };
    for (size_t k = 0; k < G_N_ELEMENTS(strings); k++) {
        if (!(a = occurrences(r, strings[k].hf)))
            continue;
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(a, i);
            sipvi_message_t *m = owner(c, fi);
            const char **slot = m ? (const char **)((char *)m + strings[k].offset) : NULL;
            if (slot && !*slot)
                *slot = SIPVI_FINFO_STRING(fi);
        }
    }
    /* An ICMP error quotes the datagram it refuses: the SIP in it was refused, not sent again.
     * The ICMP header lies before the quoted message; the innermost ICMP header counts. */
    const int icmp[] = {f->icmp, f->icmpv6};
    for (size_t k = 0; k < G_N_ELEMENTS(icmp); k++) {
        GPtrArray *found = occurrences(r, icmp[k]);
        field_info *fi = found ? (field_info *)g_ptr_array_index(found, 0) : NULL;
        if (!fi || !fi->ds_tvb || !tvb_bytes_exist(fi->ds_tvb, fi->start, 2))
            continue;
        gint type = sipvi_tvb_get_u8(fi->ds_tvb, fi->start) + (k ? 256 : 0);
        gint code = sipvi_tvb_get_u8(fi->ds_tvb, fi->start + 1);
        for (guint i = 0; i < c->frame->n_messages; i++) {
            c->frame->messages[i].icmp_type = type;
            c->frame->messages[i].icmp_code = code;
        }
    }
    if ((a = occurrences(r, f->sdp_conn_addr))) {
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(a, i);
            sipvi_message_t *m = owner(c, fi);
            if (m && !m->media_addr)
                m->media_addr = SIPVI_FINFO_STRING(fi);
        }
    }
}

sipvi_frame_t *
sipvi_record_from_tree(proto_tree *tree, packet_info *pinfo, const sipvi_sip_fields_t *f,
                       gboolean dialog)
{
    sipvi_prime_reader_t reader;
    const sipvi_prime_reader_t *r = &reader;
    sipvi_prime_read(tree, &reader);
    /* The cheapest test there is for the frames without SIP: no start line in the tree. */
    GPtrArray *status_lines = occurrences(r, f->status_line);
    GPtrArray *request_lines = occurrences(r, f->request_line);
    if (!status_lines && !request_lines)
        return NULL;

    guint n = (status_lines ? status_lines->len : 0) + (request_lines ? request_lines->len : 0);
    collector_t c;
    c.frame = (sipvi_frame_t *)wmem_alloc(pinfo->pool,
                                          sizeof(sipvi_frame_t) + n * sizeof(sipvi_message_t));
    c.frame->n_messages = 0;
    c.frame->n_responses = 0;
    c.frame->ip_fragment = FALSE;
    c.tvb = wmem_alloc_array(pinfo->pool, tvbuff_t *, n);
    c.start = wmem_alloc_array(pinfo->pool, gint, n);
    add_start_lines(&c, pinfo, status_lines, TRUE);
    add_start_lines(&c, pinfo, request_lines, FALSE);

    GPtrArray *a;
    if ((a = occurrences(r, f->status_code))) {
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(a, i);
            sipvi_message_t *m = owner(&c, fi);
            if (m && m->is_response) {
                m->code = SIPVI_FINFO_UINT(fi);
                m->loc = loc_of(pinfo, fi);
            }
        }
    }
    if ((a = occurrences(r, f->method))) {
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(a, i);
            sipvi_message_t *m = owner(&c, fi);
            if (m && !m->is_response && !m->method)
                m->method = SIPVI_FINFO_STRING(fi);
        }
    }
    if ((a = occurrences(r, f->cseq_method))) {
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(a, i);
            sipvi_message_t *m = owner(&c, fi);
            if (m && m->is_response && !m->method)
                m->method = SIPVI_FINFO_STRING(fi);
        }
    }
    if (dialog && (a = occurrences(r, f->cseq_seq))) {
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(a, i);
            sipvi_message_t *m = owner(&c, fi);
            if (m)
                m->cseq = SIPVI_FINFO_UINT(fi);
        }
    }
    const struct {
        int hf;
        size_t offset;
    } strings[] = {
        {f->call_id, offsetof(sipvi_message_t, call_id)},
        {f->from_addr, offsetof(sipvi_message_t, from)},
        {f->to_addr, offsetof(sipvi_message_t, to)},
    };
    for (size_t s = 0; dialog && s < G_N_ELEMENTS(strings); s++) {
        if (!(a = occurrences(r, strings[s].hf)))
            continue;
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(a, i);
            sipvi_message_t *m = owner(&c, fi);
            const char **slot = m ? (const char **)((char *)m + strings[s].offset) : NULL;
            if (slot && !*slot)
                *slot = SIPVI_FINFO_STRING(fi);
        }
    }
    add_causes(&c, pinfo, occurrences(r, f->q850_cause), offsetof(sipvi_message_t, q850_cause),
               offsetof(sipvi_message_t, q850_loc));
    add_causes(&c, pinfo, occurrences(r, f->sip_cause), offsetof(sipvi_message_t, sip_cause),
               offsetof(sipvi_message_t, sip_cause_loc));
    if ((a = occurrences(r, f->warning))) {
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(a, i);
            sipvi_message_t *m = owner(&c, fi);
            if (m)
                add_warnings(pinfo, m, fi);
        }
    }
    if (dialog)
        add_dialog_headers(&c, pinfo, r, f);
    if (dialog && (a = occurrences(r, f->resend))) {
        for (guint i = 0; i < a->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(a, i);
            sipvi_message_t *m = owner(&c, fi);
            if (m)
                m->resend = SIPVI_FINFO_BOOLEAN(fi);
        }
    }
    return c.frame;
}

tvbuff_t *
sipvi_loc_tvb(packet_info *pinfo, tvbuff_t *frame_tvb, const sipvi_loc_t *loc, gint *start,
              gint *length)
{
    const struct data_source *src =
        (const struct data_source *)g_slist_nth_data(pinfo->data_src, loc->source);
    tvbuff_t *tvb = src ? get_data_source_tvb(src) : NULL;
    if (tvb && loc->start >= 0 && loc->length >= 0 && tvb_bytes_exist(tvb, loc->start, loc->length)) {
        *start = loc->start;
        *length = loc->length;
        return tvb;
    }
    *start = 0;
    *length = 0;
    return frame_tvb;
}

/* Without a tree, SIP still publishes each message's sip_info_value_t (code, method, CSeq number,
 * Call-ID …) as packet-scope protocol data "for subdissectors" (packet-sip.c), keyed by its layer.
 * Several messages of one TCP segment share a key and p_get_proto_data() finds only the newest, so
 * the list is read directly: its entries are {proto, key, data} (epan/proto_data.c, unchanged since
 * 1.x), newest first. The layout is checked against p_get_proto_data() on first use; should it
 * ever differ, each SIP layer's newest message is used instead. */
typedef struct {
    int proto;
    guint32 key;
    void *data;
} sip_proto_data_entry_t;

enum { LAYOUT_UNCHECKED, LAYOUT_OK, LAYOUT_DIFFERENT };

static int layout = LAYOUT_UNCHECKED;

static guint
published_by_walk(packet_info *pinfo, int proto_sip, const sip_info_value_t **out, guint max)
{
    guint n = 0;
    if (layout == LAYOUT_DIFFERENT)
        return G_MAXUINT;
    for (GSList *l = pinfo->proto_data; l; l = l->next) {
        const sip_proto_data_entry_t *e = (const sip_proto_data_entry_t *)l->data;
        if (e->proto != proto_sip)
            continue;
        if (layout == LAYOUT_UNCHECKED) {
            layout = p_get_proto_data(pinfo->pool, pinfo, proto_sip, e->key) == e->data
                     ? LAYOUT_OK : LAYOUT_DIFFERENT;
            if (layout == LAYOUT_DIFFERENT)
                return G_MAXUINT;
        }
        if (n == max)
            break;
        out[n++] = (const sip_info_value_t *)e->data;
    }
    /* Newest first: put them in the order of the bytes. */
    for (guint i = 0; i < n / 2; i++) {
        const sip_info_value_t *t = out[i];
        out[i] = out[n - 1 - i];
        out[n - 1 - i] = t;
    }
    return n;
}

static guint
published_by_layer(packet_info *pinfo, int proto_sip, const sip_info_value_t **out, guint max)
{
    guint n = 0, layer = 0;
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f && n < max;
         f = wmem_list_frame_next(f)) {
        layer++;
        if (GPOINTER_TO_INT(wmem_list_frame_data(f)) != proto_sip)
            continue;
        const sip_info_value_t *v =
            (const sip_info_value_t *)p_get_proto_data(pinfo->pool, pinfo, proto_sip, layer);
        if (v)
            out[n++] = v;
    }
    return n;
}

guint
sipvi_sip_info_collect(packet_info *pinfo, int proto_sip, const sip_info_value_t **out, guint max)
{
    if (!pinfo->proto_data)
        return 0;
    guint n = published_by_walk(pinfo, proto_sip, out, max);
    if (n == G_MAXUINT)
        n = published_by_layer(pinfo, proto_sip, out, max);

    /* A "Continuation" line gets an entry too: neither a status line (which sets the reason
     * phrase) nor a request line (which sets the method). */
    guint kept = 0;
    for (guint i = 0; i < n; i++) {
        if (out[i]->reason_phrase != NULL || out[i]->request_method != NULL)
            out[kept++] = out[i];
    }
    return kept;
}

gboolean
sipvi_sip_info_present(const packet_info *pinfo, int proto_sip)
{
    /* Read as published_by_walk() reads it; should the layout differ, say yes and let the
     * checked path decide. */
    if (G_UNLIKELY(layout == LAYOUT_DIFFERENT))
        return TRUE;
    for (const GSList *l = pinfo->proto_data; l; l = l->next) {
        if (G_UNLIKELY(((const sip_proto_data_entry_t *)l->data)->proto == proto_sip))
            return TRUE;
    }
    return FALSE;
}

guint
sipvi_sip_info_status_codes(packet_info *pinfo, int proto_sip, guint32 *codes, guint max)
{
    guint n = 0;
    if (layout != LAYOUT_OK) {
        const sip_info_value_t *found[SIPVI_MAX_UNPARSED_MESSAGES];
        guint count = sipvi_sip_info_collect(pinfo, proto_sip, found, MIN(max, G_N_ELEMENTS(found)));
        for (guint i = 0; i < count; i++) {
            if (SIPVI_SIP_INFO_IS_RESPONSE(found[i]))
                codes[n++] = found[i]->response_code;
        }
        return n;
    }
    /* The path of every frame of a plain run: one pass, newest first. */
    for (GSList *l = pinfo->proto_data; l && n < max; l = l->next) {
        const sip_proto_data_entry_t *e = (const sip_proto_data_entry_t *)l->data;
        if (e->proto != proto_sip)
            continue;
        const sip_info_value_t *v = (const sip_info_value_t *)e->data;
        if (SIPVI_SIP_INFO_IS_RESPONSE(v))
            codes[n++] = v->response_code;
    }
    for (guint i = 0; i < n / 2; i++) {
        guint32 t = codes[i];
        codes[i] = codes[n - 1 - i];
        codes[n - 1 - i] = t;
    }
    return n;
}

sipvi_frame_t *
sipvi_record_from_sip_info(packet_info *pinfo, int proto_sip)
{
    const sip_info_value_t *found[SIPVI_MAX_UNPARSED_MESSAGES];
    guint n = sipvi_sip_info_collect(pinfo, proto_sip, found, G_N_ELEMENTS(found));
    if (n == 0)
        return NULL;

    sipvi_frame_t *frame = (sipvi_frame_t *)wmem_alloc(pinfo->pool,
                                    sizeof(sipvi_frame_t) + n * sizeof(sipvi_message_t));
    frame->n_messages = n;
    frame->n_responses = 0;
    frame->ip_fragment = FALSE;
    for (guint i = 0; i < n; i++) {
        const sip_info_value_t *v = found[i];
        sipvi_message_t *m = &frame->messages[i];
        memset(m, 0, sizeof *m);
        m->is_response = SIPVI_SIP_INFO_IS_RESPONSE(v);
        m->resend = v->resend;
        m->code = m->is_response ? v->response_code : 0;
        m->method = m->is_response ? NULL : (const char *)v->request_method;
        m->cseq = v->tap_cseq_number;
        m->call_id = v->tap_call_id;
        m->from = v->tap_from_addr;
        m->to = v->tap_to_addr;
        m->q850_cause = SIPVI_NO_CAUSE;
        m->sip_cause = SIPVI_NO_CAUSE;
        m->reason_q850 = SIPVI_NO_CAUSE;
        m->reason_sip = SIPVI_NO_CAUSE;
        m->icmp_type = m->icmp_code = -1;
        frame->n_responses += m->is_response;
    }
    return frame;
}

gboolean
sipvi_is_ip_fragment(packet_info *pinfo)
{
    static int proto_ip = -1, proto_ipv6 = -1, proto_data = -1;
    if (proto_data < 0) {
        proto_ip = proto_get_id_by_filter_name("ip");
        proto_ipv6 = proto_get_id_by_filter_name("ipv6");
        proto_data = proto_get_id_by_filter_name("data");
    }
    wmem_list_frame_t *last = wmem_list_tail(pinfo->layers);
    wmem_list_frame_t *before = last ? wmem_list_frame_prev(last) : NULL;
    if (!before || GPOINTER_TO_INT(wmem_list_frame_data(last)) != proto_data)
        return FALSE;
    int below = GPOINTER_TO_INT(wmem_list_frame_data(before));
    /* IP hands a fragment it could not reassemble to "data", and only then. */
    return (below == proto_ip || below == proto_ipv6) && pinfo->net_src.type != AT_NONE;
}
