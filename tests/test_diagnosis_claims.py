"""Every diagnosis says only what the frames it cites hold (issue 22).

For each call and registration of the diagnosis captures (recorded and generated), the
explanation is read back against its template (data/diagnoses.tsv) to get the values it states
(code, count, the request it names, the evidence frames), and each is checked against the frames
themselves as tshark dissects them, without sipvi: the frames exist; the response the sentence
names carries that status code to that method; every count is the number of those frames cited;
the request named is that request (with credentials where the sentence says so); what an ICMP
error says is that ICMP's type and code."""

import csv
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from datafile import _rows  # noqa: E402

CAPTURES = [
    ("diagnosis", "all-diagnoses.pcapng"),
    ("diagnosis", "g16-invite_missing-udp.pcap"),
    ("diagnosis", "b01-reason_garbage-udp.pcap"),
    ("diagnosis", "b02-sdp_without_m-udp.pcap"),
    ("diagnosis", "b03-callid_reused-udp.pcap"),
    ("diagnosis_edge", "edge-calls.pcap"),
    ("diagnosis_edge", "bad-input.pcap"),
    ("diagnosis_edge", "registrations.pcap"),
    ("diagnosis_edge", "issue22.pcap"),
    ("diagnosis_edge", "issue22-end.pcap"),
    ("triage", "all-calls.pcapng"),
]

# What the sentence's {code} is the status code of, per id: the method of the response.
CODE_OF = {"REGISTER": {"reg_ok", "reg_auth_failed", "reg_forbidden", "reg_rejected"},
           "INVITE": {"answered", "auth_failed", "forbidden", "busy", "no_answer", "unreachable",
                      "rejected", "number_invalid", "no_route", "number_changed",
                      "codec_mismatch", "not_implemented", "server_error", "downstream_failure",
                      "capacity", "redirected", "loop", "ack_missing", "other_failure"}}
# The request the sentence names ({request}), and whether it says it carried credentials.
REQUEST_OF = {"auth_failed": ("INVITE", True), "codec_mismatch": ("INVITE", False),
              "network_refused": ("INVITE", False), "reg_auth_failed": ("REGISTER", True),
              "reg_forbidden": ("REGISTER", False), "reg_capture_ended": ("REGISTER", False),
              "bye_failed": ("BYE", False), "cancelled": ("CANCEL", False)}
# Frames a sentence may cite besides the responses with its code and its request.
ALSO = {"answered": {"ACK"}, "no_answer": {180, 183}, "ack_missing": {"BYE"},
        "caller_cancelled": {"CANCEL", "BYE", 487}, "cancelled": {487},
        "answered_elsewhere": {"CANCEL", 487}, "auth_failed": {"INVITE"},
        "codec_mismatch": {"INVITE"}, "reg_auth_failed": {"REGISTER"}}
# {count}: how many cited frames are what the sentence counts.
COUNTED = {"auth_failed": "code", "reg_auth_failed": "code", "ack_missing": "code",
           "no_response": "INVITE", "bye_failed": "BYE", "reg_no_response": "REGISTER",
           "reg_capture_ended": "REGISTER", "network_refused": "icmp"}


def template_regex(template):
    """The template as a regular expression whose groups are its placeholders."""
    parts = re.split(r"\{(\w+)\}", template)
    out, seen = "", set()
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out += re.escape(part)
        elif part in seen:
            out += f"(?P={part})"
        else:
            seen.add(part)
            out += f"(?P<{part}>.*?)"
    return re.compile("^" + out + "$", re.DOTALL)


