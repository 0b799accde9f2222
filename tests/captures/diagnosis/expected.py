#!/usr/bin/env python3
"""Write (or check) expected.tsv: the diagnosis every call and registration of the diagnosis
captures must get, with the frames that prove it, as tshark numbers them.

Usage: expected.py [--check] [DIR]      (DIR: the captures, default: this script's directory)

The rows below say, per capture, which call is which and what proves its diagnosis, as
predicates over the SIP fields tshark gives for each frame (Call-ID, method, status code, CSeq,
From tag, credentials, IP "more fragments"); tshark reads each capture once and numbers the
frames (1-based, as `tshark -r FILE` shows them). The script fails when a capture does not hold
what its row says (no evidence frame, a final code other than the one declared, a SIP Call-ID
that no row covers). --check compares the result with the committed expected.tsv instead of
writing it. Needs tshark ($SIPVI_TSHARK if set); Python 3 standard library only.
"""

import difflib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Evidence, inside the selected call: predicates over one SIP message (class Msg below).
def final(code):
    return lambda m: m.cseq_method == "INVITE" and m.code == code


def either(*preds):
    return lambda m: any(p(m) for p in preds)


def method(name):
    return lambda m: m.method == name


def inv_response(m):
    return m.cseq_method == "INVITE" and m.code is not None


def reg_response(code=None):
    return lambda m: m.cseq_method == "REGISTER" and m.code is not None and (code is None or m.code == code)


OK_ACK = either(lambda m: m.cseq_method == "INVITE" and m.code is not None and 200 <= m.code < 300, method("ACK"))

