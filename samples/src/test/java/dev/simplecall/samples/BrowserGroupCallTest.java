package dev.simplecall.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.server.HeadlessChromium;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Five members in one room: four {@code simplecall peer --group} members (two over WebSocket, two over
 * long-poll) and the browser page in group mode in headless Chromium. Each Java member must see video,
 * audio and an acknowledged hello with all four others (peers_ok=4/4); the page must have decoded video
 * and audio from each Java member and exchanged hellos with it.
 */
class BrowserGroupCallTest {
  private static final List<String> JAVA = List.of("alice", "bob", "dave", "erin");

  @Test
  void fourJavaMembersAndTheBrowserPageFormOneRoom() throws Exception {
    try (InteropServer server = InteropServer.start(); HeadlessChromium browser = HeadlessChromium.launch("carol")) {
      browser.openAndStart(server.baseUrl() + "/?room=five&id=carol&group=1&autostart=1&video=320x240&transport=ws");
      browser.await(Duration.ofSeconds(30), "the page joined", b -> "joined".equals(b.js("return simplecall.signaling")));
      List<CompletableFuture<String>> members = new ArrayList<>();
      for (int i = 0; i < JAVA.size(); i++) {
        String id = JAVA.get(i);
        String uri = (i % 2 == 0 ? server.webSocketUri() : server.httpUri()).toString();
        members.add(CompletableFuture.supplyAsync(() -> CliRun.peer("--group", "--peers", "5", "--signaling", uri,
            "--room", "five", "--id", id, "--duration", "6s", "--video", "160x120@15", "--wait", "90s")));
      }
      // what the page saw, read while the members are still in the room
      browser.await(Duration.ofSeconds(90), "the page decoded video from every Java member", b -> {
        Map<?, ?> seen = (Map<?, ?>) b.js("return simplecall.groupSeen");
        for (String id : JAVA) {
          Map<?, ?> s = (Map<?, ?>) seen.get(id);
          if (s == null || ((Number) s.get("frames")).longValue() < 15 || !Boolean.TRUE.equals(s.get("ack"))) return null;
        }
        return seen;
      });
      for (int i = 0; i < JAVA.size(); i++) {
        String result = members.get(i).get(150, TimeUnit.SECONDS);
        String transport = i % 2 == 0 ? "websocket" : "http-poll";
        assertTrue(result.startsWith("RESULT peer=" + JAVA.get(i) + " transport=" + transport
            + " group=true ok=true peers_ok=4/4 "), result + "\npage log:\n" + browser.pageLog());
      }
      Map<?, ?> seen = (Map<?, ?>) browser.js("return simplecall.groupSeen");
      for (String id : JAVA) {
        Map<?, ?> s = (Map<?, ?>) seen.get(id);
        assertTrue(Boolean.TRUE.equals(s.get("connected")), id + ": " + s);
        assertTrue(((Number) s.get("audioPackets")).longValue() > 50, id + ": " + s);
        assertTrue(Boolean.TRUE.equals(s.get("hello")) && Boolean.TRUE.equals(s.get("ack")), id + ": " + s);
      }
      // the members left: the page's room is empty again
      browser.await(Duration.ofSeconds(20), "the page saw everyone leave",
          b -> ((List<?>) b.js("return simplecall.groupMembers")).isEmpty() ? true : null);
      assertEquals(List.of(), browser.js("return simplecall.groupMembers"));
    }
  }

}
