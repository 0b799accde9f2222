#!/usr/bin/env bash
# record.sh — record the diagnosis captures of issue 12 with sipp on loopback, over UDP and TCP.
#
# Usage:   sudo tests/captures/diagnosis/record.sh [SCENARIO[/udp|/tcp]...]
#          SCENARIO is d01 ... d26 (default: all, both transports, then all-diagnoses).
#          all-diagnoses only re-merges the dNN-*.pcapng files and g16 (see generate.py).
#          OUT_DIR=/some/dir ... writes there instead of next to this script.
#
# Needs:   sipp (Debian sip-tester 3.6.x), dumpcap, tshark, editcap, mergecap (Wireshark 4.0),
#          python3, iproute2's ss, and the right to capture on "lo" (root). Nothing else may
#          listen on 127.0.12.2:5060 or 127.0.12.4:5060 (UDP/TCP) or 127.0.12.1:5070.
#
# Addresses (all on lo, a /24 of its own so that other SIP tests on 127.0.0.1 do not mix in):
#   A  127.0.12.1:5070  the caller / phone: sipp UAC (over TCP from an ephemeral port)
#   B  127.0.12.2:5060  the callee / registrar: sipp UAS, or silent.py (reads, never answers)
#   D  127.0.12.4:5060  the trunk peer that answers OPTIONS pings (d25 only)
#
# For each SCENARIO and transport it starts dumpcap on lo (capture filter
# "net 127.0.12.0/24"), the UAS(es) in the background, runs the UAC(s) in the foreground,
# stops the capture, checks with tshark the SIP flow hop by hop (FLOW below; "(resend)" marks a
# frame tshark flags with sip.resend), the Call-IDs and the CHECKS, applies the POST step (d16:
# editcap deletes the INVITE frames), then writes dNN-<id>-<udp|tcp>.pcapng. A run that does
# not give exactly that flow fails (timing, stray traffic): run it again.
#
# Call-IDs are fixed: sipvi-diag-dNN-<udp|tcp>-1@127.0.12.1 (d25's OPTIONS pings:
# sipvi-diag-d25-pingK-<udp|tcp>-1@127.0.12.1). Branches, tags and SDP are literal in the
# scenarios, so the SIP text is the same on every run except the TCP source port of A.
# Kills only what it started, by pid. The test suite never runs this script.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib/recording.sh
. "$SCRIPT_DIR/../lib/recording.sh"
# shellcheck disable=SC2034 # read by the library
REC_NAME=diagnosis/record.sh
SCEN_DIR="$SCRIPT_DIR/scenarios"
OUT_DIR=${OUT_DIR:-$SCRIPT_DIR}

A_IP=127.0.12.1
A_PORT=5070
B_IP=127.0.12.2
D_IP=127.0.12.4
SIP_PORT=5060
CAPTURE_FILTER="net 127.0.12.0/24"
HARD_TIMEOUT=60    # coreutils timeout around every sipp run, in seconds

ALL=(d01 d02 d03 d04 d05 d06 d07 d08 d09 d10 d11 d12 d13 d14 d15 d16 d17 d18 d19 d20 d21 d22 d23 d24 d25 d26)

declare -A NAME=(
  [d01]=answered [d02]=auth_failed [d03]=busy [d04]=no_answer [d05]=caller_cancelled
  [d06]=answered_elsewhere [d07]=rejected [d08]=number_invalid [d09]=codec_mismatch
  [d10]=capacity [d11]=redirected [d12]=loop [d13]=no_response [d14]=no_final_response
  [d15]=ack_missing [d16]=invite_missing [d17]=bye_failed [d18]=bye_failed
  [d19]=media_private_address [d20]=reg_ok [d21]=reg_auth_failed [d22]=reg_rejected
  [d23]=reg_rejected [d24]=reg_no_response [d25]=noise [d26]=loop
)

# Background peers, started before the UAC: KIND@IP[@MAXCALLS]. KIND is a uas-*.xml scenario
# or "silent" (silent.py for SILENT_SECONDS). Default: uas-dNN@B.
declare -A UAS=(
  [d13]="silent@$B_IP" [d24]="silent@$B_IP"
  [d25]="uas-d25@$B_IP uas-options@$D_IP@2"
)
SILENT_SECONDS=13

