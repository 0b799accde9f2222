#!/usr/bin/env bash
# record-media.sh — records the real RTP captures of sipvi's media tests (tests/captures/media/r*.pcapng)
# with sipp (Debian sip-tester 3.6.x, rtp_stream) between two network namespaces this script
# creates, joined by a veth pair. What the callee's side does to its RTP towards the caller:
#   loss:   nftables drops 9 % of it at random (numgen random), SIP untouched;
#   oneway: nftables drops all of it;
#   jitter: a tc tbf of 1 Mbit/s on the callee's veth, with bursts of filler datagrams (to the
#           discard port 9, left out of the capture) at random moments, so that RTP waits behind
#           them a varying time: jitter as congestion makes it. (This machine's kernel has no
#           netem; tbf and nftables are what it has.)
#   hold:   nothing is done to the traffic; the scenarios differ (scenarios/uac-hold.xml,
#           uas-hold.xml): after 3 s both ways the caller puts the callee on hold by re-INVITE
#           (a=sendonly, answered a=recvonly), the callee stops its stream and the caller's goes
#           on (music on hold) for 7 s before the BYE.
#
# Usage:   sudo tests/captures/media/record-media.sh [NAME...]
#          NAME is one of: clean loss jitter oneway hold (default: all).
#          OUT_DIR=/some/dir ... writes the captures there instead of next to this script.
#
# Needs root (ip netns, tc, dumpcap in a namespace), sipp, dumpcap, tshark, python3.
# Traffic stays inside the two namespaces: 10.210.0.1 (caller, "sipvi-ma") and 10.210.0.2
# (callee, "sipvi-mb"); the capture is taken on the caller's veth, so what the callee's tc does to
# its RTP is what the caller receives. Both namespaces and everything started are removed on exit.
# The test suite only reads the committed captures; it never runs this script.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCEN_DIR="$SCRIPT_DIR/scenarios"
OUT_DIR=${OUT_DIR:-$SCRIPT_DIR}
NS_A=sipvi-ma NS_B=sipvi-mb
IP_A=10.210.0.1 IP_B=10.210.0.2
SIP_PORT=5060 RTP_PORT=6000
ALL=(clean loss jitter oneway hold)

die() { echo "record-media.sh: $*" >&2; exit 1; }
for tool in sipp dumpcap tshark ip tc nft python3 timeout; do
  command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
done
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces)"

WORK=$(mktemp -d /tmp/sipvi-media.XXXXXX)
DC_PID="" UAS_PID="" FILL_PID=""
cleanup() {
  if [ -n "$FILL_PID" ] && kill -0 "$FILL_PID" 2>/dev/null; then kill "$FILL_PID" 2>/dev/null || true; fi
  if [ -n "$UAS_PID" ] && kill -0 "$UAS_PID" 2>/dev/null; then kill "$UAS_PID" 2>/dev/null || true; fi
  if [ -n "$DC_PID" ] && kill -0 "$DC_PID" 2>/dev/null; then kill -INT "$DC_PID" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  ip netns del "$NS_A" 2>/dev/null || true
  ip netns del "$NS_B" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# One second of a 440 Hz tone in G.711 mu-law, looped by rtp_stream.
python3 - "$WORK/tone.ulaw" <<'PY'
import math, sys
def ulaw(x):
    s = 0x80 if x < 0 else 0
    x = min(abs(x), 32635) + 132
    e = 7
    while e and not x & (0x4000 >> (7 - e)):
        e -= 1
    e = max(e, 0)
    m = (x >> (e + 3)) & 0x0F
    return ~(s | (e << 4) | m) & 0xFF
with open(sys.argv[1], "wb") as f:
    f.write(bytes(ulaw(int(8000 * math.sin(2 * math.pi * 440 * n / 8000))) for n in range(8000)))
PY

setup_netns() {
  ip netns del "$NS_A" 2>/dev/null || true
  ip netns del "$NS_B" 2>/dev/null || true
  ip netns add "$NS_A"
  ip netns add "$NS_B"
  ip link add va netns "$NS_A" type veth peer name vb netns "$NS_B"
  ip -n "$NS_A" addr add "$IP_A/24" dev va
  ip -n "$NS_B" addr add "$IP_B/24" dev vb
  for ns in "$NS_A" "$NS_B"; do
    ip -n "$ns" link set lo up
  done
  ip -n "$NS_A" link set va up
  ip -n "$NS_B" link set vb up
  # On the device's egress hook, not the output hook: a drop there would fail sipp's sendto
  # (EPERM) and stop its stream, where a drop on the wire goes unnoticed by the sender.
  ip netns exec "$NS_B" nft add table netdev sipvi
  ip netns exec "$NS_B" nft add chain netdev sipvi out '{ type filter hook egress device vb priority 0; }'
}

filler() {  # bursts of 4-14 datagrams of 1400 bytes to the caller's discard port, every 0.1-0.5 s
  ip netns exec "$NS_B" python3 - "$IP_A" <<'PY' &
import random, socket, sys, time
rng = random.Random(21)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.time() + 30
while time.time() < end:
    for _ in range(rng.randint(4, 14)):
        s.sendto(bytes(1400), (sys.argv[1], 9))
    time.sleep(rng.uniform(0.1, 0.5))
PY
  FILL_PID=$!
}

impair() {  # what the callee's side does to its RTP
  case $1 in
    clean|hold) ;;
    loss)   ip netns exec "$NS_B" nft add rule netdev sipvi out udp dport "$RTP_PORT" \
              numgen random mod 100 '<' 9 drop ;;
    oneway) ip netns exec "$NS_B" nft add rule netdev sipvi out udp dport "$RTP_PORT" drop ;;
    jitter) tc -n "$NS_B" qdisc add dev vb root tbf rate 1mbit burst 3000 latency 1s
            filler ;;
    *) die "unknown capture '$1' (known: ${ALL[*]})" ;;
  esac
}

