/* sipvi_media.c — the media book: RTP streams from the rtp tap, RTCP receiver reports from the
 * RTCP the dissector found.
 *
 * RTP: Wireshark's rtp tap hands over each packet's header (struct _rtp_info, the same layout in
 * 4.0 to 4.6), keyed here like Wireshark's RTP Streams: source and destination address and port,
 * SSRC.
 *
 * RTCP: Wireshark has no tap for RTCP, so a listener on the frame tap, filtered to "rtcp", reads
 * the report blocks from the bytes the RTCP protocol item covers (the filter keeps that item real
 * in the tree). Only SR and RR report blocks matter: who reported (the RTCP's source address), the
 * SSRC, fraction and cumulative loss, extended highest sequence number.
 *
 * Undissected RTP: after direct-media re-INVITEs, public captures show one direction as RTP and
 * the other only as UDP, unless Wireshark's heuristic RTP is on. A third listener (frame tap,
 * filtered to UDP whose payload nothing dissected: "udp && data && !rtp && !rtcp") reads datagrams
 * whose payload parses as an RTP version 2 header and keeps them as streams marked from_udp. They
 * count for a call only where they go to an address and port its SDP declared (sipvi_call_media.c),
 * so stray UDP elsewhere is never taken for media.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/epan_dissect.h>
#include <epan/proto.h>
#include <epan/tap.h>
#include <epan/to_str.h>
#include <epan/dissectors/packet-rtp.h>

#include "sipvi_compat.h"
#include "sipvi_media.h"

/* The RTP Stream Analysis of the series the plugin is built for (sipvi_rtp_stats.h). */
#if SIPVI_WS_AT_LEAST(4, 4)
#define RTP_ANALYSIS SIPVI_RTP_ANALYSIS_WS44
#elif SIPVI_WS_AT_LEAST(4, 2)
#define RTP_ANALYSIS SIPVI_RTP_ANALYSIS_WS42
#else
#define RTP_ANALYSIS SIPVI_RTP_ANALYSIS_WS40
#endif

/* tvb_get_guint8 became tvb_get_uint8 in 4.4, the old name a deprecated wrapper. */
#if SIPVI_WS_AT_LEAST(4, 4)
#define TVB_U8 tvb_get_uint8
#else
#define TVB_U8 tvb_get_guint8
#endif

/* A capture of hostile RTCP may name any number of SSRCs: keep the reports of at most this many
 * (reporter, SSRC) pairs, the first ones seen (4096 × 40 bytes). */
#define MAX_RR_ENTRIES 4096
/* Likewise the streams: 65536 × ~200 bytes at most. */
#define MAX_STREAMS 65536

struct sipvi_media {
    GHashTable *by_key;        /* sipvi_media_stream_t* (key fields) -> itself */
    GPtrArray *streams;        /* owns them, in order of first packet */
    GHashTable *rr_by_key;     /* sipvi_media_rr_t* (reporter, ssrc) -> itself */
    GPtrArray *rrs;            /* owns them */
    guint32 dropped_streams;   /* past MAX_STREAMS */
    guint32 dropped_rrs;
    int proto_rtcp;
    int proto_data;
    int proto_udp;
    int proto_rtp;
    gboolean listening;
    gboolean in_order;         /* takes each frame once, in order (sipvi_media_listen_in_order) */
    guint32 last_taken;        /* in_order: the last frame taken */
    char rtp_listener_tag, rtcp_listener_tag; /* distinct tapdata pointers */
};

gboolean
sipvi_media_addr_set(sipvi_media_addr_t *out, const address *a)
{
    memset(out, 0, sizeof *out);
    if ((a->type == AT_IPv4 && a->len == 4) || (a->type == AT_IPv6 && a->len == 16)) {
        out->type = (guint8)a->type;
        out->len = (guint8)a->len;
        memcpy(out->bytes, a->data, (size_t)a->len);
        return TRUE;
    }
    out->type = AT_NONE;
    return FALSE;
}

