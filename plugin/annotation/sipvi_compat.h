/* sipvi_compat.h — the Wireshark API differences between the series sipvi builds for.
 *
 * Keyed on WIRESHARK_VERSION_MAJOR/MINOR only; nothing version-specific lives elsewhere.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_COMPAT_H
#define SIPVI_COMPAT_H

#include <ws_version.h>

#define SIPVI_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* field_info.value became a pointer in 4.2. FT_BOOLEAN values are 64-bit. */
#if SIPVI_WS_AT_LEAST(4, 2)
#define SIPVI_FINFO_VALUE(fi) ((fi)->value)
#else
#define SIPVI_FINFO_VALUE(fi) (&(fi)->value)
#endif
#define SIPVI_FINFO_UINT(fi) fvalue_get_uinteger(SIPVI_FINFO_VALUE(fi))
#define SIPVI_FINFO_BOOLEAN(fi) (fvalue_get_uinteger64(SIPVI_FINFO_VALUE(fi)) != 0)
#define SIPVI_FINFO_STRING(fi) fvalue_get_string(SIPVI_FINFO_VALUE(fi))

/* Boolean preference variables and UAT callbacks use bool since 4.4 (gboolean, an int, before). */
#if SIPVI_WS_AT_LEAST(4, 4)
#include <stdbool.h>
typedef bool sipvi_bool_t;
#else
#include <glib.h>
typedef gboolean sipvi_bool_t;
#endif

/* The Telephony statistics group was renamed in 4.4. */
#if SIPVI_WS_AT_LEAST(4, 4)
#define SIPVI_STAT_GROUP_TELEPHONY REGISTER_TELEPHONY_GROUP_UNSORTED
#else
#define SIPVI_STAT_GROUP_TELEPHONY REGISTER_STAT_GROUP_TELEPHONY
#endif

/* A plugin's stats tree: the registration returns its configuration since 4.4 (void before). */
#define SIPVI_STATS_TREE_REGISTER_PLUGIN(tap, abbr, path, flags, packet, init) \
    ((void)stats_tree_register_plugin(tap, abbr, path, flags, packet, init, NULL))

/* wmem callbacks return bool since 4.4 (gboolean before). */
#if SIPVI_WS_AT_LEAST(4, 4)
#define SIPVI_WMEM_CB_RETURN bool
#else
#define SIPVI_WMEM_CB_RETURN gboolean
#endif

/* A "-z" statistic's init callback reports success since 4.6 (void before). */
#if SIPVI_WS_AT_LEAST(4, 6)
typedef bool sipvi_tap_init_t;
#define SIPVI_TAP_INIT_RETURN(ok) return (ok)
#else
typedef void sipvi_tap_init_t;
#define SIPVI_TAP_INIT_RETURN(ok) do { (void)(ok); return; } while (0)
#endif

/* plugin_describe(): an optional entry point since 4.4 (wsutil/plugins.h), looked up after
 * plugin_register(). A plugin without it still loads in 4.4 and 4.6, but `tshark -G plugins` and
 * About > Plugins then give its type as "unknown" instead of "dissector" (the type 4.0 derives
 * from the epan/ folder). SIPVI_HAVE_PLUGIN_DESCRIBE tells plugin.c to define it, returning
 * SIPVI_PLUGIN_DESC_FLAGS. (The WIRESHARK_PLUGIN_REGISTER_EPAN / struct ws_module entry point is
 * newer than 4.6: neither 4.4 nor 4.6 has it.) */
#if SIPVI_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#define SIPVI_HAVE_PLUGIN_DESCRIBE 1
#define SIPVI_PLUGIN_DESC_FLAGS ((uint32_t)(WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER))
#endif

/* One byte of a tvb: tvb_get_uint8 since 4.4, where tvb_get_guint8 is deprecated. */
#if SIPVI_WS_AT_LEAST(4, 4)
#define sipvi_tvb_get_u8 tvb_get_uint8
#else
#define sipvi_tvb_get_u8 tvb_get_guint8
#endif

#endif /* SIPVI_COMPAT_H */
