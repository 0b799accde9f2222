#!/usr/bin/env bash
# record.sh — record tests/bench/ordinary.pcapng.gz, the ordinary-traffic capture of the benchmark
# (tests/bench/run): a PBX's busy half minute, mostly answered calls, with sipp on loopback.
#
# Usage:   sudo tests/bench/ordinary/record.sh        (OUT=/some/file.pcapng.gz to write elsewhere)
#
# Needs:   sipp (Debian sip-tester 3.6.x), dumpcap, tshark (Wireshark 4.0), gzip, iproute2's ss,
#          and the right to capture on "lo" (root). Nothing else may use 127.0.18.0/24.
#
# Addresses (a /24 of lo of its own, "18" for issue 18):
#   phones  127.0.18.1, one UDP port per kind of call (5071-5075): sipp UACs
#   PBX     127.0.18.2-6:5060, one address per kind of call: sipp UASs
#
# The mix, all at once (sipp -r/-rp rates over about 25 s, each call holding for its own random
# time, so the dialogs interleave as they do on a PBX):
#   answered   500 calls  INVITE (SDP), 100, 180, 200 (SDP), ACK, 2-8 s talk, BYE, 200
#   busy        40 calls  INVITE, 100, 486, ACK
#   no answer   20 calls  INVITE, 100, 180, 3-8 s ringing, 480, ACK
#   cancelled   40 calls  INVITE, 100, 180, 2-6 s ringing, CANCEL, 200, 487, ACK
#   register   150        REGISTER, 401 (WWW-Authenticate), REGISTER (Authorization), 200
# about 4,640 frames. The script checks the capture holds exactly those messages (no
# retransmission, nothing else) and fails otherwise: then just run it again. It kills only the
# processes it started, by pid. The benchmark only reads the committed capture.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../../captures/lib/recording.sh
. "$SCRIPT_DIR/../../captures/lib/recording.sh"
# shellcheck disable=SC2034 # read by the library
REC_NAME=bench/ordinary/record.sh
SCEN_DIR="$SCRIPT_DIR/scenarios"
OUT=${OUT:-$SCRIPT_DIR/../ordinary.pcapng.gz}
PHONE=127.0.18.1
HARD_TIMEOUT=120

# kind: PBX address, phone port, calls, sipp -r, -rp (ms)
KINDS=(answered busy noanswer cancel register)
declare -A PBX=([answered]=127.0.18.2 [busy]=127.0.18.3 [noanswer]=127.0.18.4 [cancel]=127.0.18.5
                [register]=127.0.18.6)
declare -A PORT=([answered]=5071 [busy]=5072 [noanswer]=5073 [cancel]=5074 [register]=5075)
declare -A CALLS=([answered]=500 [busy]=40 [noanswer]=20 [cancel]=40 [register]=150)
declare -A RATE=([answered]=20 [busy]=8 [noanswer]=4 [cancel]=8 [register]=6)
declare -A PERIOD=([answered]=1000 [busy]=5000 [noanswer]=5000 [cancel]=5000 [register]=1000)
# Messages per call, for the check.
declare -A FLOW=(
  [answered]="INVITE 100 180 200 ACK BYE 200"
  [busy]="INVITE 100 486 ACK"
  [noanswer]="INVITE 100 180 480 ACK"
  [cancel]="INVITE 100 180 CANCEL 200 487 ACK"
  [register]="REGISTER 401 REGISTER 200"
)

rec_need sipp dumpcap tshark gzip ss timeout
trap rec_cleanup EXIT
REC_WORK=$(mktemp -d /tmp/sipvi-bench-record.XXXXXX)
chmod 755 "$REC_WORK"
raw="$REC_WORK/ordinary.pcapng"

for kind in "${KINDS[@]}"; do
  rec_bound udp "${PBX[$kind]}" 5060 && rec_die "${PBX[$kind]}:5060 is in use"
  rec_bound udp "$PHONE" "${PORT[$kind]}" && rec_die "$PHONE:${PORT[$kind]} is in use"
