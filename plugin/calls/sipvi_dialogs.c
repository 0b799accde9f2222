/* sipvi_dialogs.c — the book of a capture's calls and registrations (sipvi_dialogs.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>

#include "sipvi_dialogs.h"
#include "sipvi_diag_message.h"
#include "sipvi_view.h"

static void
free_call(gpointer p)
{
    sipvi_call_t *c = (sipvi_call_t *)p;
    g_free(c->call_id);
    g_free(c->caller);
    g_free(c->callee);
    g_free(c);
}

static void
free_registration(gpointer p)
{
    sipvi_registration_t *reg = (sipvi_registration_t *)p;
    g_free(reg->call_id);
    g_free(reg->aor);
    g_free(reg);
}

sipvi_dialogs_t *
sipvi_dialogs_new(void)
{
    sipvi_dialogs_t *book = g_new0(sipvi_dialogs_t, 1);
    /* Keys are owned by the calls and registrations. */
    book->call_by_id = g_hash_table_new(g_str_hash, g_str_equal);
    book->calls = g_ptr_array_new_with_free_func(free_call);
    book->registration_by_id = g_hash_table_new(g_str_hash, g_str_equal);
    book->registrations = g_ptr_array_new_with_free_func(free_registration);
    return book;
}

void
sipvi_dialogs_reset(sipvi_dialogs_t *book)
{
    g_hash_table_remove_all(book->call_by_id);
    g_ptr_array_set_size(book->calls, 0);
    g_hash_table_remove_all(book->registration_by_id);
    g_ptr_array_set_size(book->registrations, 0);
    memset(&book->fragments, 0, sizeof book->fragments);
}

void
sipvi_dialogs_free(sipvi_dialogs_t *book)
{
    if (!book)
        return;
    g_hash_table_destroy(book->call_by_id);
    g_ptr_array_free(book->calls, TRUE);
    g_hash_table_destroy(book->registration_by_id);
    g_ptr_array_free(book->registrations, TRUE);
    g_free(book);
}

/* The capture's last frame seen by any dissection of this file (sipvi sees every frame, SIP or
 * not); reset when a file is opened. */
static sipvi_diag_end_t capture_end;
static nstime_t capture_end_ts;   /* converted when asked: the per-frame part is two stores */

void
sipvi_dialogs_end_reset(void)
{
    capture_end.frame = 0;
    capture_end.time = 0;
    nstime_set_zero(&capture_end_ts);
}

void
sipvi_dialogs_note_end(const packet_info *pinfo)
{
    if (pinfo->num > capture_end.frame) {
        capture_end.frame = pinfo->num;
        capture_end_ts = pinfo->rel_ts;
    }
}

const sipvi_diag_end_t *
sipvi_dialogs_end(void)
{
    capture_end.time = nstime_to_sec(&capture_end_ts);
    return &capture_end;
}

void
sipvi_dialogs_note_fragment(sipvi_dialogs_t *book, packet_info *pinfo)
{
    sipvi_diag_fragment_note(pinfo, &book->fragments);
}

static sipvi_call_t *
new_call(sipvi_dialogs_t *book, const packet_info *pinfo, const sipvi_message_t *m)
{
    sipvi_call_t *call = g_new0(sipvi_call_t, 1);
    call->call_id = g_strdup(m->call_id);
    call->caller = g_strdup(m->from ? m->from : "");
    call->callee = g_strdup(m->to ? m->to : "");
    call->index = book->calls->len;
    call->first_frame = pinfo->num;
    call->start = pinfo->rel_ts;
    call->final_q850 = SIPVI_NO_CAUSE;
    call->ending_q850 = SIPVI_NO_CAUSE;
    sipvi_diag_call_init(&call->diag);
    sipvi_call_media_init(&call->media);
    g_hash_table_replace(book->call_by_id, call->call_id, call);
    g_ptr_array_add(book->calls, call);
    return call;
}

sipvi_call_t *
sipvi_dialogs_note_call(sipvi_dialogs_t *book, packet_info *pinfo, const sipvi_message_t *m)
{
    if (!m->call_id || !m->method)
        return NULL;
    sipvi_call_t *call = (sipvi_call_t *)g_hash_table_lookup(book->call_by_id, m->call_id);
    gboolean invite = strcmp(m->method, "INVITE") == 0;
    if (!call && !invite)
        return NULL;
    sipvi_diag_msg_t dm;
    sipvi_diag_message(pinfo, m, &book->fragments, &dm);
    /* A Call-ID is one call (proxy and B2BUA legs sharing it included, docs/diagnosis.md); only
     * an INVITE outside any dialog after it ended starts another. */
    if (!call || sipvi_diag_call_starts_new(&call->diag, &dm)) {
        /* An INVITE, or a response to one whose request the capture does not hold. */
        call = new_call(book, pinfo, m);
    }
    sipvi_diag_call_note(&call->diag, &dm);
    sipvi_dialogs_note_end(pinfo);
    sipvi_call_media_note(&call->media, pinfo, m, call->caller);

    /* The table's columns follow the rules' view of the final response. */
    call->final_code = call->diag.final_code;
    call->established = call->diag.established;
    if (call->diag.final_code) {
        double t = call->diag.final_time;
        call->final_time.secs = (time_t)t;
        call->final_time.nsecs = (int)((t - (double)call->final_time.secs) * 1e9 + 0.5);
        if (call->final_time.nsecs >= 1000000000) {
            call->final_time.secs++;
            call->final_time.nsecs -= 1000000000;
        }
        call->final_q850 = call->diag.final_q850;
    }
    if (call->ending_q850 == SIPVI_NO_CAUSE)
        call->ending_q850 = call->diag.ending_q850;
    return call;
}

sipvi_registration_t *
sipvi_dialogs_note_registration(sipvi_dialogs_t *book, packet_info *pinfo,
                                const sipvi_message_t *m)
{
    if (!m->call_id || !m->method || strcmp(m->method, "REGISTER") != 0)
        return NULL;
    sipvi_registration_t *reg =
        (sipvi_registration_t *)g_hash_table_lookup(book->registration_by_id, m->call_id);
    if (!reg) {
        /* A response whose REGISTER is not in the capture still names a registration. */
        reg = g_new0(sipvi_registration_t, 1);
        reg->call_id = g_strdup(m->call_id);
        reg->aor = g_strdup(m->to ? m->to : "");
        reg->index = book->registrations->len;
        reg->first_frame = pinfo->num;
        reg->start = pinfo->rel_ts;
        sipvi_diag_reg_init(&reg->diag);
        g_hash_table_insert(book->registration_by_id, reg->call_id, reg);
        g_ptr_array_add(book->registrations, reg);
    }
    sipvi_diag_msg_t dm;
    sipvi_diag_message(pinfo, m, NULL, &dm);
    sipvi_diag_reg_note(&reg->diag, &dm);
    sipvi_dialogs_note_end(pinfo);
    return reg;
}
