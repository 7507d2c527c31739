package dev.simplecall.samples.natlab;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A throw-away network of Linux network namespaces: a "public" network (198.18.0.0/24, a range
 * reserved for benchmarking, so nothing real is ever addressed) holding the lab servers, and LANs
 * (10.77.N.0/24) each behind its own NAT router namespace, built with veth pairs, bridges and
 * iptables. No interface is created in the caller's namespace, so no packet leaves the lab.
 *
 * <p>Names are {@code scnl-<jvm pid>-<random>-<role>}: parallel labs never collide, and a lab whose
 * JVM died is swept (processes killed, namespaces deleted) by the next lab built on the machine.
 * {@link #close()} (also run by a JVM shutdown hook) kills every process the lab started and deletes
 * its namespaces. Needs root (CAP_NET_ADMIN + CAP_SYS_ADMIN); without it {@link Builder#build()}
 * throws with a message saying so, it never pretends to work.
 * {@code
 * try (NatLab lab = NatLab.builder()
 *     .lan("a", NatType.PORT_RESTRICTED_CONE, 1)
 *     .lan("b", NatType.SYMMETRIC, 1)
 *     .build()) {
 *   Coturn turn = lab.startCoturn();
 *   Cmd.Result r = lab.exec(lab.host("a", 1).ns(), Duration.ofSeconds(10), "turnutils_stunclient", NatLab.PUBLIC_IP);
 * }
 * }
 */
final class NatLab implements AutoCloseable {
  static final String PREFIX = "scnl-";
  /** The public address of the lab servers: signaling server, coturn (listening and relay). */
  static final String PUBLIC_IP = "198.18.0.1";
  /** A second public address on the same namespace, so coturn can do RFC 5780 NAT discovery. */
  static final String PUBLIC_IP2 = "198.18.0.2";
  static final String PUBLIC_FIRST = "198.18.0.0";
  static final String PUBLIC_LAST = "198.18.0.255";
  /** Where the public namespace's default route points: a veth whose far end answers nothing. */
  private static final String DEAD_GATEWAY = "100.127.255.254";

  /** What the builder was asked for: a LAN name, its NAT and how many hosts sit on it. */
  record LanSpec(String name, NatType type, int hosts) {}

  /** One LAN: its NAT router namespace (null when OPEN) and the router's public address. */
  record Lan(String name, NatType type, int index, String routerNs, String wanIp) {}

  /** One machine on a LAN: the namespace to run peers in and its address. */
  record Host(String name, String ns, String ip, Lan lan) {}

  private final String id;
  private final Path workDir;
  private final Map<String, Lan> lans = new LinkedHashMap<>();
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  /** Creation order; deleted in reverse. */
  private final List<String> namespaces = Collections.synchronizedList(new ArrayList<>());
  private final List<LabProcess> processes = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;

  private NatLab(String id, Path workDir) {
    this.id = id;
    this.workDir = workDir;
    this.shutdownHook = new Thread(this::close, "natlab-cleanup-" + id);
  }

  static Builder builder() {
    return new Builder();
  }

  String publicNs() {
    return ns("pub");
  }

  Lan lan(String name) {
    Lan lan = lans.get(name);
    if (lan == null) {
      throw new IllegalArgumentException("no LAN named " + name + " in " + lans.keySet());
    }
    return lan;
  }

  /** Host {@code n} (1-based) of LAN {@code lan}. */
  Host host(String lan, int n) {
    Host host = hosts.get(lan + n);
    if (host == null) {
      throw new IllegalArgumentException("no host " + n + " on LAN " + lan);
    }
    return host;
  }

  Path workDir() {
    return workDir;
  }

  Cmd.Result exec(String ns, Duration timeout, String... command) {
    return Cmd.inNs(ns, timeout, command);
  }

  /** Starts a long-running command in {@code ns}; the lab kills it on close. */
  LabProcess spawn(String ns, String label, List<String> command) {
    if (closed.get()) {
      throw new IllegalStateException("lab " + id + " is closed");
    }
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(command);
    LabProcess p = new LabProcess(label, full);
    processes.add(p);
    return p;
  }

  /** Starts coturn in the public namespace and waits until its listeners are up. */
  Coturn startCoturn() {
    return Coturn.start(this);
  }

  /**
   * Waits until something listens on {@code ip:port} ({@code tcp} or {@code udp}) in {@code ns}.
   * Polls {@code ss} (there is no event to wait for across namespaces); returns false on timeout.
   */
  boolean awaitListening(String ns, String proto, String ip, int port, Duration timeout) {
    String flag = proto.equals("udp") ? "-Hlnu" : "-Hlnt";
    String needle = ip + ":" + port;
    try {
      await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
        Cmd.Result r = exec(ns, Duration.ofSeconds(5), "ss", flag);
        return r.ok() && r.output().contains(needle);
      });
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  /** Packets counted by the iptables rules of {@code chain} in a LAN's router whose text contains {@code match}. */
  long routerPackets(Lan lan, String table, String chain, String match) {
    Cmd.Result r = exec(lan.routerNs(), Duration.ofSeconds(10),
        "iptables", "-t", table, "-L", chain, "-v", "-n", "-x").check();
    long sum = 0;
    for (String line : r.output().split("\n")) {
      String t = line.strip();
      if (!t.isEmpty() && Character.isDigit(t.charAt(0)) && t.contains(match)) {
        sum += Long.parseLong(t.split("\\s+")[0]);
      }
    }
    return sum;
  }

  String ns(String role) {
    return PREFIX + id + "-" + role;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // we are the hook
    }
    List<LabProcess> procs = new ArrayList<>(processes);
    Collections.reverse(procs);
    for (LabProcess p : procs) {
      p.close();
    }
    List<String> all = new ArrayList<>(namespaces);
    Collections.reverse(all);
    for (String ns : all) {
      deleteNamespace(ns);
    }
    deleteTree(workDir);
  }

  /** Kills what still runs in {@code ns}, then deletes it (its veth ends go with it). */
  static void deleteNamespace(String ns) {
    Cmd.Result pids = Cmd.run(Duration.ofSeconds(10), "ip", "netns", "pids", ns);
    if (pids.ok()) {
      for (String pid : pids.output().split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
    Cmd.run(Duration.ofSeconds(10), "ip", "netns", "del", ns);
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp files only
    }
  }

  /** Deletes namespaces of labs whose JVM is gone (killed test runs); live labs are left alone. */
  static void sweepLeftovers() {
    Cmd.Result list = Cmd.run(Duration.ofSeconds(10), "ip", "netns", "list");
    if (!list.ok()) {
      return;
    }
    long self = ProcessHandle.current().pid();
    for (String line : list.output().split("\n")) {
      String name = line.strip().split("\\s+")[0];
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      String[] parts = name.substring(PREFIX.length()).split("-");
      long owner;
      try {
        owner = Long.parseLong(parts[0]);
      } catch (NumberFormatException e) {
        continue;
      }
      boolean ownerAlive = ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
      if (owner != self && !ownerAlive) {
        deleteNamespace(name);
      }
    }
  }

  /** Collects the LANs, then {@link #build()} creates everything or nothing. */
  static final class Builder {
    private final List<LanSpec> lanSpecs = new ArrayList<>();

    /** Adds a LAN named {@code name} (a short word: it is part of namespace names) with {@code hosts} machines. */
    Builder lan(String name, NatType type, int hosts) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(type, "type == null");
      if (!name.matches("[a-z][a-z0-9]{0,5}")) {
        throw new IllegalArgumentException("LAN name must be 1-6 lower-case letters/digits: " + name);
      }
      if (hosts < 1 || hosts > 9) {
        throw new IllegalArgumentException("hosts must be 1..9: " + hosts);
      }
      if (lanSpecs.stream().anyMatch(l -> l.name().equals(name))) {
        throw new IllegalArgumentException("duplicate LAN name: " + name);
      }
      lanSpecs.add(new LanSpec(name, type, hosts));
      return this;
    }

    NatLab build() {
      if (lanSpecs.isEmpty()) {
        throw new IllegalStateException("a lab needs at least one LAN");
      }
      Tools.require("ip", "iproute2");
      Tools.require("ss", "iproute2");
      Tools.require("iptables", "iptables");
      Tools.require("sysctl", "procps");
      sweepLeftovers();
      byte[] rnd = new byte[2];
      new SecureRandom().nextBytes(rnd);
      String id = ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(rnd);
      Path dir;
      try {
        dir = Files.createTempDirectory(PREFIX + id + "-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      NatLab lab = new NatLab(id, dir);
      Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
      try {
        new Topology(lab).create(lanSpecs);
        return lab;
      } catch (RuntimeException | Error e) {
        lab.close();
        throw e;
      }
    }
  }

  // ---- package-private hooks for Topology, which does the building ----

  void registerNamespace(String ns) {
    namespaces.add(ns);
  }

  void registerLan(Lan lan) {
    lans.put(lan.name(), lan);
  }

  void registerHost(Host host, int n) {
    hosts.put(host.lan().name() + n, host);
  }

  String id() {
    return id;
  }

  static String deadGateway() {
    return DEAD_GATEWAY;
  }
}