record_one() {
  local name=$1 d="$WORK/$1" out="$OUT_DIR/r-$1.pcapng" rc=0 i scen=media
  [ "$name" = hold ] && scen=hold
  mkdir -p "$d"
  cp "$WORK/tone.ulaw" "$d/"
  setup_netns
  impair "$name"
  echo "== $name"
  ip netns exec "$NS_A" dumpcap -q -i va -f "udp and not port 9" -w "$d/raw.pcapng" \
    --capture-comment "sipvi media capture $name, recorded by tests/captures/media/record-media.sh" \
    >"$d/dumpcap.log" 2>&1 &
  DC_PID=$!
  for i in $(seq 1 50); do grep -q "^File:" "$d/dumpcap.log" 2>/dev/null && break; sleep 0.1; done
  grep -q "^File:" "$d/dumpcap.log" || die "dumpcap did not start"
  sleep 0.5
  (cd "$d" && exec ip netns exec "$NS_B" timeout 40 sipp -sf "$SCEN_DIR/uas-$scen.xml" \
      -i "$IP_B" -p "$SIP_PORT" -mi "$IP_B" -mp "$RTP_PORT" -m 1 -timeout 30s -timeout_error \
      -nostdin -trace_err >"$d/uas.log" 2>&1) &
  UAS_PID=$!
  sleep 1
  (cd "$d" && exec ip netns exec "$NS_A" timeout 40 sipp "$IP_B:$SIP_PORT" \
      -sf "$SCEN_DIR/uac-$scen.xml" -i "$IP_A" -p "$SIP_PORT" -mi "$IP_A" -mp "$RTP_PORT" \
      -s bob -cid_str "sipvi-media-$name-%u@$IP_A" -m 1 -timeout 30s -timeout_error -nostdin \
      -trace_err >"$d/uac.log" 2>&1) || rc=$?
  [ "$rc" -eq 0 ] || { tail -20 "$d"/*.log >&2; die "UAC sipp failed for $name (exit $rc)"; }
  wait "$UAS_PID" || { tail -20 "$d"/*.log >&2; die "UAS sipp failed for $name"; }
  UAS_PID=""
  sleep 0.5
  kill -INT "$DC_PID"; wait "$DC_PID" || true; DC_PID=""
  if [ -n "$FILL_PID" ]; then kill "$FILL_PID" 2>/dev/null || true; wait "$FILL_PID" 2>/dev/null || true; FILL_PID=""; fi
  install -m 0644 "$d/raw.pcapng" "$out"
  echo "   wrote $out ($(tshark -r "$out" 2>/dev/null | wc -l) frames)"
}

if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for name in "$@"; do record_one "$name"; done