# UAC runs, one after the other: SCENARIO@IP@CALLTAG; the Call-ID is
# sipvi-diag-CALLTAG-<udp|tcp>-1@127.0.12.1. Default: uac-dNN@B@dNN.
declare -A UAC=(
  [d25]="uac-options@$D_IP@d25-ping1 uac-d25@$B_IP@d25 uac-options@$D_IP@d25-ping2"
)

# Extra sipp options of the UAC: UDP retransmission limits (the scenarios end the wait first),
# and no default behaviours, or sipp sends a BYE of its own when it gives up on an answer.
declare -A UAC_OPTS=(
  [d13]="-max_invite_retrans 6 -default_behaviors none"
  [d18]="-max_non_invite_retrans 6 -default_behaviors none"
  [d24]="-max_non_invite_retrans 6 -default_behaviors none"
)

# sipp's exit code of the UAC: sipp counts a call that ends on a receive timeout as failed
# (exit 1) even when the scenario jumps on; there, the flow check below is what counts.
declare -A UAC_RC=( [d13]=1 [d18]=1 [d24]=1 )
# ... and of the UAS (SCENARIO/TRANSPORT): over TCP, a sipp UAS whose peer closes the connection
# while the UAS still waits counts its call as failed.
declare -A UAS_RC=( [d14/tcp]=1 [d18/tcp]=1 )

# Expected SIP flow, one token per SIP message: FROM>TO:WHAT. A token with a leading "u:" is
# in the UDP recording only (a retransmission; TCP does not retransmit), one with "t:" in the TCP
# one only (d15's repeated 200s, which tshark flags with sip.resend over UDP only).
declare -A FLOW=(
  [d01]="A>B:INVITE B>A:100 B>A:180 B>A:200 A>B:ACK A>B:BYE B>A:200"
  [d02]="A>B:INVITE B>A:407 A>B:ACK A>B:INVITE B>A:100 B>A:407 A>B:ACK"
  [d03]="A>B:INVITE B>A:100 B>A:486 A>B:ACK"
  [d04]="A>B:INVITE B>A:100 B>A:180 B>A:480 A>B:ACK"
  [d05]="A>B:INVITE B>A:100 B>A:180 A>B:CANCEL B>A:200 B>A:487 A>B:ACK"
  [d06]="A>B:INVITE B>A:100 B>A:180 A>B:CANCEL B>A:200 B>A:487 A>B:ACK"
  [d07]="A>B:INVITE B>A:100 B>A:180 B>A:603 A>B:ACK"
  [d08]="A>B:INVITE B>A:100 B>A:404 A>B:ACK"
  [d09]="A>B:INVITE B>A:488 A>B:ACK"
  [d10]="A>B:INVITE B>A:100 B>A:503 A>B:ACK"
  [d11]="A>B:INVITE B>A:302 A>B:ACK"
  [d12]="A>B:INVITE B>A:100 B>A:482 A>B:ACK"
  [d13]="A>B:INVITE u:A>B:INVITE(resend) u:A>B:INVITE(resend) u:A>B:INVITE(resend) u:A>B:INVITE(resend)"
  [d14]="A>B:INVITE B>A:100 B>A:180"
  [d15]="A>B:INVITE B>A:100 B>A:180 B>A:200 u:B>A:200(resend) t:B>A:200 u:B>A:200(resend) t:B>A:200 u:B>A:200(resend) t:B>A:200 u:B>A:200(resend) t:B>A:200 u:B>A:200(resend) t:B>A:200 u:B>A:200(resend) t:B>A:200 u:B>A:200(resend) t:B>A:200 u:B>A:200(resend) t:B>A:200 u:B>A:200(resend) t:B>A:200 B>A:BYE A>B:200"
  [d16]="B>A:100 B>A:180 B>A:408 A>B:ACK"
  [d17]="A>B:INVITE B>A:100 B>A:180 B>A:200 A>B:ACK A>B:BYE B>A:481"
  [d18]="A>B:INVITE B>A:100 B>A:180 B>A:200 A>B:ACK A>B:BYE u:A>B:BYE(resend) u:A>B:BYE(resend) u:A>B:BYE(resend) u:A>B:BYE(resend)"
  [d19]="A>B:INVITE B>A:100 B>A:180 B>A:200 A>B:ACK A>B:BYE B>A:200"
  [d20]="A>B:REGISTER B>A:401 A>B:REGISTER B>A:200"
  [d21]="A>B:REGISTER B>A:401 A>B:REGISTER B>A:401"
  [d22]="A>B:REGISTER B>A:403"
  [d23]="A>B:REGISTER B>A:404"
  [d24]="A>B:REGISTER u:A>B:REGISTER(resend) u:A>B:REGISTER(resend) u:A>B:REGISTER(resend) u:A>B:REGISTER(resend)"
  [d26]="A>B:INVITE B>A:483 A>B:ACK"
  [d25]="A>D:OPTIONS D>A:200 A>B:INVITE u:A>B:INVITE(resend) B>A:100 B>A:180 B>A:200 A>B:ACK A>B:BYE B>A:200 A>D:OPTIONS D>A:200"
)