gboolean
sipvi_media_addr_equal(const sipvi_media_addr_t *a, const sipvi_media_addr_t *b)
{
    return a->type == b->type && a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

const char *
sipvi_media_addr_str(const sipvi_media_addr_t *a, char *buf, gsize size)
{
    address tmp;
    if (a->type == AT_NONE) {
        g_strlcpy(buf, "", size);
        return buf;
    }
    set_address(&tmp, a->type, a->len, a->bytes);
    address_to_str_buf(&tmp, buf, (int)size);
    return buf;
}

static guint
addr_hash(const sipvi_media_addr_t *a)
{
    guint h = a->type;
    for (guint i = 0; i < a->len; i++)
        h = h * 31 + a->bytes[i];
    return h;
}

static guint
stream_hash(gconstpointer p)
{
    const sipvi_media_stream_t *s = (const sipvi_media_stream_t *)p;
    return (addr_hash(&s->src) * 31 + addr_hash(&s->dst)) ^ s->ssrc ^
           ((guint)s->src_port << 16 | s->dst_port);
}

static gboolean
stream_equal(gconstpointer a, gconstpointer b)
{
    const sipvi_media_stream_t *x = (const sipvi_media_stream_t *)a;
    const sipvi_media_stream_t *y = (const sipvi_media_stream_t *)b;
    return x->ssrc == y->ssrc && x->src_port == y->src_port && x->dst_port == y->dst_port &&
           sipvi_media_addr_equal(&x->src, &y->src) && sipvi_media_addr_equal(&x->dst, &y->dst);
}

static guint
rr_hash(gconstpointer p)
{
    const sipvi_media_rr_t *r = (const sipvi_media_rr_t *)p;
    return addr_hash(&r->reporter) ^ r->ssrc;
}

static gboolean
rr_equal(gconstpointer a, gconstpointer b)
{
    const sipvi_media_rr_t *x = (const sipvi_media_rr_t *)a;
    const sipvi_media_rr_t *y = (const sipvi_media_rr_t *)b;
    return x->ssrc == y->ssrc && sipvi_media_addr_equal(&x->reporter, &y->reporter);
}

sipvi_media_t *
sipvi_media_new(void)
{
    sipvi_media_t *m = g_new0(sipvi_media_t, 1);
    m->by_key = g_hash_table_new(stream_hash, stream_equal);
    m->streams = g_ptr_array_new_with_free_func(g_free);
    m->rr_by_key = g_hash_table_new(rr_hash, rr_equal);
    m->rrs = g_ptr_array_new_with_free_func(g_free);
    m->proto_rtcp = -1;
    m->proto_data = -1;
    return m;
}

void
sipvi_media_reset(sipvi_media_t *m)
{
    g_hash_table_remove_all(m->by_key);
    g_ptr_array_set_size(m->streams, 0);
    g_hash_table_remove_all(m->rr_by_key);
    g_ptr_array_set_size(m->rrs, 0);
    m->dropped_streams = m->dropped_rrs = 0;
    m->last_taken = 0;
}

static sipvi_media_t *
media_of(void *tapdata, gboolean rtcp)
{
    return (sipvi_media_t *)((char *)tapdata - (rtcp ? offsetof(sipvi_media_t, rtcp_listener_tag)
                                                     : offsetof(sipvi_media_t, rtp_listener_tag)));
}

/* In order: a frame is taken the first time it is dissected after every frame before it; a later
 * dissection of it (the window showing it again, a retap) adds nothing. Several RTP packets in
 * one frame are taken on the first pass over the file only (visited is set after it). */
static gboolean
take(sipvi_media_t *m, const packet_info *pinfo)
{
    if (!m->in_order)
        return TRUE;
    if (pinfo->num > m->last_taken) {
        m->last_taken = pinfo->num;
        return TRUE;
    }
    return pinfo->num == m->last_taken && !pinfo->fd->visited;
}

static void
rtp_reset(void *tapdata)
{
    sipvi_media_reset(media_of(tapdata, FALSE));
}

/* The stream of a packet, new if need be; NULL past MAX_STREAMS. */
/* The short name Wireshark's RTP Streams gives a payload type without a name from SDP
 * (rtp_payload_type_short_vals of packet-rtp.c). Wireshark 4.6 no longer exports that table, so
 * sipvi keeps the static types' names itself: once per stream, never per packet. */
static void
payload_short_name(guint pt, char *out, gsize size)
{
    static const char *const names[35] = {
        "g711U", "fs-1016", "g721", "GSM", "g723", "DVI4 8k", "DVI4 16k", "Exp. from Xerox PARC",
        "g711A", "g722", "16-bit audio, stereo", "16-bit audio, monaural", "Qualcomm", "CN",
        "MPEG-I/II Audio", "g728", "DVI4 11k", "DVI4 22k", "g729", "CN(old)", NULL, NULL, NULL,
        NULL, NULL, "CellB", "JPEG", NULL, "NV", NULL, NULL, "h261", "MPEG-I/II Video",
        "MPEG-II streams", "h263"};
    if (pt < G_N_ELEMENTS(names) && names[pt])
        g_strlcpy(out, names[pt], size);
    else if (pt >= 96 && pt <= 127)
        (void)g_snprintf(out, size, "DynamicRTP-Type-%u", pt);
    else if (pt >= 72 && pt <= 76)
        g_strlcpy(out, "Reserved for RTCP conflict avoidance", size);
    else
        g_strlcpy(out, "Unassigned", size);
}

static sipvi_media_stream_t *
stream_for(sipvi_media_t *m, packet_info *pinfo, guint32 ssrc, guint pt, const char *pt_name,
           gboolean from_udp)
{
    sipvi_media_stream_t key;
    memset(&key, 0, sizeof key);
    sipvi_media_addr_set(&key.src, &pinfo->src);
    sipvi_media_addr_set(&key.dst, &pinfo->dst);
    key.src_port = (guint16)pinfo->srcport;
    key.dst_port = (guint16)pinfo->destport;
    key.ssrc = ssrc;

    sipvi_media_stream_t *s = (sipvi_media_stream_t *)g_hash_table_lookup(m->by_key, &key);
    if (!s) {
        if (m->streams->len >= MAX_STREAMS) {
            m->dropped_streams++;
            return NULL;
        }
        s = g_new(sipvi_media_stream_t, 1);
        *s = key;
        s->first_frame = pinfo->num;
        s->from_udp = from_udp;
        if (pt_name)
            g_strlcpy(s->payload, pt_name, sizeof s->payload);
        else
            payload_short_name(pt, s->payload, sizeof s->payload);
        g_ptr_array_add(m->streams, s);
        g_hash_table_insert(m->by_key, s, s);
    }
    s->last_frame = pinfo->num;
    return s;
}

static tap_packet_status
rtp_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
           tap_flags_t flags _U_)
{
    sipvi_media_t *m = media_of(tapdata, FALSE);
    const struct _rtp_info *ri = (const struct _rtp_info *)data;
    if (!ri || ri->info_version != 2 || !take(m, pinfo))
        return TAP_PACKET_DONT_REDRAW;

    sipvi_media_stream_t *s = stream_for(m, pinfo, ri->info_sync_src, ri->info_payload_type,
                                         ri->info_payload_type_str, FALSE);
    if (!s)
        return TAP_PACKET_DONT_REDRAW;
    if (!s->setup_frame)
        s->setup_frame = ri->info_setup_frame_num;

    sipvi_rtp_packet_t p;
    p.arrival_ms = nstime_to_msec(&pinfo->rel_ts);
    p.seq = ri->info_seq_num;
    p.timestamp = ri->info_timestamp;
    p.ext_timestamp = ri->info_extended_timestamp;
    p.pt = ri->info_payload_type;
    p.clock_rate = sipvi_rtp_clock_rate(ri->info_payload_type, ri->info_payload_type_str,
                                        ri->info_payload_rate);
    p.marker = ri->info_marker_set;
    p.ext_seq = ri->info_extended_seq_num;
    sipvi_rtp_stats_add(&s->stats, &p, RTP_ANALYSIS);
    return TAP_PACKET_DONT_REDRAW;
}

