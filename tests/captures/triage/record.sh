#!/usr/bin/env bash
# record.sh — record the call-failure triage captures of sipvi's tests with sipp (and
# kamailio as a proxy for t06, t11, t12, t13) on loopback.
#
# Usage:   sudo tests/captures/triage/record.sh [CALL...]
#          CALL is t01 ... t14 or all-calls (default: every call, then all-calls).
#          all-calls only re-merges the tNN-*.pcapng files already in OUT_DIR.
#          OUT_DIR=/some/dir tests/captures/triage/record.sh   writes there instead of
#          next to this script.
#
# Needs:   sipp (Debian sip-tester 3.6.x), kamailio 5.6 (Debian package kamailio; only for
#          t06 t11 t12 t13), dumpcap, tshark, editcap, mergecap (Wireshark 4.0), iproute2's
#          ss, and the right to capture on "lo" (root). Nothing else may listen on UDP ports
#          5060 or 5070 (on any address).
#
# Addresses (all on lo):
#   A  127.0.0.1:5070  sipp UAC (every call; From sip:alice@127.0.0.1:5070)
#   B  127.0.0.1:5060  sipp UAS (the callee, or the redirect server in t09)
#   P  127.0.0.2:5060  kamailio proxy (kamailio.cfg; t06 t11 t12 t13)
#   C  127.0.0.3:5060  second sipp UAS, the target of t09's 302
#
# For each CALL it:
#   1. starts kamailio if the call goes through the proxy (kamailio.cfg, 1 worker),
#   2. starts dumpcap on lo with the capture filter "udp port 5060 or udp port 5070",
#   3. starts the sipp UAS(es) (scenarios/uas-*.xml) in the background,
#   4. runs the sipp UAC(s) (scenarios/uac-*.xml) in the foreground, one after the other,
#      every sipp with -m 1, a 10 s global timeout and inside `timeout 20`,
#   5. stops dumpcap and kamailio, checks with tshark that the capture holds exactly the
#      expected flow, hop by hop (FLOW below: which address sent what to which, and which
#      frame tshark flags as a SIP retransmission), exactly the expected Call-IDs and the
#      expected Reason/Warning/... headers (CHECKS below), then writes tNN-*.pcapng.
# A run that does not give exactly that flow fails; just run it again.
#
# Call-IDs are sipvi-triage-tNN-1@127.0.0.1 (t09's second call: sipvi-triage-t09b-1@...),
# fixed through -cid_str. Branches, tags and SDP of the sipp messages are literal, and
# kamailio's own branches and To-tags came out the same in two recordings, so the SIP text
# is the same on every run except the nonce of kamailio's 407 (it carries a timestamp) and
# so the nonce and digest response of t06's second INVITE. Timestamps, IP IDs, checksums
# and the pcapng header (OS, hardware) always change.
#
# Kills only what it started, by pid. The test suite never runs this script; it reads the
# committed captures. After re-recording, regenerate the tables of README.md with
#   python3 tests/captures/triage/summarize.py tests/captures/triage
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib/recording.sh
. "$SCRIPT_DIR/../lib/recording.sh"   # rec_show_logs, rec_merge_shifted (its own cleanup stays here)
# shellcheck disable=SC2034 # read by the library
REC_NAME=record.sh
SCEN_DIR="$SCRIPT_DIR/scenarios"
KAM_CFG="$SCRIPT_DIR/kamailio.cfg"
OUT_DIR=${OUT_DIR:-$SCRIPT_DIR}

UAC_IP=127.0.0.1
UAC_PORT=5070
UAS_IP=127.0.0.1
PROXY_IP=127.0.0.2
REDIR_IP=127.0.0.3
SIP_PORT=5060
CAPTURE_FILTER="udp port $SIP_PORT or udp port $UAC_PORT"
SIPP_TIMEOUT=10s   # sipp's own global timeout (-timeout)
HARD_TIMEOUT=20    # coreutils timeout around every sipp run, in seconds
GAP_SECONDS=1      # all-calls: gap between the end of one capture and the start of the next

ALL_CALLS=(t01 t02 t03 t04 t05 t06 t07 t08 t09 t10 t11 t12 t13 t14)

# Output file name (without .pcapng).
declare -A NAME=(
  [t01]=t01-200 [t02]=t02-486-q850 [t03]=t03-480-noanswer [t04]=t04-408
  [t05]=t05-487-cancel [t06]=t06-407-200 [t07]=t07-603-decline [t08]=t08-503-retry
  [t09]=t09-302-redirect [t10]=t10-no-final [t11]=t11-404-unknown-user
  [t12]=t12-483-too-many-hops [t13]=t13-retransmission [t14]=t14-warning
)

