/* sipvi_call_media_report.c — a call's media figures in the calls reports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdio.h>

#include <wireshark.h>

#include "sipvi_call_media_report.h"
#include "sipvi_media_prefs.h"
#include "sipvi_media_verdict.h"
#include "sipvi_report.h"

static const char *const dir_names[2] = { "to_caller", "to_callee" };
static const char *const figure_names[] = {
    "packets", "lost_pct", "max_jitter_ms", "mean_jitter_ms", "reported_lost_pct", "mos"
};

void
sipvi_call_media_csv_headers(void)
{
    sipvi_report_csv_field("setup_ms", FALSE);
    sipvi_report_csv_field("duration_s", FALSE);
    sipvi_report_csv_field("ended_by", FALSE);
    for (int d = 0; d < 2; d++) {
        for (gsize i = 0; i < G_N_ELEMENTS(figure_names); i++) {
            char name[64];
            g_snprintf(name, sizeof name, "rtp_%s_%s", dir_names[d], figure_names[i]);
            sipvi_report_csv_field(name, d == 1 && i + 1 == G_N_ELEMENTS(figure_names));
        }
    }
}

static void
number(double v, const char *format, gboolean applies, gboolean last)
{
    char buf[32] = "";
    if (applies)
        g_snprintf(buf, sizeof buf, format, v);
    sipvi_report_csv_field(buf, last);
}

void
sipvi_call_media_csv_row(const sipvi_call_media_t *cm, const sipvi_media_t *media)
{
    double setup = sipvi_call_media_setup_ms(cm), duration = sipvi_call_media_duration_s(cm);
    number(setup, "%.1f", setup >= 0, FALSE);
    number(duration, "%.3f", duration >= 0, FALSE);
    sipvi_report_csv_field(sipvi_call_media_ended_by(cm), FALSE);
    sipvi_direction_figures_t f[2];
    sipvi_call_media_figures(cm, media, f);
    /* Figures of a direction apply when its receiver declared where to send media and the
     * capture holds RTP at all (else nothing about media can be said). */
    gboolean any_media = media && sipvi_media_n_streams(media) > 0;
    for (int d = 0; d < 2; d++) {
        gboolean applies = any_media && f[d].declared;
        gboolean has = applies && f[d].packets > 0;
        gboolean last = d == 1;
        number(f[d].packets, "%.0f", applies, FALSE);
        number(f[d].lost_pct, "%.2f", has, FALSE);
        number(f[d].max_jitter_ms, "%.3f", has, FALSE);
        number(f[d].mean_jitter_ms, "%.3f", has, FALSE);
        number(f[d].reported_lost_pct, "%.2f", has && f[d].reported_lost_pct >= 0, FALSE);
        number(f[d].mos, "%.2f", has && f[d].mos >= 0, last);
    }
}

static void
append_direction(GString *s, const char *label, const sipvi_direction_figures_t *f,
                 const sipvi_media_thresholds_t *t)
{
    g_string_append_printf(s, "%s: ", label);
    if (!f->declared) {
        g_string_append(s, "SDP không khai báo địa chỉ nhận");
        return;
    }
    if (!f->packets) {
        g_string_append(s, f->hold ? "không có gói RTP (đang giữ máy theo SDP)"
                                   : "không có gói RTP nào");
        return;
    }
    g_string_append_printf(s, "%u gói RTP, mất %.1f %%, jitter trung bình %.1f ms (tối đa %.1f ms)",
                           f->packets, f->lost_pct, f->mean_jitter_ms, f->max_jitter_ms);
    if (f->reported_lost_pct >= 0)
        g_string_append_printf(s, ", RTCP báo mất %.1f %%", f->reported_lost_pct);
    if (f->mos >= 0)
        g_string_append_printf(s, ", MOS %.2f", f->mos);
    /* The verdict's reason for not calling it media_loss (sipvi_media_verdict.h). */
    if (f->lost_pct >= t->capture_gap_pct && f->reported_lost_pct < t->loss_pct)
        g_string_append(s, f->reported_lost_pct < 0
            ? " (khoảng trống số thứ tự lớn tới mức nhiều khả năng bản ghi thiếu gói, không phải "
              "mạng làm mất; không có báo cáo RTCP để xác nhận)"
            : " (bên nhận không báo mất như vậy: bản ghi thiếu gói, không phải mạng làm mất)");
}

char *
sipvi_call_media_text(const sipvi_call_media_t *cm, const sipvi_media_t *media)
{
    GString *s = g_string_new("Âm thanh — ");
    sipvi_direction_figures_t f[2];
    sipvi_call_media_figures(cm, media, f);
    sipvi_media_thresholds_t t;
    sipvi_media_thresholds(&t);
    append_direction(s, "tới bên gọi", &f[SIPVI_TO_CALLER], &t);
    append_direction(s, "; tới bên được gọi", &f[SIPVI_TO_CALLEE], &t);
    /* Both ways ending together, long before the end: the verdict names no stop. */
    double end = cm->end_ms >= 0 ? cm->end_ms : sipvi_media_last_ms(media);
    double last = MAX(f[0].last_ms, f[1].last_ms);
    gboolean judged = f[0].declared && !f[0].hold && f[1].declared && !f[1].hold;
    if (judged && f[0].packets && f[1].packets && cm->answer_ms >= 0 &&
        end - last >= t.stopped_s * 1000.0 && fabs(f[0].last_ms - f[1].last_ms) < t.stopped_s * 1000.0)
        g_string_append_printf(s, "; RTP cả hai chiều dừng cùng lúc, %.1f giây trước khi kết thúc: "
                                  "bản ghi không cho biết media ngừng hay điểm bắt gói không còn "
                                  "thấy media", (end - last) / 1000.0);
    /* Silence off the media path is no finding about the call (sipvi_media_verdict.h). */
    if (!f[0].packets && !f[1].packets && (f[0].declared || f[1].declared) && !f[0].path_seen)
        g_string_append(s, "; media của cuộc gọi không có trong bản ghi (không có RTP nào tới hoặc "
                           "từ các máy mà SDP khai báo)");
    double setup = sipvi_call_media_setup_ms(cm), duration = sipvi_call_media_duration_s(cm);
    if (setup >= 0)
        g_string_append_printf(s, "; thiết lập %.0f ms", setup);
    if (duration >= 0)
        g_string_append_printf(s, "; thời lượng %.1f s", duration);
    if (cm->ended_by == SIPVI_ENDED_BY_CALLER)
        g_string_append(s, "; bên gọi kết thúc");
    else if (cm->ended_by == SIPVI_ENDED_BY_CALLEE)
        g_string_append(s, "; bên được gọi kết thúc");
    return g_string_free(s, FALSE);
}

gboolean
sipvi_call_media_print_no_media(const sipvi_media_t *media, guint calls_with_sdp)
{
    if (!calls_with_sdp || (media && sipvi_media_n_streams(media) > 0))
        return FALSE;
    printf("Bản ghi không có gói RTP nào (có thể chỉ lọc báo hiệu SIP): không đánh giá được âm "
           "thanh của cuộc gọi nào. (the capture holds no RTP: no media figures)\n");
    return TRUE;
}
