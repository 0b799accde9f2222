/* sipvi_diag_message.c — the facts of one SIP message as the diagnosis rules read them, from
 * what sipvi_record read of SIP's tree and the frame's addresses.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <wireshark.h>
#include <epan/address.h>
#include <epan/to_str.h>

#include "sipvi_diag_message.h"
#include "sipvi_view.h"

gint32
sipvi_message_q850(const sipvi_message_t *m)
{
    /* SIP reads "cause=abc" as 0 and only the first value: where the header text is at hand,
     * sipvi's own reading of the whole list is the answer, even when it finds no cause. */
    return m->reason_seen ? m->reason_q850 : m->q850_cause;
}

void
sipvi_diag_fragment_note(packet_info *pinfo, sipvi_fragment_ring_t *fragments)
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