# Callee user (sipp -s): kamailio.cfg acts on it.
declare -A CALLEE=( [t11]=nobody [t13]=carol )   # default: bob

# Calls that go through kamailio.
declare -A VIA_PROXY=( [t06]=1 [t11]=1 [t12]=1 [t13]=1 )

# UAS(es) started in the background: SCENARIO@IP (port 5060). None for t11/t12, which
# kamailio answers itself.
declare -A UAS=(
  [t01]="uas-t01@$UAS_IP" [t02]="uas-t02@$UAS_IP" [t03]="uas-t03@$UAS_IP"
  [t04]="uas-t04@$UAS_IP" [t05]="uas-t05@$UAS_IP" [t06]="uas-t06@$UAS_IP"
  [t07]="uas-t07@$UAS_IP" [t08]="uas-t08@$UAS_IP"
  [t09]="uas-t09@$UAS_IP uas-t09b@$REDIR_IP"
  [t10]="uas-t10@$UAS_IP" [t11]="" [t12]="" [t13]="uas-t13@$UAS_IP" [t14]="uas-t14@$UAS_IP"
)

# UAC run(s), one after the other: SCENARIO@TARGET_IP (port 5060). The scenario name
# (minus "uac-") makes the Call-ID: sipvi-triage-<name>-1@127.0.0.1.
declare -A UAC=(
  [t01]="uac-t01@$UAS_IP" [t02]="uac-t02@$UAS_IP" [t03]="uac-t03@$UAS_IP"
  [t04]="uac-t04@$UAS_IP" [t05]="uac-t05@$UAS_IP" [t06]="uac-t06@$PROXY_IP"
  [t07]="uac-t07@$UAS_IP" [t08]="uac-t08@$UAS_IP"
  [t09]="uac-t09@$UAS_IP uac-t09b@$REDIR_IP"
  [t10]="uac-t10@$UAS_IP" [t11]="uac-t11@$PROXY_IP" [t12]="uac-t12@$PROXY_IP"
  [t13]="uac-t13@$PROXY_IP" [t14]="uac-t14@$UAS_IP"
)

# Expected flow, one token per frame: FROM>TO:WHAT, WHAT being the request method or the
# status code, with "(resend)" when tshark flags the frame as a SIP retransmission
# (sip.resend). A B P C are the addresses listed at the top.
declare -A FLOW=(
  [t01]="A>B:INVITE B>A:100 B>A:180 B>A:200 A>B:ACK A>B:BYE B>A:200"
  [t02]="A>B:INVITE B>A:100 B>A:486 A>B:ACK"
  [t03]="A>B:INVITE B>A:100 B>A:180 B>A:480 A>B:ACK"
  [t04]="A>B:INVITE B>A:100 B>A:408 A>B:ACK"
  [t05]="A>B:INVITE B>A:100 B>A:180 A>B:CANCEL B>A:200 B>A:487 A>B:ACK"
  [t06]="A>P:INVITE P>A:407 A>P:ACK A>P:INVITE P>A:100 P>B:INVITE B>P:100 B>P:180 P>A:180 B>P:200 P>A:200 A>P:ACK P>B:ACK A>P:BYE P>B:BYE B>P:200 P>A:200"
  [t07]="A>B:INVITE B>A:100 B>A:180 B>A:603 A>B:ACK"
  [t08]="A>B:INVITE B>A:503 A>B:ACK"
  [t09]="A>B:INVITE B>A:302 A>B:ACK A>C:INVITE C>A:200 A>C:ACK A>C:BYE C>A:200"
  [t10]="A>B:INVITE B>A:100 B>A:180"
  [t11]="A>P:INVITE P>A:404 A>P:ACK"
  [t12]="A>P:INVITE P>A:483 A>P:ACK"
  [t13]="A>P:INVITE P>B:INVITE A>P:INVITE(resend) B>P:100 B>P:180 P>A:180 B>P:200 P>A:200 A>P:ACK P>B:ACK A>P:BYE P>B:BYE B>P:200 P>A:200"
  [t14]="A>B:INVITE B>A:488 A>B:ACK"
)