# Extra checks, one per line: COUNT<TAB>DISPLAY FILTER — the number of frames that match.
declare -A CHECKS=(
  [d01]=$'1\tsip.Method == "BYE" && sip.reason_cause_q850 == 16\n1\tsip.Method == "INVITE" && sdp.mime.type == "G729"'
  [d02]=$'1\tsip.Method == "INVITE" && sip.Proxy-Authorization contains "username=\\"alice\\""\n2\tsip.Status-Code == 407 && sip.Proxy-Authenticate contains "realm=\\"sipvi.test\\""'
  [d03]=$'1\tsip.Status-Code == 486 && sip.reason_cause_q850 == 17'
  [d04]=$'1\tsip.Status-Code == 480 && sip.reason_cause_q850 == 19\n0\tsip.Method == "CANCEL"'
  [d05]=$'1\tsip.Method == "CANCEL" && !sip.Reason'
  [d06]=$'1\tsip.Method == "CANCEL" && sip.reason_cause_sip == 200 && sip.reason_text == "Call completed elsewhere"'
  [d07]=$'1\tsip.Status-Code == 603 && sip.reason_cause_q850 == 21'
  [d09]=$'1\tsip.Status-Code == 488 && sip.Warning contains "305 127.0.12.2"\n1\tsip.Method == "INVITE" && sdp.mime.type == "G729" && sdp.mime.type == "PCMA"'
  [d10]=$'1\tsip.Status-Code == 503 && sip.Retry-After == 60 && sip.Reason contains "Q.850;cause=41"'
  [d11]=$'1\tsip.Status-Code == 302 && sip.contact.uri contains "bob@127.0.12.3:5060"'
  [d14]=$'0\tsip.Status-Code >= 200\n0\tsip.Method == "CANCEL" || sip.Method == "ACK"'
  [d15]=$'0\tsip.Method == "ACK"\n1\tsip.Method == "BYE" && sip.reason_cause_sip == 408'
  [d16]=$'0\tsip.Method == "INVITE"\n1\tsip.Status-Code == 408'
  [d17]=$'1\tsip.Method == "BYE" && sip.Reason contains "SIP;cause=500" && sip.Reason contains "Q.850;cause=41"'
  [d18]=$'0\tsip.Status-Code && sip.CSeq.method == "BYE"'
  [d19]=$'1\tsip.Status-Code == 200 && sdp.connection_info.address == "192.168.1.20" && ip.src == 127.0.12.2\n0\tip.addr == 192.168.1.20'
  [d20]=$'1\tsip.Method == "REGISTER" && sip.Authorization contains "username=\\"alice\\""'
  [d21]=$'1\tsip.Method == "REGISTER" && sip.Authorization contains "username=\\"alice\\""'
  [d22]=$'0\tsip.WWW-Authenticate'
  [d23]=$'0\tsip.WWW-Authenticate'
  [d25]=$'2\tsip.Method == "OPTIONS"'
  [d26]=$'2\tsip.Max-Forwards == 0\n1\tsip.Status-Code == 483'
)

