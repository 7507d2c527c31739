#!/usr/bin/env bash
# Soak of the signaling server: for MINUTES (default 30) one server process (WebSocket, long-poll and
# its embedded MQTT broker) carries
#   - background signaling: bench/signaling/loadgen.mjs, CLIENTS (200) WebSocket clients in pairs
#     relaying RATE (500) messages/s in all, each message checked (sender, order, content);
#   - calls starting and ending all the time: LOOPS (2) loops, each running one `simplecall peer`
#     pair after another (a 4 s call, 320x240@15 test pattern and tone, the ping channel), the
#     transport turning websocket -> http-poll -> mqtt;
# and every minute the server's RSS, threads, open descriptors, Java heap in use and native memory (Native Memory Tracking, committed) are sampled.
#
#   bench/soak/soak.sh                # 30 minutes
#   MINUTES=3 bench/soak/soak.sh      # a short look
#
# Writes bench/soak/results/DATE/: samples.csv, calls-LOOP.csv, loadgen.json, table.md (the Markdown
# table for BENCHMARKS.md; its last row is the idle server 30 s after the load stopped, after a full
# GC), soak.png (the plot; needs gnuplot, installed from Debian when run as root), failed-calls.txt
# (when a call failed) and the server's log. Exit 0 when every call ended ok=true, the load generator
# lost, reordered or misattributed nothing, and the server stayed up.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/scripts/deps.sh"
. "$root/bench/lib.sh"

minutes="${MINUTES:-30}"
clients="${CLIENTS:-200}"
rate="${RATE:-500}"
loops="${LOOPS:-2}"
out="$here/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

command -v node >/dev/null || { echo "soak.sh: needs Node.js (apt-get install nodejs npm)" >&2; exit 2; }
command -v gnuplot >/dev/null || ensure_debian_packages gnuplot-nox || echo "soak.sh: no gnuplot: no plot" >&2
(cd "$root/bench/signaling" && { [ -d node_modules/ws ] || npm ci --no-audit --no-fund --silent; })

# the server jar and the CLI (both built when missing or older than their sources)
jar="$(server_jar "$root")"
"$root/simplecall" --version >/dev/null
# the peers run the jar built now: the launcher would rebuild (and stall a call) when a source changes mid-soak
cli_jar="$(ls "$root"/samples/target/samples-*.jar | grep -v -e '-tests\.jar$' -e '-sources\.jar$' | head -n1)"
peer_cmd=(java -cp "$cli_jar:$root/samples/target/lib/*" dev.simplecall.samples.Main peer)

port="$(free_port)"
mqtt="$(free_port)"

java -XX:NativeMemoryTracking=summary ${SERVER_JAVA_OPTS:-} -jar "$jar" --port "$port" --embedded-mqtt "$mqtt" \
  --max-connections-per-ip 100000 --max-sessions-per-ip 100000 --max-rooms-per-ip 100000 \
  --joins-per-minute-per-ip 100000000 --join-burst-per-ip 100000 >"$out/server.log" 2>&1 &
server=$!
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
wait_port "$port"

# one sample: minute, calls so far, RSS MiB, threads, fds, heap used after GC MiB, NMT committed MiB
sample() {
  local m="$1" rss threads fds heap nmt calls
  rss="$(awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$server/status")"
  threads="$(awk '/^Threads/ {print $2}' "/proc/$server/status")"
  fds="$(ls "/proc/$server/fd" | wc -l)"
  heap="$( { jcmd "$server" GC.heap_info 2>/dev/null || true; } | awk '/garbage-first heap|def new generation|PSYoungGen/ && /used/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub(/K,?/,"",v); printf "%.1f", v/1024; exit}}')"
  nmt="$( { jcmd "$server" VM.native_memory summary 2>/dev/null || true; } | awk '/^Total:/ {for (i=1;i<=NF;i++) if ($i ~ /^committed=/) {v=$i; sub(/committed=/,"",v); sub(/KB,?/,"",v); printf "%.1f", v/1024; exit}}')"
  calls="$( { cat "$out"/calls-*.csv 2>/dev/null || true; } | wc -l)"
  echo "$m,$calls,$rss,$threads,$fds,${heap:-},${nmt:-}" >>"$out/samples.csv"
}
echo "minute,calls,rss_mib,threads,fds,heap_used_mib,nmt_committed_mib" >"$out/samples.csv"
sample 0

node "$root/bench/signaling/loadgen.mjs" --kind simplecall --port "$port" --pid "$server" --clients "$clients" \
  --rate "$rate" --seconds "$((minutes * 60))" --warmup 5 >"$out/loadgen.json" 2>"$out/loadgen.log" &
pids+=($!)