# Per recorded scenario: (diagnosis, kind, final code or None, evidence, note).
SCENARIOS = {
    "d01": ("answered", "call", 200, OK_ACK, "200 to the INVITE, ACK; BYE with Reason Q.850 16 (normal clearing)"),
    "d02": ("auth_failed", "call", 407,
            either(lambda m: m.proxy_auth, lambda m: m.cseq_method == "INVITE" and m.code == 407 and m.cseq == 2),
            "INVITE CSeq 2 carries Proxy-Authorization (wrong password) and gets 407 again"),
    "d03": ("busy", "call", 486, final(486), "486 Busy Here with Reason Q.850 17"),
    "d04": ("no_answer", "call", 480, either(lambda m: m.code == 180, final(480)),
            "rang 2 s (180) then 480 with Reason Q.850 19; no CANCEL"),
    "d05": ("caller_cancelled", "call", 487, either(method("CANCEL"), final(487)),
            "CANCEL without Reason after 180, then 487"),
    "d06": ("answered_elsewhere", "call", 487, either(method("CANCEL"), final(487)),
            'CANCEL with Reason: SIP;cause=200;text="Call completed elsewhere", then 487: not a failure'),
    "d07": ("rejected", "call", 603, final(603), "603 Decline with Reason Q.850 21"),
    "d08": ("number_invalid", "call", 404, final(404), "404 Not Found"),
    "d09": ("codec_mismatch", "call", 488, either(method("INVITE"), final(488)),
            "offer PCMU PCMA G729 telephone-event (INVITE), 488 with Warning 305"),
    "d10": ("downstream_failure", "call", 503, final(503),
            "503 with Retry-After: 60 and Reason list SIP;cause=503, Q.850;cause=41; the Q.850 cause 41 "
            "(temporary failure) decides: a failure downstream, not capacity (issue 22)"),
    "d11": ("redirected", "call", 302, final(302), "302 to sip:bob@127.0.12.3:5060"),
    "d12": ("loop", "call", 482, final(482), "482 Loop Detected"),
    "d13": ("no_response", "call", None, method("INVITE"),
            "INVITE (UDP: and 4 retransmissions in 7.5 s), no response at all; caller gives up after 9 s"),
    "d14": ("capture_ended", "call", None, either(method("INVITE"), lambda m: m.code == 180),
            "100, 180, then nothing until the capture ends (no CANCEL); the capture ends with the 180, "
            "before timer C: capture_ended"),
    "d15": ("ack_missing", "call", 200, either(final(200), method("BYE")),
            "200 sent 10 times over 27.5 s, no ACK; callee's BYE (Reason SIP 408) 32 s after the first 200"),
    "d16": ("invite_missing", "call", 408, inv_response,
            "100, 180, 408 and ACK to an INVITE whose frame was deleted with editcap (capture point)"),
    "d17": ("bye_failed", "call", 200, either(method("BYE"), lambda m: m.code == 481),
            "answered; BYE (Reason list SIP;cause=500, Q.850;cause=41) answered 481"),
    "d18": ("bye_failed", "call", 200, method("BYE"),
            "answered; BYE (Reason list SIP;cause=500, Q.850;cause=41) never answered (UDP: sent 5 times)"),
    "d19": ("answered", "call", 200, OK_ACK,
            "200 SDP c=IN IP4 192.168.1.20 sent from 127.0.12.2; from loopback: no NAT evidence (issue 22), "
            "answered"),
    "d20": ("reg_ok", "registration", 200, reg_response(200), "401 challenge, then 200; evidence: the 200"),
    "d21": ("reg_auth_failed", "registration", 401,
            either(lambda m: m.auth, lambda m: m.cseq_method == "REGISTER" and m.code == 401 and m.cseq == 2),
            "REGISTER CSeq 2 with Authorization (wrong password) gets 401 again"),
    "d22": ("reg_forbidden", "registration", 403, reg_response(403), "403 without a challenge"),
    "d23": ("reg_rejected", "registration", 404, reg_response(404), "404 without a challenge"),
    "d24": ("reg_no_response", "registration", None, method("REGISTER"),
            "REGISTER (UDP: and 4 retransmissions), no response"),
    "d26": ("loop", "call", 483, final(483), "INVITE with Max-Forwards: 0, 483 Too Many Hops"),
    "d25": ("answered", "call", 200, OK_ACK,
            "slow 100 (0.8 s): UDP INVITE retransmitted once; OPTIONS pings before and after are no call"),
}
# Where a scenario alone in its file ends otherwise than in the merged capture, which runs on
# past it (issue 22: a request that could still be answered when the capture ended is no failure):
# (diagnosis, evidence, what is added to the note). MERGED_TCP: the same for the TCP copy in the
# merged capture, which ends 24.8 s after d24's REGISTER.
MERGED_TCP = {
    "d24": ("reg_capture_ended", method("REGISTER"),
            "; here the capture ends 24.8 s after it (before timer F): reg_capture_ended"),
}
ALONE = {
    "d24": ("reg_capture_ended", method("REGISTER"),
            "; alone in its file the capture ends before timer F: reg_capture_ended"),
    "d13": ("capture_ended", method("INVITE"),
            "; alone in its file the capture ends before timer B (32 s): capture_ended"),
    "d18": ("answered", OK_ACK,
            "; alone in its file the capture ends before the BYE gave up (timer F): the call was answered "
            "and ACKed"),
}
NAMES = {"d01": "answered", "d02": "auth_failed", "d03": "busy", "d04": "no_answer", "d05": "caller_cancelled",
         "d06": "answered_elsewhere", "d07": "rejected", "d08": "number_invalid", "d09": "codec_mismatch",
         "d10": "capacity", "d11": "redirected", "d12": "loop", "d13": "no_response", "d14": "no_final_response",
         "d15": "ack_missing", "d16": "invite_missing", "d17": "bye_failed", "d18": "bye_failed",
         "d19": "media_private_address", "d20": "reg_ok", "d21": "reg_auth_failed", "d22": "reg_rejected",
         "d23": "reg_rejected", "d24": "reg_no_response", "d25": "noise", "d26": "loop"}

# Call-IDs that are in a capture but are neither a call nor a registration (no row).
NOT_CALLS = {"OPTIONS"}