# After recording: a step that edits the raw capture (IN OUT).
post_d16() {
  # The INVITE "was not captured": delete the frames carrying it (UDP: one; TCP: its segment).
  local frames
  frames=$(tshark -r "$1" -Y 'sip.Method == "INVITE"' -T fields -e frame.number 2>/dev/null | tr '\n' ' ')
  [ -n "$frames" ] || rec_die "d16: no INVITE frame to delete"
  # shellcheck disable=SC2086
  editcap "$1" "$2" $frames >/dev/null
  echo "   d16: deleted INVITE frame(s) $frames"
}

rec_need sipp dumpcap tshark editcap mergecap ss timeout python3
REC_WORK=$(mktemp -d /tmp/sipvi-diag.XXXXXX)
trap rec_cleanup EXIT
mkdir -p "$OUT_DIR"

flow_of() {
  rec_sip_frames "$1" | awk -F'\t' -v A="$A_IP" -v B="$B_IP" -v D="$D_IP" '
    function who(ip) { return ip == A ? "A" : ip == B ? "B" : ip == D ? "D" : ip }
    { t = who($2) ">" who($4) ":" $6
      if ($8 == "1" || $8 == "True") t = t "(resend)"
      printf "%s%s", (NR > 1 ? " " : ""), t }'
}

want_flow() {   # want_flow SCENARIO TRANSPORT
  local t out=""
  for t in ${FLOW[$1]}; do
    case $t in
      u:*) [ "$2" = udp ] && out="$out ${t#u:}" ;;
      t:*) [ "$2" = tcp ] && out="$out ${t#t:}" ;;
      *) out="$out $t" ;;
    esac
  done
  echo "${out# }"
}

