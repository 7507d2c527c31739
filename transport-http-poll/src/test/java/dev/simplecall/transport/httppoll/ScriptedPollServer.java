package dev.simplecall.transport.httppoll;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.Ids;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A MockWebServer dispatcher playing the long-poll endpoints from per-route scripts, for edge cases
 * the real server does not produce on demand. Requests are recorded per route. A poll with nothing
 * scripted is held for up to one second and then answered empty, like a real hold ending.
 */
final class ScriptedPollServer extends Dispatcher {
  final BlockingQueue<MockResponse> creates = new LinkedBlockingQueue<>();
  final BlockingQueue<MockResponse> polls = new LinkedBlockingQueue<>();
  final BlockingQueue<MockResponse> sends = new LinkedBlockingQueue<>();
  final BlockingQueue<RecordedRequest> createRequests = new LinkedBlockingQueue<>();
  final BlockingQueue<RecordedRequest> pollRequests = new LinkedBlockingQueue<>();
  final BlockingQueue<RecordedRequest> sendRequests = new LinkedBlockingQueue<>();
  final BlockingQueue<RecordedRequest> deleteRequests = new LinkedBlockingQueue<>();

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    String path = request.getRequestUrl().encodedPath();
    String method = request.getMethod();
    if (method.equals("POST") && path.endsWith("/v1/poll/sessions")) {
      createRequests.add(request);
      return next(creates, 0, request);
    } else if (method.equals("GET") && path.endsWith("/messages")) {
      pollRequests.add(request);
      return next(polls, 1000, request);
    } else if (method.equals("POST") && path.endsWith("/messages")) {
      sendRequests.add(request);
      MockResponse r = sends.poll();
      return r != null ? r : new MockResponse().setResponseCode(202);
    } else if (method.equals("DELETE")) {
      deleteRequests.add(request);
      return new MockResponse().setResponseCode(204);
    }
    return new MockResponse().setResponseCode(404);
  }

  private static MockResponse next(BlockingQueue<MockResponse> script, long holdMs, RecordedRequest request)
      throws InterruptedException {
    MockResponse r = script.poll(holdMs, TimeUnit.MILLISECONDS);
    if (r != null) return r;
    String after = request.getRequestUrl().queryParameter("after");
    return holdMs == 0 ? new MockResponse().setResponseCode(500) : json(200, "{\"cursor\":" + after + ",\"messages\":[]}");
  }

  static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  static MockResponse created(String session, long cursor, String peer) {
    String welcome = EnvelopeCodec.encode(new Envelope.Welcome(Ids.newId(), "r1", peer, List.of(), List.of()));
    return json(201, "{\"session\":\"" + session + "\",\"cursor\":" + cursor + ",\"messages\":[" + welcome + "]}")
        .setHeader("Location", "/v1/poll/sessions/" + session);
  }

  static MockResponse batch(long cursor, String... messages) {
    return json(200, "{\"cursor\":" + cursor + ",\"messages\":[" + String.join(",", messages) + "]}");
  }
}
