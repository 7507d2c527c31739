package dev.simplecall.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.ChildJvm;
import dev.simplecall.samples.CliRun;
import dev.simplecall.samples.Main;
import dev.simplecall.server.SignalingServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Group calls from the command line: {@code demo --peers N}, and {@code peer --group} members over a real server. */
class GroupCallCliTest {
  @Test
  void demoWithFourPeersPrintsFourOkResultLines() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"demo", "--peers", "4", "--duration", "3s"}, Map.of(), new PrintWriter(out, true),
        new PrintWriter(err, true));
    String all = "stdout:\n" + out + "\nstderr (last 3000 chars):\n" + tail(err.toString());
    assertEquals(0, code, all);
    List<String> lines = Arrays.asList(out.toString().split("\\R"));
    List<String> results = lines.subList(lines.size() - 4, lines.size());
    List<String> names = List.of("alice", "bob", "carol", "dave");
    for (int i = 0; i < 4; i++) {
      assertTrue(results.get(i).startsWith("RESULT peer=" + names.get(i) + " transport=websocket group=true ok=true "
          + "peers_ok=3/3 "), all);
    }
  }

  /** The other transports: three members each; MQTT runs through an embedded broker and no server. */
  @ParameterizedTest
  @ValueSource(strings = {"memory", "http-poll", "mqtt"})
  void demoWithThreePeersOverEachTransport(String transport) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"demo", "--peers", "3", "--transport", transport, "--duration", "2s"}, Map.of(),
        new PrintWriter(out, true), new PrintWriter(err, true));
    String all = "stdout:\n" + out + "\nstderr (last 3000 chars):\n" + tail(err.toString());
    assertEquals(0, code, all);
    List<String> lines = Arrays.asList(out.toString().split("\\R"));
    for (String r : lines.subList(lines.size() - 3, lines.size())) {
      assertTrue(r.matches("RESULT peer=\\w+ transport=" + transport + " group=true ok=true peers_ok=2/2 .*"), all);
    }
  }

  /**
   * Four members of one room on one server: two over WebSocket and one over long-poll in this JVM (each
   * with its own client), and one in a process of its own; every one connects to the three others.
   */
  @Test
  void membersOverWebSocketLongPollAndAnotherProcessFormOneRoom() throws Exception {
    try (SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start()) {
      String ws = "ws://127.0.0.1:" + server.port() + "/v1/ws";
      String http = "http://127.0.0.1:" + server.port();
      try (ChildJvm dave = ChildJvm.start("dave", Map.of(), "peer", "--group", "--peers", "4", "--signaling", ws,
          "--room", "mixed", "--id", "dave", "--duration", "4s", "--video", "160x120@15", "--wait", "90s")) {
        List<CompletableFuture<String>> members = new ArrayList<>();
        for (String[] m : List.of(new String[] {"alice", ws}, new String[] {"bob", http}, new String[] {"carol", ws})) {
          members.add(CompletableFuture.supplyAsync(() -> CliRun.peer("--group", "--peers", "4", "--signaling", m[1],
              "--room", "mixed", "--id", m[0], "--duration", "4s", "--video", "160x120@15", "--wait", "90s")));
        }
        String alice = members.get(0).get(150, TimeUnit.SECONDS);
        String bob = members.get(1).get(30, TimeUnit.SECONDS);
        String carol = members.get(2).get(30, TimeUnit.SECONDS);
        assertTrue(alice.startsWith("RESULT peer=alice transport=websocket group=true ok=true peers_ok=3/3 "), alice);
        assertTrue(bob.startsWith("RESULT peer=bob transport=http-poll group=true ok=true peers_ok=3/3 "), bob);
        assertTrue(carol.startsWith("RESULT peer=carol transport=websocket group=true ok=true peers_ok=3/3 "), carol);
        assertEquals(0, dave.awaitExit(60), dave.describe());
        List<String> daveOut = dave.stdout();
        String last = daveOut.get(daveOut.size() - 1);
        assertTrue(last.startsWith("RESULT peer=dave transport=websocket group=true ok=true peers_ok=3/3 "), dave.describe());
      }
    }
  }


  /** The server's room size is honoured: a member over it is refused {@code room-full}, clearly, and exits 3. */
  @Test
  void aMemberOverTheServersRoomSizeIsRefusedClearly() throws Exception {
    try (SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).roomSize(2).build().start()) {
      String ws = "ws://127.0.0.1:" + server.port() + "/v1/ws";
      List<CompletableFuture<String>> two = new ArrayList<>();
      for (String id : List.of("alice", "bob")) {
        two.add(CompletableFuture.supplyAsync(() -> CliRun.peer("--group", "--peers", "2", "--signaling", ws,
            "--room", "small", "--id", id, "--duration", "6s", "--video", "160x120@15", "--wait", "60s")));
      }
      Thread.sleep(3000); // alice and bob are in: the room is full
      String carol = CliRun.peer("--group", "--peers", "3", "--signaling", ws, "--room", "small", "--id", "carol",
          "--duration", "2s", "--video", "160x120@15", "--wait", "10s");
      assertTrue(carol.startsWith("RESULT peer=carol transport=websocket group=true ok=false peers_ok=0/2 ")
          && carol.contains("room-full") && carol.contains("(exit 3)"), carol);
      for (CompletableFuture<String> f : two) {
        String r = f.get(60, TimeUnit.SECONDS);
        assertTrue(r.contains(" ok=true peers_ok=1/1 "), r);
      }
    }
  }

  private static String tail(String s) {
    return s.length() <= 3000 ? s : s.substring(s.length() - 3000);
  }
}
