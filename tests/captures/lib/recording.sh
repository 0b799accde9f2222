# shellcheck shell=bash
# recording.sh — shell helpers shared by the scripts that record sipvi's test captures with
# sipp on loopback (tests/captures/diagnosis/record.sh; the same approach as
# tests/captures/triage/record.sh). Source it from a bash script running with `set -euo pipefail`.
#
# Everything a helper starts is remembered by pid in REC_PIDS and ended by rec_cleanup (install
# it with `trap rec_cleanup EXIT`): never a process found by name.

REC_PIDS=()        # background processes we started (sipp UAS, listeners)
REC_DC_PID=""      # the running dumpcap
REC_WORK=""        # scratch directory, removed by rec_cleanup

rec_die() { echo "${REC_NAME:-record}: $*" >&2; exit 1; }

rec_need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || rec_die "missing tool: $tool"
  done
}

# rec_bound PROTO IP PORT: something listens on IP:PORT (PROTO udp or tcp).
rec_bound() {
  local opt=-Hlun
  [ "$1" = tcp ] && opt=-Hltn
  ss "$opt" "sport = :$3" | awk '{ print $4 }' | grep -qx -e "$2:$3" -e "\*:$3" -e "0.0.0.0:$3"
}

rec_cleanup() {
  local p
  for p in "${REC_PIDS[@]}"; do
    if kill -0 "$p" 2>/dev/null; then kill "$p" 2>/dev/null || true; fi
  done
  if [ -n "$REC_DC_PID" ] && kill -0 "$REC_DC_PID" 2>/dev/null; then kill -INT "$REC_DC_PID" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  if [ -n "$REC_WORK" ] && [ -z "${REC_KEEP:-}" ]; then rm -rf "$REC_WORK"; fi
  [ -z "${REC_KEEP:-}" ] || echo "kept $REC_WORK" >&2
}

rec_show_logs() {
  local d=$1 f
  for f in "$d"/*.log; do
    [ -f "$f" ] || continue
    echo "---- $f (last 40 lines)" >&2
    tail -n 40 "$f" >&2 || true
  done
}

# rec_capture_start FILE FILTER COMMENT: dumpcap on lo into FILE; returns once it captures.
rec_capture_start() {
  local out=$1 filter=$2 comment=$3 log="$1.log" _
  dumpcap -q -i lo -f "$filter" -w "$out" --capture-comment "$comment" >"$log" 2>&1 &
  REC_DC_PID=$!
  for _ in $(seq 1 50); do
    grep -q "^File:" "$log" 2>/dev/null && break
    kill -0 "$REC_DC_PID" 2>/dev/null || { cat "$log" >&2; rec_die "dumpcap exited early"; }
    sleep 0.1
  done
  grep -q "^File:" "$log" || { cat "$log" >&2; rec_die "dumpcap did not start"; }
  sleep 0.5   # let the capture filter settle before the first packet
}

rec_capture_stop() {
  sleep 0.5   # the last packets
  kill -INT "$REC_DC_PID"
  wait "$REC_DC_PID" || true
  REC_DC_PID=""
}

# rec_wait_bound PROTO IP PORT PID: wait until PID listens on IP:PORT.
rec_wait_bound() {
  local _
  for _ in $(seq 1 50); do
    rec_bound "$1" "$2" "$3" && return 0
    kill -0 "$4" 2>/dev/null || return 1
    sleep 0.1
  done
  rec_bound "$1" "$2" "$3"
}

# rec_sip_frames FILE: one line per SIP message: frame, src ip, src port, dst ip, dst port,
# method or status code, Call-ID, sip.resend (tab-separated). Several SIP messages in one TCP
# segment give several lines with the same frame number.
rec_sip_frames() {
  tshark -r "$1" -Y sip -T fields -E separator=/t -E occurrence=a -E aggregator=/s \
      -e frame.number -e ip.src -e tcp.srcport -e udp.srcport -e ip.dst -e tcp.dstport -e udp.dstport \
      -e sip.Method -e sip.Status-Code -e sip.Call-ID -e sip.resend 2>/dev/null |
    awk -F'\t' 'BEGIN { OFS = "\t" }
      { sp = ($3 != "" ? $3 : $4); dp = ($6 != "" ? $6 : $7)
        what = ($8 != "" ? $8 : $9); print $1, $2, sp, $5, dp, what, $10, $11 }'
}

# Exact time arithmetic on tshark's frame.time_epoch (nanoseconds): "S.FFFFFFFFF" <-> ns.
rec_s_to_ns() {
  local v=$1 sign=1 sec frac
  if [ "${v#-}" != "$v" ]; then sign=-1; v=${v#-}; fi
  sec=${v%%.*}; frac=""
  [ "$sec" = "$v" ] || frac=${v#*.}
  frac=$(printf '%-9s' "$frac" | tr ' ' 0); frac=${frac:0:9}
  echo $(( sign * (10#$sec * 1000000000 + 10#$frac) ))
}
rec_ns_to_s() {
  local v=$1 sign=""
  if [ "$v" -lt 0 ]; then sign=-; v=$(( -v )); fi
  printf '%s%d.%09d' "$sign" $(( v / 1000000000 )) $(( v % 1000000000 ))
}

# rec_merge_shifted OUT GAP_SECONDS COMMENT IN...: every IN, in order, shifted (editcap -t) so
# that it starts GAP_SECONDS after the last frame of the one before (the first keeps its
# time), merged into OUT with mergecap; checks that no frame was lost.
rec_merge_shifted() {
  local out=$1 gap=$2 comment=$3; shift 3
  local d f first last next="" delta i=0 want=0 n
  d=$(mktemp -d /tmp/sipvi-merge.XXXXXX)
  local inputs=()
  for f in "$@"; do
    first=$(tshark -r "$f" -T fields -e frame.time_epoch 2>/dev/null | head -n 1)
    last=$(tshark -r "$f" -T fields -e frame.time_epoch 2>/dev/null | tail -n 1)
    [ -n "$next" ] || next=$first
    delta=$(rec_ns_to_s $(( $(rec_s_to_ns "$next") - $(rec_s_to_ns "$first") )))
    i=$((i + 1))
    editcap -t "$delta" "$f" "$d/$(printf %03d $i).pcapng" >/dev/null
    inputs+=("$d/$(printf %03d $i).pcapng")
    next=$(rec_ns_to_s $(( $(rec_s_to_ns "$last") + $(rec_s_to_ns "$delta") + gap * 1000000000 )))
    n=$(tshark -r "$f" 2>/dev/null | wc -l)
    want=$((want + n))
  done
  mergecap -w "$d/merged.pcapng" "${inputs[@]}"
  editcap --discard-capture-comment --capture-comment "$comment" "$d/merged.pcapng" "$d/out.pcapng" >/dev/null
  n=$(tshark -r "$d/out.pcapng" 2>/dev/null | wc -l)
  [ "$n" -eq "$want" ] || { rm -rf "$d"; rec_die "merge: $n frames, expected $want"; }
  install -m 0644 "$d/out.pcapng" "$out"
  rm -rf "$d"
  echo "   wrote $out ($n frames)"
}
