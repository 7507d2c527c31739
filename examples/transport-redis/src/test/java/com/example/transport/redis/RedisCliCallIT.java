package com.example.transport.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.testing.TestPorts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real call through the unchanged command line: two {@code ./simplecall peer} processes with this
 * transport's jar in {@code SIMPLECALL_CLASSPATH}, signaling through a real redis-server. Runs after
 * {@code package} (failsafe), since it needs the jar.
 */
class RedisCliCallIT {
  private static final Path ROOT = Path.of(System.getProperty("simplecall.root", "../..")).toAbsolutePath().normalize();
  private static final String JAR = System.getProperty("redis.cliJar", "target/transport-redis-0.1.0-SNAPSHOT-cli.jar");
  @TempDir Path dir;
  private RedisServerProcess redis;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    if (redis != null) redis.stop();
  }

  private Process simplecall(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("simplecall").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().put("SIMPLECALL_CLASSPATH", new File(JAR).getAbsolutePath());
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private String finish(String name, Process p, long seconds) throws Exception {
    boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
    String out = Files.readString(dir.resolve(name + ".log"));
    assertTrue(ended, name + " still running after " + seconds + " s:\n" + out);
    assertEquals(0, p.exitValue(), name + " failed:\n" + out);
    return out;
  }

  private static String resultLine(String out) {
    String[] lines = out.strip().split("\\R");
    String last = lines[lines.length - 1];
    assertTrue(last.startsWith("RESULT "), "the last line is not a RESULT line:\n" + out);
    return last;
  }

  @Test
  void twoCliPeersCallEachOtherThroughRedis() throws Exception {
    assertTrue(Files.isRegularFile(Path.of(JAR)), "no " + JAR + ": run mvn verify (it packages first)");
    // first, alone: ./simplecall builds what is missing, and lists the schemes it found
    String help = finish("help", simplecall("help", "peer", "--help"), 900);
    assertTrue(help.replaceAll("\\s+", " ").matches("(?s).*Schemes found: .*redis, rediss.*"), help);

    redis = RedisServerProcess.start(TestPorts.restartable());
    String uri = "redis://127.0.0.1:" + redis.port();
    String[] common = {"--signaling", uri, "--room", "cli-call", "--duration", "3s", "--video", "320x240@15"};
    Process bob = simplecall("bob", concat(new String[] {"peer", "--id", "bob"}, common));
    Process alice = simplecall("alice", concat(new String[] {"peer", "--id", "alice", "--call", "bob"}, common));

    String aliceResult = resultLine(finish("alice", alice, 180));
    String bobResult = resultLine(finish("bob", bob, 60));
    System.out.println(aliceResult);
    System.out.println(bobResult);
    assertTrue(aliceResult.contains(" ok=true") && aliceResult.contains("transport=redis"), aliceResult);
    assertTrue(bobResult.contains(" ok=true") && bobResult.contains("transport=redis"), bobResult);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
