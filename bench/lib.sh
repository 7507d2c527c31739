# Shared by the benchmark scripts under bench/ (sourced, not run).

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Waits up to 20 s until something accepts TCP connections on 127.0.0.1:$1.
wait_port() {
  for _ in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$(basename "$0"): nothing listens on port $1 after 20 s" >&2
  return 1
}

# Prints the path of the simplecall-server jar under $1 (the repository), building it first when it is
# missing or older than the server's or the protocol's sources or poms.
server_jar() {
  local root="$1" jar
  jar="$(ls "$root"/signaling-server/target/simplecall-server-*.jar 2>/dev/null | head -n1 || true)"
  if [ -z "$jar" ] || [ -n "$(find "$root/signaling-server/src/main" "$root/simplecall-protocol/src/main" "$root/pom.xml" \
      "$root/signaling-server/pom.xml" -newer "$jar" -print -quit)" ]; then
    (cd "$root" && mvn -B -q -pl signaling-server -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true) >&2
    jar="$(ls "$root"/signaling-server/target/simplecall-server-*.jar | head -n1)"
  fi
  echo "$jar"
}
