package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Handshake;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * A raw protocol client on a real OkHttp WebSocket: sends text frames as given, records every frame it
 * receives and how the socket closed. Read with bounded waits only.
 */
final class WsTestClient implements AutoCloseable {
  static final long WAIT_SECONDS = 10;

  final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  /** "code reason" of the server's close frame, or "failure: ..." */
  final CompletableFuture<String> closed = new CompletableFuture<>();
  final CompletableFuture<Void> opened = new CompletableFuture<>();
  /** The TLS handshake of the upgrade ({@code wss://} only), once open. */
  volatile Handshake handshake;
  final WebSocket socket;

  WsTestClient(OkHttpClient http, int port) {
    this(http, port, null);
  }

  /** With {@code origin} non-null, the upgrade carries that {@code Origin} header, as a browser's would. */
  WsTestClient(OkHttpClient http, int port, String origin) {
    this(http, "ws://127.0.0.1:" + port + "/v1/ws", origin);
  }

  /** To {@code url}, e.g. {@code wss://127.0.0.1:PORT/v1/ws}, with an {@code Origin} header when {@code origin} is non-null. */
  WsTestClient(OkHttpClient http, String url, String origin) {
    Request.Builder b = new Request.Builder().url(url);
    if (origin != null) b.header("Origin", origin);
    Request request = b.build();
    socket = http.newWebSocket(request, new WebSocketListener() {
      @Override
      public void onOpen(WebSocket webSocket, Response response) {
        handshake = response.handshake();
        opened.complete(null);
      }

      @Override
      public void onMessage(WebSocket webSocket, String text) {
        received.add(text);
      }

      @Override
      public void onClosing(WebSocket webSocket, int code, String reason) {
        closed.complete(code + " " + reason);
        webSocket.close(1000, null);
      }

      @Override
      public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        closed.complete("failure: " + (response != null ? "HTTP " + response.code() + " " : "") + t);
        opened.completeExceptionally(t);
      }
    });
  }

  /** Bytes OkHttp has queued but not yet written. */
  long queueSize() {
    return socket.queueSize();
  }

  void send(String text) {
    assertTrue(socket.send(text), "socket refused to send");
  }

  void send(Envelope e) {
    send(EnvelopeCodec.encode(e));
  }

  /** Sends a join and returns the welcome. */
  Envelope.Welcome join(String room, String peer, String token) throws Exception {
    send(new Envelope.Join(Ids.newId(), room, peer, token));
    return expect(Envelope.Welcome.class);
  }

  Envelope next() throws Exception {
    String text = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(text, "nothing received within " + WAIT_SECONDS + " s");
    return EnvelopeCodec.decode(text);
  }

  <T extends Envelope> T expect(Class<T> type) throws Exception {
    Envelope e = next();
    assertTrue(type.isInstance(e), "expected " + type.getSimpleName() + " but got " + EnvelopeCodec.encode(e));
    return type.cast(e);
  }

  Envelope.Error expectError(ErrorCode code) throws Exception {
    Envelope.Error e = expect(Envelope.Error.class);
    assertEquals(code, e.errorCode(), "error " + EnvelopeCodec.encode(e));
    return e;
  }

  /** Asserts nothing else has arrived (call after a round trip that proves ordering). */
  void assertNothingQueued() {
    assertNull(received.peek(), "unexpected message");
  }

  String awaitClose() throws Exception {
    return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    socket.close(1000, "bye");
  }
}
