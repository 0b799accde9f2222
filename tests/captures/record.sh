#!/usr/bin/env bash
# record.sh — re-record the real SIP call captures of sipvi's tests with sipp on loopback.
#
# Usage:   sudo tests/captures/record.sh [CALL...]
#          CALL is one of: 200 486 404 407-200 487-cancel 503 (default: all of them).
#          OUT_DIR=/some/dir tests/captures/record.sh   writes the captures there instead
#          of next to this script.
#
# Needs:   sipp (Debian package sip-tester, 3.6.x), dumpcap and tshark (Wireshark 4.0),
#          iproute2's ss, and the right to capture on "lo" (root, or dumpcap with
#          cap_net_raw,cap_net_admin). Nothing else may use UDP ports 5060/5070.
#
# For each CALL it:
#   1. starts dumpcap on lo with the capture filter "udp port 5060 or udp port 5070",
#   2. starts a sipp UAS (scenarios/uas-CALL.xml) on 127.0.0.1:5060 in the background,
#   3. runs a sipp UAC (scenarios/uac-CALL.xml) from 127.0.0.1:5070 against it,
#      both with -m 1 and a 10 s global timeout, so neither can hang,
#   4. stops dumpcap, checks with tshark that the capture holds exactly the expected
#      SIP flow (no retransmissions, nothing else) and writes call-CALL.pcapng.
#
# Branches, tags, Call-IDs (-cid_str), SDP and the digest nonce are fixed, so the SIP
# text is the same on every run; only the timestamps, the IP IDs, the UDP checksums
# tied to them and the pcapng header (OS/hardware) differ between recordings.
# The test suite only reads the committed captures; it never runs this script.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCEN_DIR="$SCRIPT_DIR/scenarios"
OUT_DIR=${OUT_DIR:-$SCRIPT_DIR}

UAS_PORT=5060
UAC_PORT=5070
HOST=127.0.0.1
CAPTURE_FILTER="udp port $UAS_PORT or udp port $UAC_PORT"
SIPP_TIMEOUT=10s   # sipp's own global timeout (-timeout)
HARD_TIMEOUT=20    # coreutils timeout around every sipp run, in seconds

ALL_CALLS=(200 486 404 407-200 487-cancel 503)

# Expected flow of each call, one token per frame: a request method or a status code.
declare -A FLOW=(
  [200]="INVITE 100 180 200 ACK BYE 200"
  [486]="INVITE 100 486 ACK"
  [404]="INVITE 404 ACK"
  [407-200]="INVITE 407 ACK INVITE 100 180 200 ACK BYE 200"
  [487-cancel]="INVITE 100 180 CANCEL 200 487 ACK"
  [503]="INVITE 503 ACK"
)

die() { echo "record.sh: $*" >&2; exit 1; }

for tool in sipp dumpcap tshark ss timeout; do
  command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
done
[ -d "$SCEN_DIR" ] || die "no scenario directory $SCEN_DIR"
mkdir -p "$OUT_DIR"

port_busy() { ss -Hlun "sport = :$1" | grep -q .; }

