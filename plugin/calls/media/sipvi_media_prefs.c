/* sipvi_media_prefs.c — the media diagnosis thresholds as preferences (sipvi_media_prefs.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/prefs.h>
#include <wsutil/report_message.h>

#include "sipvi_media_prefs.h"

static guint pref_min_call_s, pref_one_way_pct, pref_stopped_s, pref_loss_pct, pref_jitter_ms;

/* Each threshold's range and default (docs/media.md): a percentage above 100 or a loss threshold
 * of 0 (every call with one lost packet) is a typo, not a setting. Wireshark only checks that a
 * value is a number. */
static const struct {
    const char *name;
    guint *value;
    guint min, max, fallback;   /* fallback: the default */
} ranges[] = {
    {"media_min_call_s", &pref_min_call_s, 0, 3600, 2},
    {"media_one_way_pct", &pref_one_way_pct, 0, 100, 5},
    {"media_stopped_s", &pref_stopped_s, 1, 3600, 5},
    {"media_loss_pct", &pref_loss_pct, 1, 100, 3},
    {"media_jitter_ms", &pref_jitter_ms, 1, 10000, 30},
};

void
sipvi_media_register_prefs(module_t *prefs)
{
    for (size_t i = 0; i < G_N_ELEMENTS(ranges); i++)
        *ranges[i].value = ranges[i].fallback;
    prefs_register_uint_preference(prefs, "media_min_call_s",
        "Âm thanh: thời lượng tối thiểu để xét (giây)",
        "Cuộc gọi đã trả lời ngắn hơn chừng này giây thì không chẩn đoán no_media, one_way_media "
        "(mặc định 2)", 10, &pref_min_call_s);
    prefs_register_uint_preference(prefs, "media_one_way_pct",
        "Âm thanh: một chiều khi chiều kia dưới (%)",
        "one_way_media khi một chiều có ít gói RTP hơn chừng này phần trăm số gói của chiều kia "
        "(mặc định 5)", 10, &pref_one_way_pct);
    prefs_register_uint_preference(prefs, "media_stopped_s",
        "Âm thanh: ngừng trước khi kết thúc (giây)",
        "media_stopped khi RTP của một chiều ngừng ít nhất chừng này giây trước khi cuộc gọi kết "
        "thúc (mặc định 5)", 10, &pref_stopped_s);
    prefs_register_uint_preference(prefs, "media_loss_pct",
        "Âm thanh: ngưỡng mất gói (%)",
        "media_loss khi mất ít nhất chừng này phần trăm gói RTP một chiều, theo bản ghi hoặc RTCP "
        "(mặc định 3)", 10, &pref_loss_pct);
    prefs_register_uint_preference(prefs, "media_jitter_ms",
        "Âm thanh: ngưỡng jitter trung bình (ms)",
        "media_jitter khi jitter trung bình một chiều từ chừng này ms trở lên (mặc định 30)", 10,
        &pref_jitter_ms);
}

void
sipvi_media_check_prefs(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(ranges); i++) {
        guint v = *ranges[i].value;
        if (v >= ranges[i].min && v <= ranges[i].max)
            continue;
        report_failure("sipvi.%s: %u không hợp lệ, phải từ %u đến %u; dùng %u "
                       "(must be %u-%u; using %u)", ranges[i].name, v, ranges[i].min,
                       ranges[i].max, ranges[i].fallback, ranges[i].min, ranges[i].max,
                       ranges[i].fallback);
        *ranges[i].value = ranges[i].fallback;
    }
}

void
sipvi_media_thresholds(sipvi_media_thresholds_t *out)
{
    out->min_call_s = pref_min_call_s;
    out->one_way_ratio = pref_one_way_pct / 100.0;
    out->stopped_s = pref_stopped_s;
    out->loss_pct = pref_loss_pct;
    out->jitter_ms = pref_jitter_ms;
    out->capture_gap_pct = sipvi_media_default_thresholds.capture_gap_pct;
}
