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

/* field_info.value became a pointer in 4.2. */
#if SIPVI_WS_AT_LEAST(4, 2)
#define SIPVI_FINFO_UINT(fi) fvalue_get_uinteger((fi)->value)
#else
#define SIPVI_FINFO_UINT(fi) fvalue_get_uinteger(&(fi)->value)
#endif

#endif /* SIPVI_COMPAT_H */
