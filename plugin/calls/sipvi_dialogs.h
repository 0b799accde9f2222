/* sipvi_dialogs.h — the calls (INVITE dialogs) and registrations (REGISTER Call-IDs) a capture
 * holds, each with what the diagnosis rules saw, kept in the order they first appeared.
 *
 * One book serves every view of them: the -z sipvi,calls and -z sipvi,registrations reports and
 * the GUI tables of Telephony (sipvi_diag_table.c), so that they list the same rows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPVI_DIALOGS_H
#define SIPVI_DIALOGS_H

#include <glib.h>
#include <epan/packet.h>

#include "sipvi_call_media.h"
#include "sipvi_diagnosis.h"
#include "sipvi_record.h"

typedef struct {
    char *call_id;
    char *caller;
    char *callee;
    guint index;               /* position in the book */
    guint32 first_frame;
    nstime_t start;            /* first message, relative to the capture's first frame */
    guint32 final_code;        /* 0: no final response to an INVITE seen */
    nstime_t final_time;
    gboolean established;      /* a 2xx came: a later re-INVITE's answer does not change it */
    gint32 final_q850;         /* Reason of the final response */
    gint32 ending_q850;        /* Reason of the BYE or CANCEL that ended it */
    sipvi_diag_call_t diag;
    sipvi_call_media_t media;  /* its SDP and timing, for the media figures (plugin/calls/media) */
} sipvi_call_t;

typedef struct {
    char *call_id;
    char *aor;                 /* To URI of the first REGISTER */
    guint index;
    guint32 first_frame;
    nstime_t start;
    sipvi_diag_reg_t diag;
} sipvi_registration_t;

typedef struct {
    GHashTable *call_by_id;    /* Call-ID -> the latest sipvi_call_t of that Call-ID */
    GPtrArray *calls;          /* owns the calls */
    sipvi_fragment_ring_t fragments;
    GHashTable *registration_by_id;
    GPtrArray *registrations;
} sipvi_dialogs_t;

sipvi_dialogs_t *sipvi_dialogs_new(void);
void sipvi_dialogs_reset(sipvi_dialogs_t *book);
void sipvi_dialogs_free(sipvi_dialogs_t *book);

/* The end of the capture as far as it was read: every frame is noted (the dissector's hook,
 * cheap), so that the reports know how long the capture ran on after a call's last message. */
void sipvi_dialogs_note_end(const packet_info *pinfo);
void sipvi_dialogs_end_reset(void);
const sipvi_diag_end_t *sipvi_dialogs_end(void);

/* Remembers a frame that is an IP fragment nothing reassembled (an INVITE's, maybe). */
void sipvi_dialogs_note_fragment(sipvi_dialogs_t *book, packet_info *pinfo);

/* Feeds a message of an INVITE dialog; the call it belongs to (new for an INVITE on an unknown
 * or finished Call-ID, and for a response whose INVITE the capture lacks), or NULL when it
 * belongs to none. */
sipvi_call_t *sipvi_dialogs_note_call(sipvi_dialogs_t *book, packet_info *pinfo,
                                      const sipvi_message_t *m);

/* Feeds a REGISTER or a response to one; its registration, or NULL for any other message. */
sipvi_registration_t *sipvi_dialogs_note_registration(sipvi_dialogs_t *book, packet_info *pinfo,
                                                      const sipvi_message_t *m);

#endif /* SIPVI_DIALOGS_H */
