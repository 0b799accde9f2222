/* sipvi_overrides.c — a user-editable table that replaces or adds the meaning and severity of codes.
 *
 * Carriers word codes their own way and send codes outside the registry; the UAT lets a site say
 * so without rebuilding. Entries are checked when they are loaded or edited; a refused entry
 * names its field, and the compiled table keeps working.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wireshark.h>
#include <epan/uat.h>

#include "sipvi_compat.h"
#include "sipvi_overrides.h"

static sipvi_override_t *overrides;
static guint n_overrides;

/* Rebuilt after every change of the UAT, so that the per-packet lookup is one array read. The
 * array and count it was built from are kept too: a load that fails half-way frees records
 * without a post-update call, and the index must never point into a freed array. */
static const sipvi_override_t *by_code[SIPVI_CODE_MAX - SIPVI_CODE_MIN + 1];
static const sipvi_override_t *indexed_array;
static guint indexed_count;
static guint generation;   /* counts the updates, for the texts made from overrides */

UAT_DEC_CB_DEF(sipvi_overrides, code, sipvi_override_t)
UAT_CSTRING_CB_DEF(sipvi_overrides, meaning, sipvi_override_t)
UAT_CSTRING_CB_DEF(sipvi_overrides, detail, sipvi_override_t)
UAT_CSTRING_CB_DEF(sipvi_overrides, severity, sipvi_override_t)

static void *
overrides_copy_cb(void *dest, const void *source, size_t len _U_)
{
    sipvi_override_t *d = (sipvi_override_t *)dest;
    const sipvi_override_t *s = (const sipvi_override_t *)source;
    d->code = s->code;
    d->meaning = g_strdup(s->meaning);
    d->detail = g_strdup(s->detail);
    d->severity = g_strdup(s->severity);
    d->severity_value = s->severity_value;
    return d;
}

static void
overrides_free_cb(void *record)
{
    sipvi_override_t *r = (sipvi_override_t *)record;
    g_free(r->meaning);
    g_free(r->detail);
    g_free(r->severity);
}

/* A meaning is one line of the Info column and of an expert message. */
static gboolean
has_control_character(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            return TRUE;
    }
    return FALSE;
}

/* The words a severity may be written with, in either language, as the tree shows them
 * ("Lỗi (Error)") or alone; compared case-insensitively after NFC normalisation. */
static const struct {
    sipvi_severity_t severity;
    const char *words[4];
} severity_words[] = {
    {SIPVI_SEVERITY_CHAT, {"chat", "thông tin", "thông tin (chat)", NULL}},
    {SIPVI_SEVERITY_NOTE, {"note", "lưu ý", "lưu ý (note)", NULL}},
    {SIPVI_SEVERITY_WARN, {"warn", "warning", "cảnh báo", "cảnh báo (warning)"}},
    {SIPVI_SEVERITY_ERROR, {"error", "lỗi", "lỗi (error)", NULL}},
};

static sipvi_severity_t
parse_severity(const char *text)
{
    char *trimmed = g_strstrip(g_strdup(text));
    char *nfc = g_utf8_normalize(trimmed, -1, G_NORMALIZE_NFC);
    char *folded = nfc ? g_utf8_casefold(nfc, -1) : NULL;
    sipvi_severity_t found = SIPVI_SEVERITY_NONE;
    for (guint i = 0; folded && i < G_N_ELEMENTS(severity_words) && !found; i++) {
        for (guint w = 0; w < G_N_ELEMENTS(severity_words[i].words); w++) {
            const char *word = severity_words[i].words[w];
            if (word && strcmp(folded, word) == 0) {
                found = severity_words[i].severity;
                break;
            }
        }
    }
    g_free(folded);
    g_free(nfc);
    g_free(trimmed);
    return found;
}

/* Checks one entry; on success stores its parsed severity. The message (only made when error is
 * not NULL) names the entry's code and the field, in Vietnamese then English. */