# Generated captures: file -> rows (Call-ID, From tag or None, diagnosis, kind, final, evidence,
# frames outside the call that are evidence too (predicate over any frame) or None, note).
G16 = "sipvi-diag-g16-udp-1@127.0.0.1"
GENERATED = {
    "g16-invite_missing-udp.pcap": [
        (G16, None, "invite_missing", "call", 408, inv_response, lambda m: m.mf,
         "INVITE IP-fragmented, only first fragments captured (frames 1, 3, not SIP); 100, 408 x3, ACK"),
    ],
    "b01-reason_garbage-udp.pcap": [
        ("sipvi-diag-b01-1@127.0.0.1", None, "busy", "call", 486, final(486), None,
         "486 whose Reason list is all garbage (bad causes, no protocol, unterminated quote): ignored"),
        ("sipvi-diag-b01-2@127.0.0.1", None, "answered", "call", 200, OK_ACK, None,
         "answered; the BYE's Reason list has only unusable causes (empty, 0x10, 20 digits)"),
        ("sipvi-diag-b01-3@127.0.0.1", None, "server_error", "call", 500, final(500), None,
         "500 with Reason Q.850 causes 999 and 0 (out of range 1-127): the code decides"),
        ("sipvi-diag-b01-4@127.0.0.1", None, "answered_elsewhere", "call", 487,
         either(method("CANCEL"), final(487)), None,
         "CANCEL Reason SIP;cause=200 whose text= quote is never closed; the cause is complete"),
    ],
    "b02-sdp_without_m-udp.pcap": [
        ("sipvi-diag-b02-1@127.0.0.1", None, "codec_mismatch", "call", 488,
         either(method("INVITE"), final(488)), None,
         "offer SDP without m= (no codec to name), 488 with Warning 304"),
        ("sipvi-diag-b02-2@127.0.0.1", None, "answered", "call", 200, OK_ACK, None,
         "offer and answer SDP without m=, c= 127.0.0.1: answered, nothing private"),
    ],
    "b03-callid_reused-udp.pcap": [
        ("sipvi-diag-b03-1@127.0.0.1", "uac-b03a", "answered", "call", 200, OK_ACK, None,
         "first INVITE dialog (From tag uac-b03a): answered, BYE/200"),
        ("sipvi-diag-b03-1@127.0.0.1", "uac-b03b", "busy", "call", 486, final(486), None,
         "same Call-ID, new dialog (From tag uac-b03b) 2 s after the first ended: 486"),
    ],
}
STORM = "b04-register_storm-udp.pcap.gz"
STORM_SIZE = 10000
MERGED = "all-diagnoses.pcapng"
HEADER = "file\tcall_id\ttransport\tkind\tdiagnosis\tfinal_code\tframes\tnote"


TSHARK = os.environ.get("SIPVI_TSHARK", "tshark")
FIELDS = ("frame.number", "sip.Call-ID", "sip.Method", "sip.Status-Code", "sip.CSeq.method", "sip.CSeq.seq",
          "sip.from.tag", "sip.Proxy-Authorization", "sip.Authorization", "ip.flags.mf")


class Msg:
    """One frame as tshark 4.0.17 dissects it (these captures have at most one SIP message a frame)."""

    def __init__(self, row):
        num, self.cid, self.method, code, self.cseq_method, cseq, self.from_tag, pauth, auth, mf = row
        self.num = int(num)
        self.code = int(code) if code else None
        self.cseq = int(cseq) if cseq else None
        self.proxy_auth, self.auth, self.mf = bool(pauth), bool(auth), mf in ("1", "True")
        if "," in self.cid:
            fail("frame %d holds more than one SIP message" % self.num)


def fail(msg):
    sys.exit("expected.py: " + msg)


_cache = {}