# Extra checks, one per line: COUNT<TAB>DISPLAY FILTER — the number of frames that match.
declare -A CHECKS=(
  [t01]=$'1\tsip.Method == "BYE" && sip.reason_cause_q850 == 16 && sip.reason_text == "Normal call clearing"'
  [t02]=$'1\tsip.Status-Code == 486 && sip.reason_cause_q850 == 17\n1\tsip.reason_protocols'
  [t03]=$'1\tsip.Status-Code == 480 && sip.reason_cause_q850 == 19 && !sip.reason_text\n1\tsip.reason_protocols'
  [t04]=$'1\tsip.Status-Code == 408 && sip.reason_cause_q850 == 18\n1\tsip.reason_protocols'
  [t05]=$'1\tsip.Method == "CANCEL" && sip.reason_cause_sip == 200 && sip.reason_text == "Call completed elsewhere"\n0\tsip.reason_cause_q850'
  [t06]=$'1\tsip.Status-Code == 407 && sip.Proxy-Authenticate contains "realm=\\"sipvi.test\\""\n1\tsip.Method == "INVITE" && sip.Proxy-Authorization contains "username=\\"alice\\""\n2\tsip.Record-Route.uri contains "127.0.0.2" && sip.Status-Code == 200 && sip.CSeq.method == "INVITE"'
  [t07]=$'1\tsip.Status-Code == 603 && sip.reason_cause_q850 == 21\n1\tsip.reason_protocols'
  [t08]=$'1\tsip.Status-Code == 503 && sip.Retry-After == 120 && sip.reason_cause_q850 == 34'
  [t09]=$'1\tsip.Status-Code == 302 && sip.contact.uri contains "bob@127.0.0.3:5060"\n2\tsip.Method == "INVITE"'
  [t10]=$'0\tsip.Status-Code >= 200\n0\tsip.Method == "CANCEL" || sip.Method == "ACK"'
  [t11]=$'1\tsip.Status-Code == 404 && sip.to.user == "nobody"\n1\tsip.Method == "INVITE" && sip.r-uri.user == "nobody"'
  [t12]=$'1\tsip.Method == "INVITE" && sip.Max-Forwards == 0\n1\tsip.Status-Code == 483'
  [t13]=$'1\tsip.resend == 1\n2\tsip.Method == "INVITE" && ip.dst == 127.0.0.2 && sip.Via.branch == "z9hG4bK-sipvi-t13-1"'
  [t14]=$'1\tsip.Warning\n1\tsip.Status-Code == 488 && sip.Warning contains "305 127.0.0.1 \\"Incompatible media format\\"" && sip.Warning contains "370 127.0.0.1 \\"Insufficient bandwidth\\""'
)

die() { echo "record.sh: $*" >&2; exit 1; }

for tool in sipp dumpcap tshark editcap mergecap ss timeout; do
  command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
done
[ -d "$SCEN_DIR" ] || die "no scenario directory $SCEN_DIR"
mkdir -p "$OUT_DIR"

port_busy() { ss -Hlun "sport = :$1" | grep -q .; }
bound() { ss -Hlun "sport = :$2" | awk '{ print $4 }' | grep -qx "$1:$2"; }

WORK=$(mktemp -d /tmp/sipvi-triage.XXXXXX)
DC_PID=""
KAM_CREATOR=""
KAM_PIDFILE=""
UAS_PIDS=()

stop_kamailio() {
  # kamailio -DD: the process we started (the creator) waits for the main process it
  # forked, whose pid is in the pid file; SIGTERM to that main process stops its workers.
  local main=""
  if [ -n "$KAM_PIDFILE" ] && [ -s "$KAM_PIDFILE" ]; then main=$(cat "$KAM_PIDFILE"); fi
  if [ -n "$main" ] && kill -0 "$main" 2>/dev/null; then kill -TERM "$main" 2>/dev/null || true; fi
  if [ -n "$KAM_CREATOR" ]; then
    local _
    for _ in $(seq 1 50); do kill -0 "$KAM_CREATOR" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$KAM_CREATOR" 2>/dev/null; then kill -TERM "$KAM_CREATOR" 2>/dev/null || true; fi
    wait "$KAM_CREATOR" 2>/dev/null || true
  fi
  KAM_CREATOR=""
  KAM_PIDFILE=""
}

