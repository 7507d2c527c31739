# Sourced by ./scripts/test and ./simplecall: makes sure the Debian packages a command needs are here,
# and runs install and build steps quietly.

# run_logged NAME WHAT COMMAND...: one step, quiet. Prints one line, "simplecall: WHAT (log: FILE)",
# and sends all of COMMAND's output to FILE, a new file $TMPDIR/simplecall-NAME-XXXXXX.log (/tmp without
# TMPDIR). When COMMAND fails it prints the last 40 lines of FILE and FILE's path, and returns COMMAND's
# exit code.
run_logged() {
  local name="$1" what="$2"; shift 2
  local log
  log="$(mktemp "${TMPDIR:-/tmp}/simplecall-$name-XXXXXX.log")" || return 1
  echo "simplecall: $what (log: $log)" >&2
  local rc=0
  "$@" </dev/null >"$log" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] && return 0
  echo "simplecall: failed (exit code $rc): $what; the last 40 lines of $log:" >&2
  # without colour codes: Debian's Maven 3.8 writes ANSI resets even with -B into a file
  tail -n 40 "$log" | sed -e 's/\x1b\[[0-9;]*m//g' -e 's/^/  | /' >&2
  echo "simplecall: the whole log: $log" >&2
  return "$rc"
}

# ensure_debian_packages PKG... installs what is missing when run as root (one line on the console, apt's
# output in a log file), else prints the one apt-get line needed and returns non-zero.
ensure_debian_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    run_logged apt "installing Debian packages ${missing[*]} (apt-get update, apt-get install)" \
      apt_get_install "${missing[@]}"
    return
  fi
  echo "simplecall: missing Debian packages. Run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  return 1
}

apt_get_install() {
  DEBIAN_FRONTEND=noninteractive apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# The shared libraries the native WebRTC library links (see docs/WEBRTC-JAVA-NOTES in shared/).
RUNTIME_PACKAGES=(libpulse0 libudev1 libx11-6 libxfixes3 libxrandr2 libxcomposite1 libdbus-1-3)
# What the test suite starts for real: brokers (mosquitto, redis-server for examples/transport-redis), TURN
# server, browser, X server, NAT lab tools, a PulseAudio daemon with virtual devices and speech for it, and
# Java's X11 toolkit (openjdk-17-jre: libawt_xawt.so with libxtst6, libxi6, libxrender1, libxext6) for
# screen sharing with java.awt.Robot and the Swing painter ScreenShareTest draws the shared screen with;
# x11-utils (xwininfo) finds a window to share by its title.
TEST_PACKAGES=(mosquitto mosquitto-clients redis-server haproxy coturn chromium chromium-driver xvfb xauth iptables iproute2 procps pulseaudio pulseaudio-utils espeak-ng openjdk-17-jre libxtst6 libxi6 libxrender1 libxext6 x11-utils python3 python3-gi gir1.2-gst-plugins-bad-1.0 gir1.2-gst-plugins-base-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice)

require_java_maven() {
  command -v java >/dev/null && command -v mvn >/dev/null && return 0
  echo "simplecall: needs JDK 17+ and Maven. Run:" >&2
  echo "  sudo apt-get install -y openjdk-17-jdk-headless maven" >&2
  return 1
}