static gboolean
check_record(const sipvi_override_t *r, sipvi_severity_t *severity, char **error)
{
    const char *problem = NULL;
    if (!sipvi_code_is_valid(r->code)) {
        problem = "code nằm ngoài khoảng 100–799 (code is outside 100-799)";
    } else if (!r->meaning || !*r->meaning) {
        problem = "meaning không được để trống (meaning is empty)";
    } else if (!g_utf8_validate(r->meaning, -1, NULL)) {
        problem = "meaning không phải UTF-8 hợp lệ (meaning is not valid UTF-8)";
    } else if (has_control_character(r->meaning)) {
        problem = "meaning có ký tự điều khiển (meaning has a control character)";
    } else if (r->detail && !g_utf8_validate(r->detail, -1, NULL)) {
        problem = "detail không phải UTF-8 hợp lệ (detail is not valid UTF-8)";
    } else if (r->severity && !g_utf8_validate(r->severity, -1, NULL)) {
        problem = "severity không phải UTF-8 hợp lệ (severity is not valid UTF-8)";
    }
    if (problem) {
        if (error)
            *error = g_strdup_printf("sipvi_overrides, mã %u: %s", r->code, problem);
        return FALSE;
    }

    *severity = SIPVI_SEVERITY_NONE;
    if (r->severity && *r->severity) {
        *severity = parse_severity(r->severity);
        if (*severity == SIPVI_SEVERITY_NONE) {
            if (error)
                *error = g_strdup_printf("sipvi_overrides, mã %u: severity '%s' không hợp lệ, phải "
                                         "là thông tin, lưu ý, cảnh báo, lỗi (hoặc chat, note, "
                                         "warn, error) hoặc để trống (expected chat, note, warn, "
                                         "error or empty)", r->code, r->severity);
            return FALSE;
        }
    }
    return TRUE;
}

static sipvi_bool_t
overrides_update_cb(void *record, char **error)
{
    sipvi_override_t *r = (sipvi_override_t *)record;
    return check_record(r, &r->severity_value, error);
}

/* A later entry for the same code wins, as in the order the table shows them. Entries are
 * checked again here: Wireshark keeps a refused entry in the array (so that the GUI can show it
 * for correction), and a refused entry must not reach a packet. */
static void
overrides_post_update_cb(void)
{
    memset(by_code, 0, sizeof by_code);
    for (guint i = 0; i < n_overrides; i++) {
        if (check_record(&overrides[i], &overrides[i].severity_value, NULL))
            by_code[overrides[i].code - SIPVI_CODE_MIN] = &overrides[i];
    }
    indexed_array = overrides;
    indexed_count = n_overrides;
    generation++;
}

/* The index follows the array Wireshark hands over, even if an update came without its
 * post-update call. */
static void
index_current_array(void)
{
    if (indexed_array != overrides || indexed_count != n_overrides)
        overrides_post_update_cb();
}

guint
sipvi_overrides_generation(void)
{
    index_current_array();
    return generation;
}

const sipvi_override_t *
sipvi_override_lookup(unsigned code)
{
    index_current_array();
    return sipvi_code_is_valid(code) ? by_code[code - SIPVI_CODE_MIN] : NULL;
}

void
sipvi_overrides_register(module_t *prefs)
{
    static uat_field_t fields[] = {
        UAT_FLD_DEC(sipvi_overrides, code, "Mã (code)", "Mã trạng thái SIP, 100–799"),
        UAT_FLD_CSTRING(sipvi_overrides, meaning, "Ý nghĩa (meaning)",
                        "Ý nghĩa ngắn tiếng Việt hiện cho mã này (bắt buộc)"),
        UAT_FLD_CSTRING(sipvi_overrides, detail, "Chi tiết (detail)",
                        "Chi tiết tiếng Việt; để trống thì giữ chi tiết có sẵn"),
        UAT_FLD_CSTRING(sipvi_overrides, severity, "Mức độ (severity)",
                        "thông tin, lưu ý, cảnh báo hoặc lỗi (hoặc chat, note, warn, error); "
                        "để trống thì giữ mức độ có sẵn"),
        UAT_END_FIELDS
    };

    uat_t *uat = uat_new("Ghi đè tại chỗ của sipvi (sipvi overrides)", sizeof(sipvi_override_t), "sipvi_overrides", TRUE,
                         &overrides, &n_overrides, UAT_AFFECTS_DISSECTION, NULL,
                         overrides_copy_cb, overrides_update_cb, overrides_free_cb,
                         overrides_post_update_cb, NULL, fields);
    prefs_register_uat_preference(prefs, "overrides", "Ghi đè tại chỗ (site overrides)",
        "Thay hoặc thêm ý nghĩa, chi tiết và mức độ tiếng Việt của mã trạng thái cho nơi này; "
        "mục ở đây thắng bảng có sẵn", uat);
}