static void
note_report_block(sipvi_media_t *m, packet_info *pinfo, tvbuff_t *tvb, gint off)
{
    sipvi_media_rr_t key;
    memset(&key, 0, sizeof key);
    if (!sipvi_media_addr_set(&key.reporter, &pinfo->src))
        return;
    key.ssrc = tvb_get_ntohl(tvb, off);
    sipvi_media_rr_t *r = (sipvi_media_rr_t *)g_hash_table_lookup(m->rr_by_key, &key);
    if (!r) {
        if (m->rrs->len >= MAX_RR_ENTRIES) {
            m->dropped_rrs++;
            return;
        }
        r = g_new(sipvi_media_rr_t, 1);
        *r = key;
        g_ptr_array_add(m->rrs, r);
        g_hash_table_insert(m->rr_by_key, r, r);
    }
    r->count++;
    r->frame = pinfo->num;
    r->fraction_lost = TVB_U8(tvb, off + 4);
    guint32 cum = tvb_get_ntoh24(tvb, off + 5);
    r->cumulative_lost = (cum & 0x800000) ? (gint32)cum - 0x1000000 : (gint32)cum;
    r->ext_highest_seq = tvb_get_ntohl(tvb, off + 8);
}

/* Walks the RTCP packets of a compound between start and end: header V=2, count, type, length in
 * 32-bit words minus one. Anything that does not fit ends the walk: the bytes are the sender's. */
