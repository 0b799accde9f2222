/* sipvi_dialogs.c — the book of a capture's calls and registrations (sipvi_dialogs.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>

#include "sipvi_dialogs.h"
#include "sipvi_report.h"
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

void
sipvi_dialogs_note_fragment(sipvi_dialogs_t *book, packet_info *pinfo)
{
    sipvi_report_fragment(pinfo, &book->fragments);
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

/* A new INVITE on a Call-ID whose call is over (its BYE was answered) or with a lower CSeq
 * starts a new call: some devices reuse Call-IDs. */
static gboolean
starts_new_dialog(const sipvi_call_t *call, const sipvi_message_t *m)
{
    if (m->is_response || m->resend || strcmp(m->method, "INVITE") != 0)
        return FALSE;
    if (!call->diag.invite_seen)
        return FALSE;
    return call->diag.bye_code >= 200 || m->cseq < call->diag.invite_cseq;
}

sipvi_call_t *
sipvi_dialogs_note_call(sipvi_dialogs_t *book, packet_info *pinfo, const sipvi_message_t *m)
{
    if (!m->call_id || !m->method)
        return NULL;
    sipvi_call_t *call = (sipvi_call_t *)g_hash_table_lookup(book->call_by_id, m->call_id);
    gboolean invite = strcmp(m->method, "INVITE") == 0;
    if ((!call && invite) || (call && starts_new_dialog(call, m))) {
        /* An INVITE, or a response to one whose request the capture does not hold. */
        call = new_call(book, pinfo, m);
    }
    if (!call)
        return NULL;
    sipvi_diag_msg_t dm;
    sipvi_diag_message(pinfo, m, call->diag.invite_seen ? NULL : &book->fragments, &dm);
    sipvi_diag_call_note(&call->diag, &dm);
    sipvi_call_media_note(&call->media, pinfo, m, call->caller);

    if (m->resend)
        return call;
    if (!m->is_response && invite)
        return call;
    if (m->is_response && invite && sipvi_code_is_final(m->code) && !call->established) {
        call->final_code = m->code;
        call->final_time = pinfo->rel_ts;
        call->final_q850 = sipvi_message_q850(m);
        call->established = m->code >= 200 && m->code < 300;
    } else if (!m->is_response && sipvi_message_q850(m) != SIPVI_NO_CAUSE &&
               call->ending_q850 == SIPVI_NO_CAUSE &&
               (strcmp(m->method, "BYE") == 0 || strcmp(m->method, "CANCEL") == 0)) {
        call->ending_q850 = sipvi_message_q850(m);
    }
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
    return reg;
}