def frames_of(path):
    """Every frame of the capture, read once (one tshark run per file)."""
    if path not in _cache:
        out = subprocess.run([TSHARK, "-r", path, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a"]
                             + [a for f in FIELDS for a in ("-e", f)],
                             check=True, capture_output=True, text=True).stdout
        _cache[path] = [Msg(line.split("\t")) for line in out.splitlines()]
    return _cache[path]


def recorded_rows(alone=True):
    """(file, row, transport) for d01-d26, UDP then TCP (the merged capture's order); alone: as
    each scenario is diagnosed in its own file (ALONE), else as in the merged capture."""
    for sc in sorted(SCENARIOS):
        diag, kind, code, evidence, note = SCENARIOS[sc]
        for tr in ("udp", "tcp"):
            diag, evidence, note = SCENARIOS[sc][0], SCENARIOS[sc][3], SCENARIOS[sc][4]
            other = ALONE.get(sc) if alone else MERGED_TCP.get(sc) if tr == "tcp" else None
            if other:
                diag, evidence, more = other
                note += more
            yield ("%s-%s-%s.pcapng" % (sc, NAMES[sc], tr),
                   ("sipvi-diag-%s-%s-1@127.0.12.1" % (sc, tr), None, diag, kind, code, evidence, None, note), tr)


def generated_rows():
    for f, rows in GENERATED.items():
        for r in rows:
            yield f, r, "udp"


def resolve(path, row, tr):
    cid, tag, diag, kind, code, evidence, outside, note = row
    call = [m for m in frames_of(path) if m.cid == cid and (tag is None or m.from_tag == tag)]
    if not call:
        fail("%s: no frame of %s" % (path, cid))
    frames = sorted({m.num for m in call if evidence(m)}
                    | {m.num for m in frames_of(path) if outside is not None and outside(m)})
    if not frames:
        fail("%s: no evidence frame for %s" % (path, cid))
    method = "REGISTER" if kind == "registration" else "INVITE"
    finals = [m.code for m in call if m.cseq_method == method and m.code is not None and m.code >= 200]
    got = finals[-1] if finals else None
    if got != code:
        fail("%s: %s ends in %s, its row says %s" % (path, cid, got, code))
    return [os.path.basename(path), cid, tr, kind, diag, str(code) if code else "-", ",".join(map(str, frames)), note]


def main():
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    d = args[0] if args else HERE
    rows, merged = [], []
    covered = {}
    for f, row, tr in list(recorded_rows()) + list(generated_rows()):
        rows.append(resolve(os.path.join(d, f), row, tr))
        covered.setdefault(f, set()).add(row[0])
    for f, row, tr in list(recorded_rows(alone=False)) + [g for g in generated_rows() if g[0].startswith("g")]:
        merged.append(resolve(os.path.join(d, MERGED), row, tr))
    # Every SIP Call-ID of a capture is a row, or an OPTIONS ping; answers without Call-ID are no row.
    for f, cids in covered.items():
        for m in frames_of(os.path.join(d, f)):
            if m.cid and m.cid not in cids and m.cseq_method not in NOT_CALLS:
                fail("%s: Call-ID %s (frame %d) has no row" % (f, m.cid, m.num))
    # The storm: REGISTER k and its 200 are frames 2k-1 and 2k.
    storm = frames_of(os.path.join(d, STORM))
    if len(storm) != 2 * STORM_SIZE:
        fail("%s: %d frames" % (STORM, len(storm)))
    for i, m in enumerate(storm):
        k = i // 2 + 1
        want = ("s%05d@127.0.0.1" % k, "REGISTER" if i % 2 == 0 else "", None if i % 2 == 0 else 200)
        if m.num != i + 1 or (m.cid, m.method, m.code) != want:
            fail("%s: frame %d is %s, expected %s" % (STORM, m.num, (m.cid, m.method, m.code), want))
    # Evidence of a registration: its final responses (d20's 401 and 200), here the 200 alone.
    rows.append([STORM, "s%05d@127.0.0.1", "udp", "registration", "reg_ok", "200", "2k",
                 "10,000 rows: Call-ID s00001@127.0.0.1 ... s10000@127.0.0.1, k = 1 ... 10000: REGISTER, 200"])
    text = "\n".join([HEADER] + ["\t".join(r) for r in rows + merged]) + "\n"
    out = os.path.join(d, "expected.tsv")
    if check:
        with open(out, encoding="utf-8") as fh:
            have = fh.read()
        if have != text:
            diff = difflib.unified_diff(have.splitlines(), text.splitlines(), "expected.tsv", "from the captures",
                                        lineterm="", n=0)
            fail("%s differs from what the captures give (run expected.py without --check):\n%s"
                 % (out, "\n".join(list(diff)[:20])))
        print("expected.tsv matches the captures (%d rows)" % (len(rows) + len(merged)))
    else:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
        print("wrote %s (%d rows)" % (out, len(rows) + len(merged)))


if __name__ == "__main__":
    main()