class ClaimsTest(harness.PluginTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.templates = {r["id"]: template_regex(r["explanation"]) for r in
                         _rows(os.path.join(harness.DATA_DIR, "diagnoses.tsv"))}

    def frames_of(self, capture):
        """frame -> {"code", "method", "cseq_method", "credentials", "icmp"} as tshark reads it,
        without sipvi's fields."""
        fields = ["frame.number", "sip.Status-Code", "sip.Method", "sip.CSeq.method",
                  "sip.Authorization", "sip.Proxy-Authorization", "icmp.type", "icmp.code"]
        out = self.ts.run(["-n", "-r", capture, "-T", "fields", "-E", "separator=\t",
                           "-E", "occurrence=f", *sum((["-e", f] for f in fields), [])])
        frames = {}
        for line in out.splitlines():
            v = line.split("\t")
            frames[int(v[0])] = {"code": int(v[1]) if v[1] else None, "method": v[2] or None,
                                 "cseq_method": v[3] or None, "credentials": bool(v[4] or v[5]),
                                 "icmp": (int(v[6]), int(v[7])) if v[6] else None}
        return frames

    def rows_of(self, capture):
        out = self.ts.run(["-n", "-r", capture, "-q", "-z", "sipvi,calls,csv",
                           "-z", "sipvi,registrations,csv"])
        rows, header = [], None
        for row in csv.reader(out.splitlines()):
            if row and row[0] == "start_s":
                header = row
                continue
            rows.append(dict(zip(header, row, strict=True)))
        return rows

    def check_row(self, r, frames):
        d = r["diagnosis"]
        m = self.templates[d].match(r["explanation"])
        self.assertIsNotNone(m, f"{d}: the explanation does not follow its template: "
                                f"{r['explanation']}")
        values = m.groupdict()
        cited = [int(f) for f in r["evidence_frames"].split() if not f.startswith("+")]
        whole = not any(f.startswith("+") for f in r["evidence_frames"].split())
        self.assertTrue(cited or d in ("reg_capture_ended",), f"{d}: no evidence")
        for f in cited:
            self.assertIn(f, frames, f"{d}: frame {f} is not in the capture")
        if "frames" in values:
            self.assertEqual(values["frames"].replace(" (+", " +").replace(")", ""),
                             ", ".join(r["evidence_frames"].split()).replace(", +", " +"))
        request = int(values["request"]) if values.get("request", "?").isdigit() else None
        if d in REQUEST_OF:
            method, credentials = REQUEST_OF[d]
            self.assertIsNotNone(request, f"{d}: names no request")
            self.assertEqual(frames[request]["method"], method, f"{d}: frame {request}")
            self.assertIsNone(frames[request]["code"], f"{d}: frame {request} is a response")
            if credentials:
                self.assertTrue(frames[request]["credentials"], f"{d}: frame {request} has none")
        code = int(values["code"]) if values.get("code", "").isdigit() else None
        for method, ids in CODE_OF.items():
            if d in ids:
                self.assertIsNotNone(code, f"{d}: states no code")
                self.assertTrue(any(frames[f]["code"] == code and frames[f]["cseq_method"]
                                    == method for f in cited),
                                f"{d}: no cited frame is a {code} to {method} ({cited})")
        allowed = ALSO.get(d, set())
        for f in cited:
            fr = frames[f]
            ok = (f == request or (code is not None and fr["code"] == code)
                  or fr["code"] in allowed or (fr["code"] is None and fr["method"] in allowed)
                  or (d == "network_refused" and fr["icmp"])
                  # The BYE's failure: the sentence gives its meaning.
                  or (d == "bye_failed" and fr["cseq_method"] == "BYE" and (fr["code"] or 0) >= 300)
                  or (d in ("no_response", "capture_ended", "reg_no_response",
                            "reg_capture_ended", "bye_failed") and fr["code"] is None)
                  or d in ("invite_missing", "no_final_response", "capture_ended",
                           "media_private_address"))
            self.assertTrue(ok, f"{d}: frame {f} ({fr}) is none of what the sentence names")
        if d == "invite_missing" or d == "no_final_response":
            self.assertTrue(all(frames[f]["method"] != "INVITE" or frames[f]["code"]
                                for f in cited if d == "invite_missing"),
                            f"{d}: an INVITE is cited")
        if "count" in values and d in COUNTED and whole:
            what = COUNTED[d]
            if what == "code":
                n = sum(1 for f in cited if frames[f]["code"] == code)
            elif what == "icmp":
                n = sum(1 for f in cited if frames[f]["icmp"])
            else:
                n = sum(1 for f in cited if frames[f]["method"] == what and not frames[f]["code"])
            self.assertEqual(int(values["count"]), n, f"{d}: {{count}} against the frames")
        if d == "network_refused":
            icmp = [frames[f]["icmp"] for f in cited if frames[f]["icmp"]][0]
            self.assertIn(f"ICMP {icmp[0]}/{icmp[1]}:", values["icmp"])
        if code is not None and d not in ("bye_failed",):
            # "final code 100": a provisional response is never stated as the final one.
            self.assertGreaterEqual(code, 200, f"{d}: states {code} as a final response")

    def test_claims(self):
        checked = set()
        for folder, name in CAPTURES:
            capture = self.ts.capture(name, os.path.join(harness.CAPTURE_DIR, folder))
            frames = self.frames_of(capture)
            for r in self.rows_of(capture):
                with self.subTest(capture=name, call_id=r["call_id"], diagnosis=r["diagnosis"]):
                    self.check_row(r, frames)
                checked.add(r["diagnosis"])
        # Every id that a capture can show is checked somewhere.
        self.assertGreaterEqual(len(checked), 30, sorted(checked))


if __name__ == "__main__":
    unittest.main()