static void
read_rtcp(sipvi_media_t *m, packet_info *pinfo, tvbuff_t *tvb, gint start, gint end)
{
    gint off = start;
    while (off + 8 <= end) {
        guint8 first = TVB_U8(tvb, off);
        if ((first >> 6) != 2)
            return;
        guint count = first & 0x1F;
        guint8 type = TVB_U8(tvb, off + 1);
        gint len = ((gint)tvb_get_ntohs(tvb, off + 2) + 1) * 4;
        if (off + len > end)
            return;
        gint blocks = -1;
        if (type == 200)       /* SR: sender SSRC, 20 bytes of sender info */
            blocks = off + 8 + 20;
        else if (type == 201)  /* RR: sender SSRC */
            blocks = off + 8;
        if (blocks >= 0) {
            for (guint i = 0; i < count && blocks + 24 <= off + len; i++, blocks += 24)
                note_report_block(m, pinfo, tvb, blocks);
        }
        off += len;
    }
}

static void
rtcp_reset(void *tapdata _U_)
{
    /* The rtp listener's reset clears the whole book. */
}

static tap_packet_status
rtcp_packet(sipvi_media_t *m, packet_info *pinfo, epan_dissect_t *edt)
{
    if (!edt || !edt->tree || m->proto_rtcp < 0 || !take(m, pinfo))
        return TAP_PACKET_DONT_REDRAW;
    GPtrArray *items = proto_get_finfo_ptr_array(edt->tree, m->proto_rtcp);
    if (!items || items->len == 0)
        return TAP_PACKET_DONT_REDRAW;
    /* One item per RTCP packet of a compound, or one for all: read their union once. */
    field_info *first = (field_info *)g_ptr_array_index(items, 0);
    tvbuff_t *tvb = first->ds_tvb;
    gint start = G_MAXINT, end = 0;
    for (guint i = 0; i < items->len; i++) {
        field_info *fi = (field_info *)g_ptr_array_index(items, i);
        if (fi->ds_tvb != tvb || fi->length <= 0)
            continue;
        start = MIN(start, fi->start);
        end = MAX(end, fi->start + fi->length);
    }
    if (start < end && (guint)end <= tvb_captured_length(tvb))
        read_rtcp(m, pinfo, tvb, start, end);
    return TAP_PACKET_DONT_REDRAW;
}

