/* plugin.c — the entry points Wireshark looks up when it loads sipvi.so.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/tap.h>

#include "packet-sipvi.h"
#include "sipvi_calls.h"
#include "sipvi_compat.h"
#include "sipvi_diag_table.h"
#include "sipvi_media_streams.h"
#include "sipvi_prime.h"

#ifndef SIPVI_VERSION
#error "SIPVI_VERSION must be defined by the build"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = SIPVI_VERSION;
/* A plugin only loads into the major.minor series it was compiled against. */
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#ifdef SIPVI_HAVE_PLUGIN_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);
#endif

static void
register_tap_listeners(void)
{
    sipvi_register_calls();
    sipvi_register_registrations();
    sipvi_register_stats_tree();
    sipvi_register_diag_tables();
    sipvi_register_media_streams();
}

void
plugin_register(void)
{
    static proto_plugin plug;

    plug.register_protoinfo = proto_register_sipvi;
    plug.register_handoff = proto_reg_handoff_sipvi;
    proto_register_plugin(&plug);

    /* The reports on the sipvi tap register once every dissector has. */
    static tap_plugin taps;
    taps.register_tap_listener = register_tap_listeners;
    tap_register_plugin(&taps);

    /* Which dissections have a tree nobody sees: there SIP's fields must be marked. */
    sipvi_prime_register_hooks();
}

#ifdef SIPVI_HAVE_PLUGIN_DESCRIBE
/* What `tshark -G plugins` and About > Plugins list sipvi as (4.4 and later). */
uint32_t
plugin_describe(void)
{
    return SIPVI_PLUGIN_DESC_FLAGS;
}
#endif
