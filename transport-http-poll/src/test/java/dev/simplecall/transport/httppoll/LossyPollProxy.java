package dev.simplecall.transport.httppoll;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * An HTTP relay (a MockWebServer dispatcher) in front of the real signaling server that loses and
 * repeats long-poll traffic on purpose, on a fixed schedule so runs are repeatable:
 *
 * <ul>
 *   <li>every 3rd poll answer that carries messages is dropped after the server produced it (the
 *       connection is cut instead of answering), so the client must fetch it again;
 *   <li>every 4th poll answer that carries messages is kept and played again in place of the next
 *       poll (same old cursor, same messages), so the client sees duplicates and a stale cursor;
 *   <li>every 3rd send reaches the server but its answer is dropped, so the client sends it again and
 *       the server routes it twice.
 * </ul>
 */
final class LossyPollProxy extends Dispatcher {
  final AtomicInteger droppedPolls = new AtomicInteger();
  final AtomicInteger replayedPolls = new AtomicInteger();
  final AtomicInteger droppedSends = new AtomicInteger();

  private final HttpUrl upstream;
  private final OkHttpClient client = new OkHttpClient.Builder().readTimeout(30, TimeUnit.SECONDS).build();
  private final AtomicInteger pollsWithMessages = new AtomicInteger();
  private final AtomicInteger sends = new AtomicInteger();
  private volatile MockResponse replayNext;

  LossyPollProxy(int upstreamPort) {
    this.upstream = HttpUrl.get("http://127.0.0.1:" + upstreamPort + "/");
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    boolean poll = request.getMethod().equals("GET") && request.getPath().contains("/messages");
    boolean send = request.getMethod().equals("POST") && request.getPath().endsWith("/messages");
    if (poll) {
      MockResponse replay = replayNext;
      if (replay != null) {
        replayNext = null;
        replayedPolls.incrementAndGet();
        return replay;
      }
    }
    MockResponse answer;
    try {
      answer = forward(request);
    } catch (IOException e) {
      return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START);
    }
    if (poll && answer.getStatus().contains(" 200") && !bodyOf(answer).contains("\"messages\":[]")) {
      int n = pollsWithMessages.incrementAndGet();
      if (n % 3 == 0) {
        droppedPolls.incrementAndGet();
        return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
      }
      if (n % 4 == 0) replayNext = copy(answer);
    } else if (send && sends.incrementAndGet() % 3 == 0) {
      droppedSends.incrementAndGet();
      return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
    }
    return answer;
  }

  private MockResponse forward(RecordedRequest request) throws IOException {
    Request.Builder b = new Request.Builder().url(upstream.resolve(request.getPath()));
    String auth = request.getHeader("Authorization");
    if (auth != null) b.header("Authorization", auth);
    byte[] body = request.getBody().readByteArray();
    String type = request.getHeader("Content-Type");
    switch (request.getMethod()) {
      case "POST" -> b.post(RequestBody.create(body, type == null ? null : MediaType.get(type)));
      case "DELETE" -> b.delete();
      default -> b.get();
    }
    try (Response r = client.newCall(b.build()).execute()) {
      MockResponse m = new MockResponse().setResponseCode(r.code()).setBody(r.body().string());
      for (String h : new String[] {"Content-Type", "Location"}) {
        if (r.header(h) != null) m.setHeader(h, r.header(h));
      }
      return m;
    }
  }

  private static String bodyOf(MockResponse m) {
    return m.getBody() == null ? "" : m.getBody().clone().readUtf8();
  }

  private static MockResponse copy(MockResponse m) {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(bodyOf(m));
  }

  /** MockWebServer calls this when it shuts down. */
  @Override
  public void shutdown() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