record_one() {
  local sc=$1 tr=$2
  [ -n "${NAME[$sc]+x}" ] || rec_die "unknown scenario '$sc' (known: ${ALL[*]})"
  local name="$sc-${NAME[$sc]}-$tr"
  local d="$REC_WORK/$name" raw out="$OUT_DIR/$name.pcapng"
  local topt=u1 spec kind ip m tag rc p cids="" pids=()
  [ "$tr" = tcp ] && topt=t1
  mkdir -p "$d"
  raw="$d/raw.pcapng"
  echo "== $name"
  rec_bound "$tr" "$B_IP" "$SIP_PORT" && rec_die "$B_IP:$SIP_PORT ($tr) is in use"
  rec_bound "$tr" "$D_IP" "$SIP_PORT" && rec_die "$D_IP:$SIP_PORT ($tr) is in use"

  rec_capture_start "$raw" "$CAPTURE_FILTER" \
    "sipvi diagnosis capture $name, recorded by tests/captures/diagnosis/record.sh"

  for spec in ${UAS[$sc]:-uas-$sc@$B_IP}; do
    IFS=@ read -r kind ip m <<<"$spec"
    mkdir -p "$d/$kind"
    if [ "$kind" = silent ]; then
      python3 "$SCRIPT_DIR/silent.py" "$tr" "$ip" "$SIP_PORT" "$SILENT_SECONDS" >"$d/silent.log" 2>&1 &
    else
      [ -f "$SCEN_DIR/$kind.xml" ] || rec_die "missing scenario $kind.xml"
      (cd "$d/$kind" && exec timeout "$HARD_TIMEOUT" sipp -sf "$SCEN_DIR/$kind.xml" -t "$topt" \
          -i "$ip" -p "$SIP_PORT" -m "${m:-1}" -timeout 50s -timeout_error -nostdin -trace_err \
          >"$d/$kind.log" 2>&1) &
    fi
    pids+=("$!"); REC_PIDS+=("$!")
    rec_wait_bound "$tr" "$ip" "$SIP_PORT" "$!" || { rec_show_logs "$d"; rec_die "$kind did not bind $ip:$SIP_PORT"; }
  done

  for spec in ${UAC[$sc]:-uac-$sc@$B_IP@$sc}; do
    IFS=@ read -r kind ip tag <<<"$spec"
    [ -f "$SCEN_DIR/$kind.xml" ] || rec_die "missing scenario $kind.xml"
    cids="$cids sipvi-diag-$tag-$tr-1@$A_IP"
    mkdir -p "$d/$kind-$tag"
    rc=0
    # shellcheck disable=SC2086
    (cd "$d/$kind-$tag" && exec timeout "$HARD_TIMEOUT" sipp "$ip:$SIP_PORT" -sf "$SCEN_DIR/$kind.xml" \
        -t "$topt" -i "$A_IP" -p "$A_PORT" -s bob -au alice -ap sipvi-secret \
        -cid_str "sipvi-diag-$tag-$tr-%u@$A_IP" ${UAC_OPTS[$sc]:-} \
        -m 1 -timeout 50s -timeout_error -nostdin -trace_err \
        >"$d/$kind-$tag.log" 2>&1) || rc=$?
    [ "$rc" -eq "${UAC_RC[$sc]:-0}" ] || { rec_show_logs "$d"; rec_die "UAC $kind failed for $name (exit $rc)"; }
  done

  for p in "${pids[@]}"; do
    rc=0
    wait "$p" || rc=$?
    [ "$rc" -eq "${UAS_RC[$sc/$tr]:-0}" ] || { rec_show_logs "$d"; rec_die "a UAS failed for $name (exit $rc)"; }
  done
  rec_capture_stop

  if declare -F "post_$sc" >/dev/null; then
    "post_$sc" "$raw" "$d/post.pcapng"
    raw="$d/post.pcapng"
  fi

  local got want
  got=$(flow_of "$raw"); want=$(want_flow "$sc" "$tr")
  if [ "$got" != "$want" ]; then
    echo "expected: $want" >&2
    echo "got:      $got" >&2
    rec_show_logs "$d"
    rec_die "$name: the capture does not hold the expected flow (timing? stray traffic?) — re-run"
  fi
  # shellcheck disable=SC2086 # split on purpose
  want=$(echo $cids | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
  got=$(tshark -r "$raw" -T fields -e sip.Call-ID 2>/dev/null | grep -v '^$' | sort -u | tr '\n' ' ' | sed 's/ $//')
  [ "$got" = "$want" ] || rec_die "$name: Call-IDs are '$got', expected '$want'"

  local count filter n
  while IFS=$'\t' read -r count filter; do
    [ -n "$filter" ] || continue
    n=$(tshark -r "$raw" -Y "$filter" 2>/dev/null | wc -l)
    [ "$n" -eq "$count" ] || rec_die "$name: $n frame(s) match '$filter', expected $count"
  done <<<"${CHECKS[$sc]:-}"

  install -m 0644 "$raw" "$out"
  echo "   wrote $out ($(tshark -r "$out" 2>/dev/null | wc -l) frames)"
}

# all-diagnoses.pcapng: every dNN capture (UDP then TCP of each), then g16 (generated), one
# after the other, each shifted to start 1 s after the previous one ends. The bad-input
# captures (bNN) stay out.
merge_all() {
  local files=() sc tr
  for sc in "${ALL[@]}"; do
    for tr in udp tcp; do
      files+=("$OUT_DIR/$sc-${NAME[$sc]}-$tr.pcapng")
      [ -f "${files[-1]}" ] || rec_die "all-diagnoses needs ${files[-1]}"
    done
  done
  # the generated invite_missing capture (generate.py) last
  files+=("$OUT_DIR/g16-invite_missing-udp.pcap")
  [ -f "${files[-1]}" ] || rec_die "all-diagnoses needs ${files[-1]} (run generate.py)"
  echo "== all-diagnoses: ${#files[@]} captures, 1 s apart"
  rec_merge_shifted "$OUT_DIR/all-diagnoses.pcapng" 1 \
    "sipvi diagnosis captures d01-d26 (UDP, TCP) and g16 merged by tests/captures/diagnosis/record.sh, each shifted to start 1 s after the previous one ends" \
    "${files[@]}"
}

if [ $# -eq 0 ]; then
  set --
  for sc in "${ALL[@]}"; do set -- "$@" "$sc/udp" "$sc/tcp"; done
  set -- "$@" all-diagnoses
fi
for arg in "$@"; do
  case $arg in
    all-diagnoses) merge_all ;;
    */udp|*/tcp) record_one "${arg%/*}" "${arg#*/}" ;;
    *) record_one "$arg" udp; record_one "$arg" tcp ;;
  esac
done
