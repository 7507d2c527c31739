package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.IceServerInfo;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportOptions;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The TURN credential refresh ({@code GET /v1/turn-credentials} on the signaling server) goes through
 * the {@link HttpClient} the app gave {@link CallClient.Builder#httpClient}, with its proxy settings.
 * The signaling host does not exist ({@code .invalid}), so only a request sent through the app's
 * proxy can succeed; the proxy is a real local HTTP server that records what it got. Signaling itself
 * is the in-memory hub, registered for {@code ws:}.
 */
class TurnRefreshHttpClientTest {
  private static final String SIGNALING = "ws://signaling.turn-refresh.invalid:8080/v1/ws";

  @Test
  void turnCredentialRefreshUsesTheAppsHttpClient() throws Exception {
    long freshExpiry = Instant.now().plusSeconds(600).getEpochSecond();
    String answer = "{\"ttl\":600,\"iceServers\":[{\"urls\":[\"turn:127.0.0.1:9\"],\"username\":\"" + freshExpiry
        + ":alice\",\"credential\":\"fresh\"}]}";
    InMemorySignaling hub = new InMemorySignaling();
    try (RecordingHttpProxy proxy = new RecordingHttpProxy(answer);
        CallClient client = CallClient.builder()
            .addTransportFactory(wsViaHub(hub))
            .httpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(proxy.address())).build())
            .media(MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build())
            .build()) {
      BlockingQueue<String> steps = new LinkedBlockingQueue<>();
      RecordingListener l = new RecordingListener() {
        @Override
        public void onProgress(CallSession s, String step) {
          super.onProgress(s, step);
          steps.add(step);
        }
      };
      CallSession alice = client.newSession(SessionOptions.builder().signaling(URI.create(SIGNALING))
          .room("turn-http").peerId("alice").token("join-token-1").build(), l);
      alice.start();
      assertNotNull(l.joined.poll(10, TimeUnit.SECONDS), "alice did not join");

      // TURN REST credentials that expire in 2 s: the refresh is due after about 1 s
      String expiring = Instant.now().plusSeconds(2).getEpochSecond() + ":alice";
      assertTrue(hub.inject("alice", EnvelopeCodec.encode(new Envelope.Welcome(Ids.newId(), "turn-http", "alice",
          List.of("alice"), List.of(IceServerInfo.of("turn:127.0.0.1:9", expiring, "old"))))));

      String step;
      do {
        step = steps.poll(10, TimeUnit.SECONDS);
        assertNotNull(step, "no TURN refresh happened: " + l.progress);
        assertFalse(step.startsWith("TURN credential refresh failed"), step);
      } while (!step.startsWith("TURN credentials refreshed via GET /v1/turn-credentials"));
      assertTrue(step.contains(Instant.ofEpochSecond(freshExpiry).toString()), step);

      List<String> head = proxy.requests.poll(5, TimeUnit.SECONDS);
      assertNotNull(head, "the proxy recorded no request");
      assertEquals("GET http://signaling.turn-refresh.invalid:8080/v1/turn-credentials?peer=alice HTTP/1.1", head.get(0));
      assertTrue(head.contains("Authorization: Bearer join-token-1"), head.toString());
      alice.close();
      l.awaitEnded(10);
    }
  }

  /** The hub's transport, chosen for {@code ws:} URIs. */
  private static SignalingTransportFactory wsViaHub(InMemorySignaling hub) {
    SignalingTransportFactory memory = hub.transportFactory();
    return new SignalingTransportFactory() {
      @Override
      public Set<String> schemes() {
        return Set.of("ws");
      }

      @Override
      public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener listener) {
        return memory.create(endpoint, options, listener);
      }
    };
  }
}
