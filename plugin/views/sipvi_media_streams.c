/* sipvi_media_streams.c — "tshark -z sipvi,streams": every RTP stream of the capture with the
 * figures sipvi computes for it, as CSV, one row per stream in the order their first packets came
 * (the key is Wireshark's: addresses, ports, SSRC). It shows what the per-call media figures are made of,
 * and lets anyone check them against Wireshark's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wsutil/report_message.h>

#include "sipvi_compat.h"
#include "sipvi_media.h"
#include "sipvi_media_streams.h"
#include "sipvi_report.h"

/* Stable names: scripts rely on them. New columns go at the end. */
static const char *const headers[] = {
    "src_addr", "src_port", "dst_addr", "dst_port", "ssrc", "payload", "setup_frame",
    "first_frame", "last_frame", "start_s", "end_s", "packets", "expected", "lost", "lost_pct",
    "max_jitter_ms", "mean_jitter_ms", "max_delta_ms", "reported_lost_pct", "rtcp_reports",
    "found_by"
};

typedef struct {
    sipvi_media_t *media;
} streams_tap_t;

/* Taps draw after the last packet: the book is complete by then. */
static void
streams_draw(void *tapdata)
{
    streams_tap_t *t = (streams_tap_t *)tapdata;
    sipvi_media_finish(t->media);
    for (gsize i = 0; i < G_N_ELEMENTS(headers); i++)
        sipvi_report_csv_field(headers[i], i + 1 == G_N_ELEMENTS(headers));
    for (guint i = 0; i < sipvi_media_n_streams(t->media); i++) {
        const sipvi_media_stream_t *s = sipvi_media_stream(t->media, i);
        char src[64], dst[64], reported[32];
        double rep = sipvi_media_reported_lost_pct(s);
        if (rep >= 0)
            g_snprintf(reported, sizeof reported, "%.2f", rep);
        else
            reported[0] = '\0';
        char *cells = g_strdup_printf(
            "%s,%u,%s,%u,0x%08X,", sipvi_media_addr_str(&s->src, src, sizeof src), s->src_port,
            sipvi_media_addr_str(&s->dst, dst, sizeof dst), s->dst_port, s->ssrc);
        fputs(cells, stdout);
        g_free(cells);
        sipvi_report_csv_field(s->payload, FALSE);
        printf("%u,%u,%u,%.6f,%.6f,%u,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
               ",%.2f,%.3f,%.3f,%.3f,%s,%u,%s\n",
               s->setup_frame, s->first_frame, s->last_frame, s->stats.first_ms / 1000.0,
               s->stats.last_ms / 1000.0, s->stats.packets, sipvi_rtp_stats_expected(&s->stats),
               sipvi_rtp_stats_lost(&s->stats), sipvi_rtp_stats_lost_pct(&s->stats),
               s->stats.max_jitter_ms, s->stats.mean_jitter_ms, s->stats.max_delta_ms, reported,
               s->rr ? s->rr->count : 0, s->from_udp ? "udp" : "rtp");
    }
}

static tap_packet_status
streams_packet(void *tapdata _U_, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
               const void *data _U_, tap_flags_t flags _U_)
{
    return TAP_PACKET_DONT_REDRAW;
}

static void
streams_finish(void *tapdata)
{
    streams_tap_t *t = (streams_tap_t *)tapdata;
    sipvi_media_free(t->media);
    g_free(t);
}

static sipvi_tap_init_t
streams_init(const char *opt_arg, void *userdata _U_)
{
    gboolean csv;
    if (!sipvi_report_option(opt_arg, "sipvi,streams", "luồng RTP", "RTP streams", &csv))
        SIPVI_TAP_INIT_RETURN(FALSE);
    streams_tap_t *t = g_new0(streams_tap_t, 1);
    t->media = sipvi_media_new();
    GString *error = NULL;
    if (!sipvi_media_listen(t->media, &error) ||
        (error = register_tap_listener("rtp", t, NULL, 0, NULL, streams_packet,
                                       streams_draw, streams_finish)) != NULL) {
        report_failure("-z %s: %s", opt_arg, error ? error->str : "");
        if (error)
            g_string_free(error, TRUE);
        sipvi_media_free(t->media);
        g_free(t);
        SIPVI_TAP_INIT_RETURN(FALSE);
    }
    SIPVI_TAP_INIT_RETURN(TRUE);
}

static stat_tap_ui streams_ui = {
    REGISTER_STAT_GROUP_GENERIC, NULL, "sipvi,streams", streams_init, 0, NULL
};

void
sipvi_register_media_streams(void)
{
    register_stat_tap_ui(&streams_ui, NULL);
}
