#!/usr/bin/env bash
# Drives the simplecall signaling server and PeerJS 1.0.2 with the same load, one server at a time,
# and prints one table. Each server runs pinned to CPU 0, the load generator to CPU 1; every point
# starts a fresh server. Raw results (one JSON per run) and the table go to results/DATE/.
#
#   bench/signaling/compare.sh            # the full grid, 3 rounds (about 20 minutes)
#   POINTS="paced-2k-10k closed-2k" ROUNDS=1 bench/signaling/compare.sh
#
# Each point runs ROUNDS times (default 3), the two servers alternating (PeerJS, simplecall, PeerJS,
# ...), and the table gives the median of each figure: the machine's speed drifts within minutes.
#
# Environment: POINTS (names from the grid below), ROUNDS, SECONDS_PER_POINT (default 10), WARMUP_SECONDS
# (default 10: load before the measured window), SERVER_JAVA_OPTS
# (JVM options for the simplecall server), SKIP_QUIET=1 (do not wait for a quiet machine).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/bench/lib.sh"
cd "$here"

command -v node >/dev/null || { echo "compare.sh: needs Node.js (Debian: apt-get install nodejs npm)" >&2; exit 2; }
command -v taskset >/dev/null || { echo "compare.sh: needs taskset (Debian: util-linux)" >&2; exit 2; }
if [ ! -d node_modules/ws ] || [ ! -d node_modules/peer ]; then
  npm ci --no-audit --no-fund --silent
fi
jar="$(server_jar "$root")"   # (re)built when older than its sources
# 19k idle sessions need as many descriptors in the server and in the load generator
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" -lt 20000 ] 2>/dev/null; then echo "compare.sh: note: ulimit -n is $(ulimit -n)" >&2; fi

secs="${SECONDS_PER_POINT:-10}"
warmup="${WARMUP_SECONDS:-10}"   # both servers compile their hot paths (JIT) before the window
# name: clients rate(0 = closed loop, idle = connect only) size
declare -A grid=(
  [paced-10k-2k]="2000 10000 300"
  [paced-10k-10k]="10000 10000 300"
  [paced-2k-10k]="10000 2000 300"
  [closed-2k]="2000 0 300"
  [idle-19k]="19000 idle 300"
)
points="${POINTS:-paced-10k-2k paced-10k-10k paced-2k-10k closed-2k idle-19k}"
out="$here/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

busy_percent() {   # CPU busy over 2 s, all CPUs, from /proc/stat
  local a b
  read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ < /proc/stat
  sleep 2
  read -r _ u2 n2 s2 i2 w2 q2 sq2 st2 _ < /proc/stat
  a=$(( (u2+n2+s2+q2+sq2+st2) - (u1+n1+s1+q1+sq1+st1) ))
  b=$(( a + (i2+w2) - (i1+w1) ))
  echo $(( b > 0 ? 100 * a / b : 0 ))
}

wait_quiet() {   # until the machine is quiet: under 10 % CPU busy over 2 s (at most 2 minutes)
  [ "${SKIP_QUIET:-}" = 1 ] && return 0
  local busy
  for _ in $(seq 1 60); do
    busy="$(busy_percent)"
    [ "$busy" -lt 10 ] && return 0
  done
  echo "compare.sh: warning: still ${busy} % busy after 2 minutes; measuring anyway" >&2
}

run_point() {   # run_point NAME KIND ROUND
  local name="$1" kind="$2" round="$3" clients rate size port pid
  read -r clients rate size <<<"${grid[$name]}"
  port="$(free_port)"
  if [ "$kind" = peerjs ]; then
    taskset -c 0 node node_modules/peer/dist/bin/peerjs.js --host 127.0.0.1 --port "$port" \
      --concurrent_limit 100000 >"$out/$name-$kind-$round.server.log" 2>&1 &
  else
    # the per-address limits are for the open internet: here every client is 127.0.0.1
    # shellcheck disable=SC2086
    taskset -c 0 java ${SERVER_JAVA_OPTS:-} -jar "$jar" --port "$port" --max-connections-per-ip 100000 \
      --max-sessions-per-ip 100000 --max-rooms-per-ip 100000 \
      --joins-per-minute-per-ip 100000000 --join-burst-per-ip 100000 >"$out/$name-$kind-$round.server.log" 2>&1 &
  fi
  pid=$!
  wait_port "$port"
  sleep 2   # let start-up work (JIT of the start path, GC) settle before the empty RSS is read
  local mode=(--rate "$rate")
  [ "$rate" = idle ] && mode=(--idle)
  if taskset -c 1 node --max-old-space-size=4096 loadgen.mjs --kind "$kind" --port "$port" --pid "$pid" \
      --clients "$clients" "${mode[@]}" --size "$size" --seconds "$secs" --warmup "$warmup" >"$out/$name-$kind-$round.json" 2>"$out/$name-$kind-$round.log"; then
    echo "$name $kind round $round: $(tail -n1 "$out/$name-$kind-$round.json")"
  else
    echo "$name $kind round $round: load generator failed; see $out/$name-$kind-$round.log" >&2
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -r)"
echo "simplecall: $(basename "$jar"), $(java -version 2>&1 | head -n1); PeerJS: peer $(node -p 'require("./node_modules/peer/package.json").version'), node $(node --version)"
for name in $points; do
  [ -n "${grid[$name]:-}" ] || { echo "compare.sh: no point named $name" >&2; exit 2; }
  for round in $(seq 1 "${ROUNDS:-3}"); do
    for kind in peerjs simplecall; do
      wait_quiet
      run_point "$name" "$kind" "$round"
    done
  done
done
node report.mjs "$out" | tee "$out/table.md"