/* An RTP version 2 header with a payload type outside RTCP's range (RFC 5761 §4), its CSRC list
 * within the datagram. */
static gboolean
looks_like_rtp(tvbuff_t *tvb, gint off, gint len)
{
    if (len < 12)
        return FALSE;
    guint8 b0 = TVB_U8(tvb, off), pt = TVB_U8(tvb, off + 1) & 0x7F;
    return (b0 >> 6) == 2 && !(pt >= 72 && pt <= 76) && 12 + 4 * (b0 & 0x0F) <= len;
}

static tap_packet_status
udp_packet(sipvi_media_t *m, packet_info *pinfo, epan_dissect_t *edt)
{
    if (!edt || !edt->tree || m->proto_data < 0 || pinfo->ptype != PT_UDP || !take(m, pinfo))
        return TAP_PACKET_DONT_REDRAW;
    GPtrArray *items = proto_get_finfo_ptr_array(edt->tree, m->proto_data);
    if (!items || items->len == 0)
        return TAP_PACKET_DONT_REDRAW;
    field_info *fi = (field_info *)g_ptr_array_index(items, 0);
    tvbuff_t *tvb = fi->ds_tvb;
    if (fi->start < 0 || fi->length <= 0 ||
        (guint)(fi->start + fi->length) > tvb_captured_length(tvb) ||
        !looks_like_rtp(tvb, fi->start, fi->length))
        return TAP_PACKET_DONT_REDRAW;
    gint off = fi->start;
    guint8 b1 = TVB_U8(tvb, off + 1);
    guint pt = b1 & 0x7F;
    sipvi_media_stream_t *s = stream_for(m, pinfo, tvb_get_ntohl(tvb, off + 8), pt, NULL, TRUE);
    if (!s || !s->from_udp)
        return TAP_PACKET_DONT_REDRAW;
    guint32 ts = tvb_get_ntohl(tvb, off + 4);
    /* Extended as RFC 3550 A.1 extends sequence numbers: a backward jump of more than half the
     * range is a wrap. */
    if (s->stats.started && ts < s->last_ts && s->last_ts - ts > 0x80000000u)
        s->ts_cycles++;
    s->last_ts = ts;

    sipvi_rtp_packet_t p;
    p.arrival_ms = nstime_to_msec(&pinfo->rel_ts);
    p.seq = tvb_get_ntohs(tvb, off + 2);
    p.ext_seq = sipvi_rtp_extend_seq(s->stats.started ? s->last_ext_seq : 0x10000u, p.seq);
    s->last_ext_seq = p.ext_seq;
    p.timestamp = ts;
    p.ext_timestamp = (s->ts_cycles << 32) | ts;
    p.pt = pt;
    p.clock_rate = sipvi_rtp_clock_rate(pt, NULL, 0);
    p.marker = (b1 & 0x80) != 0;
    sipvi_rtp_stats_add(&s->stats, &p, RTP_ANALYSIS);
    return TAP_PACKET_DONT_REDRAW;
}

/* One listener, filter "rtcp || data", for RTCP and for UDP nobody dissected: each filter a
 * listener has is applied to every frame of the pass. Which of the two a frame is comes from its
 * few layers: the filter "udp && data && !rtp && !rtcp" that the second had made Wireshark keep
 * the udp item of every frame of a tree in its table of referenced fields, about 1,000
 * instructions a frame of a -V run (docs/benchmarks.md). */
static tap_packet_status
frame_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt, const void *data _U_,
             tap_flags_t flags _U_)
{
    sipvi_media_t *m = media_of(tapdata, TRUE);
    gboolean udp = FALSE, rtp = FALSE, rtcp = FALSE;
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        int proto = GPOINTER_TO_INT(wmem_list_frame_data(f));
        udp = udp || proto == m->proto_udp;
        rtp = rtp || proto == m->proto_rtp;
        rtcp = rtcp || proto == m->proto_rtcp;
    }
    if (rtcp)
        return rtcp_packet(m, pinfo, edt);
    return udp && !rtp ? udp_packet(m, pinfo, edt) : TAP_PACKET_DONT_REDRAW;
}

