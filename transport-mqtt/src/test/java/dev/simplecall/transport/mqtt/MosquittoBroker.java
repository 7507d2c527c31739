package dev.simplecall.transport.mqtt;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real mosquitto (Debian package {@code mosquitto}) on a free loopback port, with a generated
 * config and persistence in a temp dir (saved after every change), so that {@link #kill()} plus
 * {@link #start()} keeps sessions and queued QoS 1 messages. Optionally with a password file and an
 * ACL file; with users, {@code use_username_as_clientid true} as in config/mosquitto/README.md. Fails
 * with a message naming the package when mosquitto is not installed.
 *
 * <pre>{@code
 * try (MosquittoBroker broker = MosquittoBroker.builder().build().start()) {
 *   URI uri = broker.uri();          // mqtt://127.0.0.1:PORT
 *   broker.kill(); broker.start();   // crash and come back on the same port
 * }
 * }</pre>
 */
public final class MosquittoBroker implements AutoCloseable {
  private static final List<String> CANDIDATES = List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto");

  private final Path dir;
  private final Path config;
  private final Path log;
  private final int port;
  private final String binary;
  private final boolean tls;
  private Process process;
  /** Brokers still running when the test JVM is stopped (a killed build) are killed with it. */
  private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
        "mosquitto-reaper"));
  }

  private MosquittoBroker(Builder b) throws IOException {
    this.binary = find("mosquitto", CANDIDATES);
    this.dir = Files.createTempDirectory("simplecall-mosquitto-");
    this.port = b.port != 0 ? b.port : dev.simplecall.testing.TestPorts.restartable(); // restartable on this port
    this.log = dir.resolve("mosquitto.log");
    StringBuilder conf = new StringBuilder()
        .append("listener ").append(port).append(" 127.0.0.1\n")
        .append("allow_anonymous ").append(b.users.isEmpty()).append('\n')
        .append("persistence ").append(b.persistence).append('\n')
        .append("persistence_location ").append(dir).append("/\n")
        .append("autosave_on_changes true\nautosave_interval 1\n")
        .append("max_queued_messages 10000\n")
        .append("set_tcp_nodelay true\n")
        .append("log_dest file ").append(log).append('\n')
        .append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\nlog_type subscribe\n")
        // as root mosquitto would switch to user "mosquitto", which cannot write the temp dir
        .append("user ").append(System.getProperty("user.name")).append('\n');
    if (!b.users.isEmpty()) {
      Path passwd = dir.resolve("passwd");
      String tool = find("mosquitto_passwd", List.of("/usr/bin/mosquitto_passwd", "/usr/local/bin/mosquitto_passwd"));
      boolean first = true;
      for (Map.Entry<String, String> u : b.users.entrySet()) {
        List<String> cmd = first
            ? List.of(tool, "-c", "-b", passwd.toString(), u.getKey(), u.getValue())
            : List.of(tool, "-b", passwd.toString(), u.getKey(), u.getValue());
        first = false;
        run(cmd);
      }
      conf.append("password_file ").append(passwd).append('\n');
      // as config/mosquitto/README.md ships it: the session is keyed on the authenticated user, so no
      // other user can take over (or read, or discard) a peer's session by sending its client id
      conf.append("use_username_as_clientid true\n");
    }
    if (b.certFile != null) {
      conf.append("certfile ").append(b.certFile).append('\n').append("keyfile ").append(b.keyFile).append('\n');
    }
    if (b.aclFile != null) {
      Path acl = dir.resolve("acl");
      Files.copy(b.aclFile, acl);
      conf.append("acl_file ").append(acl).append('\n');
    }
    this.tls = b.certFile != null;
    this.config = dir.resolve("mosquitto.conf");
    Files.writeString(config, conf.toString());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code mqtt://127.0.0.1:PORT}, or {@code mqtts://} with a TLS listener. */
  public java.net.URI uri() {
    return java.net.URI.create((tls ? "mqtts" : "mqtt") + "://127.0.0.1:" + port);
  }

  /** {@code tcp://127.0.0.1:PORT}, for Paho clients. */
  public String pahoUri() {
    return "tcp://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Starts (or starts again) and waits until it accepts connections. */
  public synchronized MosquittoBroker start() throws IOException {
    if (process != null && process.isAlive()) throw new IllegalStateException("already running");
    process = new ProcessBuilder(binary, "-c", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
        .start();
    RUNNING.add(process);
    Process started = process;
    try {
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> accepts(started));
    } catch (ConditionTimeoutException e) {
      throw new IOException("mosquitto did not listen on 127.0.0.1:" + port + " within 10 s: " + logTail(), e);
    }
    return this;
  }

  /** Whether the port takes a connection; a broker that exited fails the wait at once, with its log. */
  private boolean accepts(Process started) throws IOException {
    if (!started.isAlive()) throw new IOException("mosquitto exited with " + started.exitValue() + ": " + logTail());
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** SIGKILL: a crash. Persisted state is what was autosaved (every change). */
  public synchronized void kill() {
    if (process == null) return;
    process.destroyForcibly();
    waitFor(process, 5000);
    RUNNING.remove(process);
  }

  /** SIGTERM: a clean shutdown that writes the persistence file. */
  public synchronized void stop() {
    if (process == null) return;
    process.destroy();
    waitFor(process, 5000);
    if (process.isAlive()) kill();
    RUNNING.remove(process);
  }

  public String logTail() {
    try {
      String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      text += Files.exists(dir.resolve("stdout.log")) ? Files.readString(dir.resolve("stdout.log")) : "";
      return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public synchronized void close() throws IOException {
    kill();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  public static final class Builder {
    private final Map<String, String> users = new LinkedHashMap<>();
    private Path aclFile;
    private boolean persistence = true;
    private int port;

    /** Listens on this port (it must be free); by default on a fresh one that can be bound again. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Off: in memory only, as a production broker between its periodic saves (for benchmarks). */
    public Builder persistence(boolean on) {
      this.persistence = on;
      return this;
    }
    private Path certFile;
    private Path keyFile;

    /** A TLS listener (PEM certificate chain and key) instead of plain TCP. */
    public Builder tls(Path certFile, Path keyFile) {
      this.certFile = certFile;
      this.keyFile = keyFile;
      return this;
    }

    /** Adds a user; with any user, anonymous access is off. */
    public Builder user(String name, String password) {
      users.put(name, password);
      return this;
    }

    public Builder aclFile(Path file) {
      this.aclFile = file;
      return this;
    }

    public MosquittoBroker build() throws IOException {
      return new MosquittoBroker(this);
    }
  }

  private static String find(String name, List<String> candidates) {
    for (String c : candidates) if (Files.isExecutable(Path.of(c))) return c;
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(java.io.File.pathSeparator)) {
        if (Files.isExecutable(Path.of(d, name))) return Path.of(d, name).toString();
      }
    }
    throw new IllegalStateException(name + " not found: these tests need a real MQTT broker; install the Debian"
        + " package 'mosquitto' (apt-get install mosquitto)");
  }

  private static void run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    waitFor(p, 10_000);
    if (p.isAlive() || p.exitValue() != 0) throw new IOException(cmd + " failed: " + out);
  }

  private static void waitFor(Process p, long millis) {
    try {
      p.waitFor(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