WORK=$(mktemp -d /tmp/sipvi-record.XXXXXX)
DC_PID=""
UAS_PID=""
cleanup() {
  # Only the processes this script started, by their pid.
  if [ -n "$UAS_PID" ] && kill -0 "$UAS_PID" 2>/dev/null; then kill "$UAS_PID" 2>/dev/null || true; fi
  if [ -n "$DC_PID" ] && kill -0 "$DC_PID" 2>/dev/null; then kill -INT "$DC_PID" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

show_logs() {
  local d=$1 f
  for f in "$d"/*.log; do
    [ -f "$f" ] || continue
    echo "---- $f (last 40 lines)" >&2
    tail -n 40 "$f" >&2 || true
  done
}

# One line per frame: method for requests, status code for responses.
flow_of() {
  tshark -r "$1" -T fields -E separator=/t -e sip.Method -e sip.Status-Code 2>/dev/null |
    awk -F'\t' '{ print ($1 != "" ? $1 : ($2 != "" ? $2 : "?")) }' | tr '\n' ' ' | sed 's/ $//'
}

record_one() {
  local call=$1
  local uas="$SCEN_DIR/uas-$call.xml" uac="$SCEN_DIR/uac-$call.xml"
  local out="$OUT_DIR/call-$call.pcapng"
  local d="$WORK/$call"
  local raw="$d/raw.pcapng"
  local _ rc

  [ -n "${FLOW[$call]+x}" ] || die "unknown call '$call' (known: ${ALL_CALLS[*]})"
  { [ -f "$uas" ] && [ -f "$uac" ]; } || die "missing scenario $uas or $uac"
  port_busy "$UAS_PORT" && die "UDP port $UAS_PORT is in use"
  port_busy "$UAC_PORT" && die "UDP port $UAC_PORT is in use"
  mkdir -p "$d"

  echo "== call-$call: ${FLOW[$call]}"

  # 1. capture
  dumpcap -q -i lo -f "$CAPTURE_FILTER" -w "$raw" \
    --capture-comment "sipvi test capture call-$call, recorded by tests/captures/record.sh" \
    >"$d/dumpcap.log" 2>&1 &
  DC_PID=$!
  for _ in $(seq 1 50); do
    grep -q "^File:" "$d/dumpcap.log" 2>/dev/null && break
    kill -0 "$DC_PID" 2>/dev/null || { show_logs "$d"; die "dumpcap exited early"; }
    sleep 0.1
  done
  grep -q "^File:" "$d/dumpcap.log" || { show_logs "$d"; die "dumpcap did not start"; }
  sleep 0.5   # let the capture filter settle before the first packet

  # 2. UAS in the background (sipp writes its -trace_err files into the cwd)
  (cd "$d" && exec timeout "$HARD_TIMEOUT" sipp -sf "$uas" -i "$HOST" -p "$UAS_PORT" \
      -m 1 -timeout "$SIPP_TIMEOUT" -timeout_error -nostdin -trace_err \
      >"$d/uas.log" 2>&1) &
  UAS_PID=$!
  for _ in $(seq 1 50); do
    port_busy "$UAS_PORT" && break
    kill -0 "$UAS_PID" 2>/dev/null || { show_logs "$d"; die "UAS sipp exited early"; }
    sleep 0.1
  done
  port_busy "$UAS_PORT" || { show_logs "$d"; die "UAS did not bind $HOST:$UAS_PORT"; }

  # 3. UAC in the foreground
  rc=0
  (cd "$d" && exec timeout "$HARD_TIMEOUT" sipp "$HOST:$UAS_PORT" -sf "$uac" -i "$HOST" -p "$UAC_PORT" \
      -s bob -au alice -ap sipvi-secret -cid_str "sipvi-call-$call-%u@$HOST" \
      -m 1 -timeout "$SIPP_TIMEOUT" -timeout_error -nostdin -trace_err \
      >"$d/uac.log" 2>&1) || rc=$?
  [ "$rc" -eq 0 ] || { show_logs "$d"; die "UAC sipp failed for call-$call (exit $rc)"; }

  rc=0
  wait "$UAS_PID" || rc=$?
  UAS_PID=""
  [ "$rc" -eq 0 ] || { show_logs "$d"; die "UAS sipp failed for call-$call (exit $rc)"; }

  # 4. stop the capture and check it
  sleep 0.5
  kill -INT "$DC_PID"
  wait "$DC_PID" || true
  DC_PID=""

  local got
  got=$(flow_of "$raw")
  if [ "$got" != "${FLOW[$call]}" ]; then
    echo "expected: ${FLOW[$call]}" >&2
    echo "got:      $got" >&2
    show_logs "$d"
    die "call-$call: the capture does not hold the expected flow (retransmission? stray traffic?) — re-run"
  fi
  install -m 0644 "$raw" "$out"
  echo "   wrote $out ($(tshark -r "$out" 2>/dev/null | wc -l) frames)"
}

if [ $# -eq 0 ]; then set -- "${ALL_CALLS[@]}"; fi
for call in "$@"; do
  record_one "$call"
done

echo "done. Check with: tshark -r FILE -T fields -e frame.number -e sip.Status-Code -e sip.CSeq.method"