cleanup() {
  # Only the processes this script started, by their pid.
  local p
  for p in "${UAS_PIDS[@]}"; do
    if kill -0 "$p" 2>/dev/null; then kill "$p" 2>/dev/null || true; fi
  done
  if [ -n "$DC_PID" ] && kill -0 "$DC_PID" 2>/dev/null; then kill -INT "$DC_PID" 2>/dev/null || true; fi
  stop_kamailio
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT


# One token per frame, see FLOW.
flow_of() {
  tshark -r "$1" -T fields -E separator=/t \
      -e ip.src -e udp.srcport -e ip.dst -e udp.dstport -e sip.Method -e sip.Status-Code -e sip.resend 2>/dev/null |
    awk -F'\t' '
      function who(ip, port) {
        if (ip == "127.0.0.1" && port == 5070) return "A"
        if (ip == "127.0.0.1" && port == 5060) return "B"
        if (ip == "127.0.0.2" && port == 5060) return "P"
        if (ip == "127.0.0.3" && port == 5060) return "C"
        return ip ":" port
      }
      {
        what = ($5 != "" ? $5 : ($6 != "" ? $6 : "?"))
        if ($7 == "1" || $7 == "True") what = what "(resend)"
        printf "%s%s>%s:%s", (NR > 1 ? " " : ""), who($1, $2), who($3, $4), what
      }'
}

# Distinct Call-IDs, sorted, space-separated.
call_ids_of() {
  tshark -r "$1" -T fields -e sip.Call-ID 2>/dev/null | sort -u | grep -v '^$' | tr '\n' ' ' | sed 's/ $//'
}

start_kamailio() {
  local d=$1 _
  [ -f "$KAM_CFG" ] || die "no $KAM_CFG"
  command -v kamailio >/dev/null 2>&1 || die "missing tool: kamailio (apt-get install kamailio)"
  mkdir -p "$d/kamailio-run"
  KAM_PIDFILE="$d/kamailio.pid"
  (cd "$d" && exec kamailio -f "$KAM_CFG" -DD -E -m 32 -M 4 -Y "$d/kamailio-run" \
      -P "$KAM_PIDFILE" -w "$d" >"$d/kamailio.log" 2>&1) &
  KAM_CREATOR=$!
  for _ in $(seq 1 50); do
    { [ -s "$KAM_PIDFILE" ] && port_busy "$SIP_PORT"; } && break
    kill -0 "$KAM_CREATOR" 2>/dev/null || { rec_show_logs "$d"; die "kamailio exited early"; }
    sleep 0.1
  done
  { [ -s "$KAM_PIDFILE" ] && port_busy "$SIP_PORT"; } || { rec_show_logs "$d"; die "kamailio did not bind $PROXY_IP:$SIP_PORT"; }
  sleep 0.5   # let its workers settle
}

record_one() {
  local call=$1
  [ -n "${NAME[$call]+x}" ] || die "unknown call '$call' (known: ${ALL_CALLS[*]} all-calls)"
  local name=${NAME[$call]}
  local out="$OUT_DIR/$name.pcapng"
  local d="$WORK/$call"
  local raw="$d/raw.pcapng"
  local callee=${CALLEE[$call]:-bob}
  local spec scen ip _ rc p expected_cids=""

  for spec in ${UAS[$call]} ${UAC[$call]}; do
    [ -f "$SCEN_DIR/${spec%@*}.xml" ] || die "missing scenario $SCEN_DIR/${spec%@*}.xml"
  done
  port_busy "$SIP_PORT" && die "UDP port $SIP_PORT is in use"
  port_busy "$UAC_PORT" && die "UDP port $UAC_PORT is in use"
  mkdir -p "$d"

  echo "== $name: ${FLOW[$call]}"

  # 1. proxy
  if [ -n "${VIA_PROXY[$call]+x}" ]; then start_kamailio "$d"; fi

  # 2. capture
  dumpcap -q -i lo -f "$CAPTURE_FILTER" -w "$raw" \
    --capture-comment "sipvi triage capture $name, recorded by tests/captures/triage/record.sh" \
    >"$d/dumpcap.log" 2>&1 &
  DC_PID=$!
  for _ in $(seq 1 50); do
    grep -q "^File:" "$d/dumpcap.log" 2>/dev/null && break
    kill -0 "$DC_PID" 2>/dev/null || { rec_show_logs "$d"; die "dumpcap exited early"; }
    sleep 0.1
  done
  grep -q "^File:" "$d/dumpcap.log" || { rec_show_logs "$d"; die "dumpcap did not start"; }
  sleep 0.5   # let the capture filter settle before the first packet

  # 3. UAS(es) in the background (sipp writes its -trace_err files into the cwd)
  UAS_PIDS=()
  for spec in ${UAS[$call]}; do
    scen=${spec%@*}; ip=${spec#*@}
    mkdir -p "$d/$scen"
    (cd "$d/$scen" && exec timeout "$HARD_TIMEOUT" sipp -sf "$SCEN_DIR/$scen.xml" -i "$ip" -p "$SIP_PORT" \
        -m 1 -timeout "$SIPP_TIMEOUT" -timeout_error -nostdin -trace_err \
        >"$d/$scen.log" 2>&1) &
    UAS_PIDS+=("$!")
    for _ in $(seq 1 50); do
      bound "$ip" "$SIP_PORT" && break
      kill -0 "$!" 2>/dev/null || { rec_show_logs "$d"; die "UAS $scen exited early"; }
      sleep 0.1
    done
    bound "$ip" "$SIP_PORT" || { rec_show_logs "$d"; die "UAS $scen did not bind $ip:$SIP_PORT"; }
  done

  # 4. UAC run(s) in the foreground, one after the other
  for spec in ${UAC[$call]}; do
    scen=${spec%@*}; ip=${spec#*@}
    expected_cids="$expected_cids sipvi-triage-${scen#uac-}-1@$UAC_IP"
    mkdir -p "$d/$scen"
    rc=0
    (cd "$d/$scen" && exec timeout "$HARD_TIMEOUT" sipp "$ip:$SIP_PORT" -sf "$SCEN_DIR/$scen.xml" \
        -i "$UAC_IP" -p "$UAC_PORT" -s "$callee" -au alice -ap sipvi-secret \
        -cid_str "sipvi-triage-${scen#uac-}-%u@$UAC_IP" \
        -m 1 -timeout "$SIPP_TIMEOUT" -timeout_error -nostdin -trace_err \
        >"$d/$scen.log" 2>&1) || rc=$?
    [ "$rc" -eq 0 ] || { rec_show_logs "$d"; die "UAC $scen failed for $name (exit $rc)"; }
  done

  for p in "${UAS_PIDS[@]}"; do
    rc=0
    wait "$p" || rc=$?
    [ "$rc" -eq 0 ] || { rec_show_logs "$d"; die "a UAS sipp failed for $name (exit $rc)"; }
  done
  UAS_PIDS=()

  # 5. stop the capture and the proxy, check the capture
  sleep 0.5
  kill -INT "$DC_PID"
  wait "$DC_PID" || true
  DC_PID=""
  stop_kamailio

  local got
  got=$(flow_of "$raw")
  if [ "$got" != "${FLOW[$call]}" ]; then
    echo "expected: ${FLOW[$call]}" >&2
    echo "got:      $got" >&2
    rec_show_logs "$d"
    die "$name: the capture does not hold the expected flow (timing? stray traffic?) — re-run"
  fi
  expected_cids=$(echo $expected_cids | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
  got=$(call_ids_of "$raw")
  [ "$got" = "$expected_cids" ] || die "$name: Call-IDs are '$got', expected '$expected_cids'"

  local count filter n
  while IFS=$'\t' read -r count filter; do
    [ -n "$filter" ] || continue
    n=$(tshark -r "$raw" -Y "$filter" 2>/dev/null | wc -l)
    [ "$n" -eq "$count" ] || die "$name: $n frame(s) match '$filter', expected $count"
  done <<<"${CHECKS[$call]:-}"

  install -m 0644 "$raw" "$out"
  echo "   wrote $out ($(tshark -r "$out" 2>/dev/null | wc -l) frames)"
}

# all-calls.pcapng: every tNN capture, in call order, shifted (editcap -t) so that each
# starts GAP_SECONDS after the last frame of the one before; the first keeps its time.
merge_all() {
  local call f inputs=()
  echo "== all-calls: ${ALL_CALLS[*]}, ${GAP_SECONDS} s apart"
  for call in "${ALL_CALLS[@]}"; do
    f="$OUT_DIR/${NAME[$call]}.pcapng"
    [ -f "$f" ] || die "all-calls needs $f (record $call first)"
    inputs+=("$f")
  done
  rec_merge_shifted "$OUT_DIR/all-calls.pcapng" "$GAP_SECONDS" \
    "sipvi triage captures t01-t14 merged by tests/captures/triage/record.sh (each shifted to start ${GAP_SECONDS} s after the previous one ends)" \
    "${inputs[@]}"
}

if [ $# -eq 0 ]; then set -- "${ALL_CALLS[@]}" all-calls; fi
for call in "$@"; do
  if [ "$call" = all-calls ]; then merge_all; else record_one "$call"; fi
done

echo "done. Check with: tshark -r FILE -T fields -e frame.number -e sip.Method -e sip.Status-Code -e sip.CSeq.method -e sip.Call-ID -e sip.reason_cause_q850 -e sip.Warning"