static gboolean
listen(sipvi_media_t *m, gboolean in_order, GString **error)
{
    m->proto_rtcp = proto_get_id_by_filter_name("rtcp");
    m->proto_data = proto_get_id_by_filter_name("data");
    m->proto_udp = proto_get_id_by_filter_name("udp");
    m->proto_rtp = proto_get_id_by_filter_name("rtp");
    m->in_order = in_order;
    /* In order, a retap (another dialog opening) must not empty the book: its frames are not
     * taken again. */
    *error = register_tap_listener("rtp", &m->rtp_listener_tag, NULL, 0,
                                   in_order ? NULL : rtp_reset, rtp_packet, NULL, NULL);
    if (*error)
        return FALSE;
    /* The filter keeps the RTCP and data items real in the tree this listener asks for. */
    *error = register_tap_listener("frame", &m->rtcp_listener_tag, "rtcp || data",
                                   TL_REQUIRES_PROTO_TREE, rtcp_reset, frame_packet, NULL, NULL);
    if (*error) {
        remove_tap_listener(&m->rtp_listener_tag);
        return FALSE;
    }
    m->listening = TRUE;
    return TRUE;
}

gboolean
sipvi_media_listen(sipvi_media_t *m, GString **error)
{
    return listen(m, FALSE, error);
}

gboolean
sipvi_media_listen_in_order(sipvi_media_t *m, GString **error)
{
    return listen(m, TRUE, error);
}

void
sipvi_media_unlisten(sipvi_media_t *m)
{
    if (m && m->listening) {
        remove_tap_listener(&m->rtp_listener_tag);
        remove_tap_listener(&m->rtcp_listener_tag);
        m->listening = FALSE;
    }
}

void
sipvi_media_free(sipvi_media_t *m)
{
    if (!m)
        return;
    g_hash_table_destroy(m->by_key);
    g_ptr_array_free(m->streams, TRUE);
    g_hash_table_destroy(m->rr_by_key);
    g_ptr_array_free(m->rrs, TRUE);
    g_free(m);
}

void
sipvi_media_finish(sipvi_media_t *m)
{
    for (guint i = 0; i < m->streams->len; i++) {
        sipvi_media_stream_t *s = (sipvi_media_stream_t *)g_ptr_array_index(m->streams, i);
        sipvi_media_rr_t key;
        memset(&key, 0, sizeof key);
        key.reporter = s->dst;
        key.ssrc = s->ssrc;
        s->rr = (const sipvi_media_rr_t *)g_hash_table_lookup(m->rr_by_key, &key);
    }
}

double
sipvi_media_last_ms(const sipvi_media_t *m)
{
    double last = 0;
    for (guint i = 0; i < m->streams->len; i++)
        last = MAX(last, ((const sipvi_media_stream_t *)g_ptr_array_index(m->streams, i))->stats.last_ms);
    return last;
}

guint
sipvi_media_n_streams(const sipvi_media_t *m)
{
    return m->streams->len;
}

const sipvi_media_stream_t *
sipvi_media_stream(const sipvi_media_t *m, guint i)
{
    return i < m->streams->len ? (const sipvi_media_stream_t *)g_ptr_array_index(m->streams, i)
                               : NULL;
}

double
sipvi_media_reported_lost_pct(const sipvi_media_stream_t *s)
{
    const sipvi_media_rr_t *r = s->rr;
    if (!r)
        return -1;
    /* The receiver counts from its first packet, which the capture saw as the stream's first: its
     * expected is the extended highest number less that first one, plus one. */
    gint64 expected = (gint64)r->ext_highest_seq - (gint64)s->stats.start_seq + 1;
    if (expected <= 0 || r->cumulative_lost < 0 || r->cumulative_lost > expected)
        return r->fraction_lost * 100.0 / 256.0;
    return (double)r->cumulative_lost * 100.0 / (double)expected;
}