deadline=$(( $(date +%s) + minutes * 60 - 15 ))
# one loop of calls; writes loop,n,transport,caller_ok,callee_ok,seconds per call to calls-LOOP.csv
call_loop() {
  local loop="$1" n=0 transports=(websocket http-poll mqtt)
  while [ "$(date +%s)" -lt "$deadline" ]; do
    local t="${transports[$(( (n + loop) % 3 ))]}" uri room="soak-$loop-$n" t0
    case "$t" in
      websocket) uri="ws://127.0.0.1:$port/v1/ws" ;;
      http-poll) uri="http://127.0.0.1:$port" ;;
      mqtt) uri="mqtt://127.0.0.1:$mqtt" ;;
    esac
    t0="$(date +%s.%N)"
    local common=(--signaling "$uri" --room "$room" --duration 4s --video 320x240@15 --wait 40s)
    "${peer_cmd[@]}" "${common[@]}" --id bob >"$out/peer-$loop.bob.out" 2>"$out/peer-$loop.bob.err" &
    local bob=$!
    "${peer_cmd[@]}" "${common[@]}" --id alice --call bob >"$out/peer-$loop.alice.out" 2>"$out/peer-$loop.alice.err" || true
    wait "$bob" || true
    local a b
    a="$(tail -n1 "$out/peer-$loop.alice.out" | grep -c ' ok=true ' || true)"
    b="$(tail -n1 "$out/peer-$loop.bob.out" | grep -c ' ok=true ' || true)"
    if [ "$a" != 1 ] || [ "$b" != 1 ]; then
      { echo "== $room ($t)"; tail -n3 "$out/peer-$loop.alice.out" "$out/peer-$loop.bob.out"; } >>"$out/failed-calls.txt"
      for f in alice.out alice.err bob.out bob.err; do cp "$out/peer-$loop.$f" "$out/failed-$room.$f"; done
    fi
    echo "$loop,$n,$t,$a,$b,$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')" >>"$out/calls-$loop.csv"
    n=$((n + 1))
  done
}
for l in $(seq 1 "$loops"); do
  call_loop "$l" &
  pids+=($!)
  sleep 5
done

for m in $(seq 1 "$minutes"); do
  sleep 60 &
  wait $!
  kill -0 "$server" 2>/dev/null || { echo "soak.sh: the server died in minute $m" >&2; exit 1; }
  sample "$m"
  echo "soak: minute $m/$minutes: $(tail -n1 "$out/samples.csv")" >&2
done
for p in "${pids[@]}"; do wait "$p" || true; done
pids=()
# one more row: the server idle again, 30 s after the load and calls stopped, after a full GC
sleep 30
jcmd "$server" GC.run >/dev/null 2>&1 || true
sample "$((minutes + 1))"

# the summary
calls_total="$(cat "$out"/calls-*.csv | wc -l)"
calls_ok="$(cat "$out"/calls-*.csv | awk -F, '$4==1 && $5==1' | wc -l)"
{
  echo "| minute | calls so far | RSS MiB | threads | fds | heap used MiB | native committed MiB |"
  echo "|---|---|---|---|---|---|---|"
  tail -n +2 "$out/samples.csv" | awk -F, -v last="$((minutes + 1))" \
    '{printf "| %s | %s | %s | %s | %s | %s | %s |\n", ($1 == last ? "idle after, full GC" : $1),$2,$3,$4,$5,$6,$7}'
} >"$out/table.md"
if command -v gnuplot >/dev/null; then
  gnuplot <<EOF || echo "soak.sh: gnuplot failed" >&2
set terminal png size 1000,560
set output "$out/soak.png"
set datafile separator ","
set key autotitle columnhead bottom right
set multiplot layout 2,2 title "simplecall server, ${minutes}-minute soak: ${calls_total} calls, ${rate} msgs/s among ${clients} clients"
set xlabel "minute"
set yrange [0:*]
set title "RSS and native memory (MiB)"
plot "$out/samples.csv" using 1:3 with linespoints title "RSS", "" using 1:7 with linespoints title "NMT committed"
set title "Java heap used (MiB)"
plot "$out/samples.csv" using 1:6 with linespoints title "heap used"
set title "threads"
plot "$out/samples.csv" using 1:4 with linespoints title "threads"
set title "open file descriptors"
plot "$out/samples.csv" using 1:5 with linespoints title "fds"
unset multiplot
EOF
fi
echo "soak: $calls_ok of $calls_total calls ok; loadgen: $(tail -n1 "$out/loadgen.json")" | tee "$out/summary.txt"
echo "soak: results in $out"
lg="$(tail -n1 "$out/loadgen.json")"
[ "$calls_ok" = "$calls_total" ] && [ "$calls_total" -gt 0 ] \
  && echo "$lg" | grep -q '"lost":0,"outOfOrder":0,"wrongSender":0,"badContent":0'