done

rec_capture_start "$raw" "net 127.0.18.0/24" \
  "sipvi ordinary-traffic benchmark capture, recorded by tests/bench/ordinary/record.sh"

for kind in "${KINDS[@]}"; do
  mkdir -p "$REC_WORK/$kind"
  (cd "$REC_WORK/$kind" && exec timeout "$HARD_TIMEOUT" sipp -sf "$SCEN_DIR/uas-$kind.xml" \
      -i "${PBX[$kind]}" -p 5060 -m "${CALLS[$kind]}" -timeout 100s -timeout_error -nostdin \
      -trace_err >uas.log 2>&1) &
  pid=$!
  REC_PIDS+=("$pid")
  rec_wait_bound udp "${PBX[$kind]}" 5060 "$pid" || { rec_show_logs "$REC_WORK/$kind"; rec_die "UAS $kind did not start"; }
done

uacs=()
for kind in "${KINDS[@]}"; do
  (cd "$REC_WORK/$kind" && exec timeout "$HARD_TIMEOUT" sipp "${PBX[$kind]}:5060" \
      -sf "$SCEN_DIR/uac-$kind.xml" -i "$PHONE" -p "${PORT[$kind]}" -s "${kind}" \
      -cid_str "bench-$kind-%u@$PHONE" -r "${RATE[$kind]}" -rp "${PERIOD[$kind]}" \
      -m "${CALLS[$kind]}" -l 200 -timeout 100s -timeout_error -nostdin -trace_err \
      >uac.log 2>&1) &
  uacs+=("$!:$kind")
  REC_PIDS+=("$!")
done
for entry in "${uacs[@]}"; do
  rc=0
  wait "${entry%%:*}" || rc=$?
  [ "$rc" -eq 0 ] || { rec_show_logs "$REC_WORK/${entry#*:}"; rec_die "UAC ${entry#*:} failed (exit $rc)"; }
done
for pid in "${REC_PIDS[@]}"; do
  wait "$pid" 2>/dev/null || true
done
rec_capture_stop

# The check: per kind, per Call-ID, exactly its flow; no retransmission.
bad=0
while IFS=$'\t' read -r _ _ _ _ _ what call_id resend; do
  [ -z "$resend" ] || [ "$resend" = 0 ] || [ "$resend" = False ] || { echo "resend: $call_id $what" >&2; bad=1; }
  printf '%s\t%s\n' "$call_id" "$what"
done < <(rec_sip_frames "$raw") >"$REC_WORK/messages.tsv"
[ "$bad" -eq 0 ] || rec_die "retransmissions in the capture: run it again"
total=0
for kind in "${KINDS[@]}"; do
  want=$(echo "${FLOW[$kind]}" | tr ' ' '\n' | wc -l)
  got=$(awk -F'\t' -v k="bench-$kind-" 'index($1, k) == 1 { flow[$1] = flow[$1] " " $2 }
        END { for (c in flow) print substr(flow[c], 2) }' "$REC_WORK/messages.tsv" | sort | uniq -c)
  expect=$(printf '%7d %s' "${CALLS[$kind]}" "${FLOW[$kind]}")
  [ "$got" = "$expect" ] || { echo "$kind: expected" >&2; echo "$expect" >&2; echo "got" >&2; echo "$got" >&2; rec_die "$kind: not the expected flow"; }
  total=$((total + CALLS[$kind] * want))
done
frames=$(tshark -r "$raw" 2>/dev/null | wc -l)
[ "$frames" -eq "$total" ] || rec_die "$frames frames, expected $total (stray traffic?)"
gzip -9 -n -c "$raw" >"$REC_WORK/out.gz"
install -m 0644 "$REC_WORK/out.gz" "$OUT"
echo "wrote $OUT ($frames frames, $(stat -c %s "$OUT") bytes)"
