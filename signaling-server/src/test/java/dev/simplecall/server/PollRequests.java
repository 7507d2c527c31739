package dev.simplecall.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * Long-poll requests for the hostile corpus: bodies sent with a length or chunked, and the attacks
 * that are not envelope bodies (bad session ids, cursors and waits, content types, huge bodies,
 * malformed chunked framing), each asserted against its documented status and code.
 */
final class PollRequests {
  record Answer(int status, String code) {}

  private static final String[] BAD_TYPES = {
    null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    "application/jsonx", "application/json-seq", "text/json", "application/xml", "*/*",
  };
  private static final String[] BAD_NUMBERS = {"-1", "abc", "1.5", "99999999999999999999", "0x10", "1e3", "%00", "+-1", "-0x1"};

  private final int port;
  private final String base;
  private final Random random;
  private final Predicate<String> holding;

  /** {@code holding} tells whether a session has a poll held open (the server's own view). */
  PollRequests(int port, Random random, Predicate<String> holding) {
    this.port = port;
    this.holding = holding;
    this.base = "http://127.0.0.1:" + port + "/v1/poll/sessions";
    this.random = random;
  }

  PollTestClient.Reply create(String body, boolean chunked) throws IOException {
    return execute(new Request.Builder().url(base).post(body(body, PollTestClient.JSON, chunked)).build());
  }

  PollTestClient.Reply post(String sid, String body, boolean chunked) throws IOException {
    return execute(new Request.Builder().url(base + "/" + sid + "/messages").post(body(body, PollTestClient.JSON, chunked)).build());
  }

  /** Attack kind 7 (session ids), 8 (cursors and waits) or 9 (content types, sizes, chunked framing). */
  Answer attack(int kind, String session, long cursor, String where) throws Exception {
    if (kind == 7) {
      String sid = pickOf("nope", "x".repeat(1 + random.nextInt(2000)), session.substring(1), session + "A", "..%2F..%2Fhealthz",
          "%00", "%ff%fe", session.toUpperCase(Locale.ROOT), "%20" + session, session + "%2F", "%2e%2e");
      // Paths Jetty refuses before routing (an encoded NUL, invalid UTF-8): 400 bad-json.
      boolean refusedUri = sid.startsWith("%00") || sid.startsWith("%ff");
      Request.Builder b = new Request.Builder().url(base + "/" + sid + (random.nextBoolean() ? "" : "/messages?after=0&waitMs=0"));
      Request r = switch (random.nextInt(3)) {
        case 0 -> new Request.Builder().url(base + "/" + sid + "/messages?after=0&waitMs=0").get().build();
        case 1 -> new Request.Builder().url(base + "/" + sid + "/messages").post(RequestBody.create("{}", PollTestClient.JSON)).build();
        default -> b.url(base + "/" + sid).delete().build();
      };
      if (sid.equals("%2e%2e")) { // resolves to /v1/poll/...: a path no endpoint serves, Javalin's plain 404
        try (Response raw = TestHttp.CLIENT.newCall(r).execute()) {
          String text = raw.body().string();
          assertEquals(404, raw.code(), where + r.method() + " " + r.url() + " answered " + text);
          assertTrue(text.startsWith("Endpoint ") && text.endsWith(" not found"), where + text);
          return new Answer(404, "no-endpoint");
        }
      }
      return expect(execute(r), refusedUri ? 400 : 404, refusedUri ? "bad-json" : "not-joined", where + r.method() + " " + sid);
    }
    if (kind == 8) {
      boolean after = random.nextBoolean();
      String bad = random.nextInt(5) == 0 ? String.valueOf(cursor + 1 + random.nextInt(1000)) : pickOf(BAD_NUMBERS);
      if (!after && bad.matches("\\d+")) bad = "-" + bad; // a large waitMs is capped, not refused: see below
      String query = after ? "after=" + bad + "&waitMs=0" : "after=" + cursor + "&waitMs=" + bad;
      PollTestClient.Reply r = execute(new Request.Builder().url(base + "/" + session + "/messages?" + query).get().build());
      return expect(r, 400, "bad-json", where + query);
    }
    switch (random.nextInt(4)) {
      case 0 -> {
        String type = pickOf(BAD_TYPES);
        RequestBody body = body("{\"v\":1,\"type\":\"join\",\"id\":\"j\",\"room\":\"r\",\"from\":\"p\"}",
            type == null ? null : MediaType.get(type), random.nextBoolean());
        String url = random.nextBoolean() ? base : base + "/" + session + "/messages";
        return expect(execute(new Request.Builder().url(url).post(body).build()), 415, "bad-json", where + "Content-Type " + type);
      }
      case 1 -> {
        boolean create = random.nextBoolean();
        int size = create ? 65_537 + random.nextInt(3_000_000) : 1_048_577 + random.nextInt(2_000_000);
        String body = "[" + " ".repeat(size) + "]";
        PollTestClient.Reply r = create ? create(body, random.nextBoolean()) : post(session, body, random.nextBoolean());
        return expect(r, 413, "too-large", where + "body of " + size + " bytes");
      }
      case 2 -> {
        // Absurd but numeric waits are capped at the server's maximum: the held poll ends as soon as
        // the next poll on the session arrives, with 200 and nothing in it.
        String wait = pickOf("9223372036854775807", "2147483648", "120001", "99999999");
        CompletableFuture<PollTestClient.Reply> held = new PollTestClient(TestHttp.CLIENT, port).pollAsync(session, cursor, Long.parseLong(wait));
        await().atMost(WsTestClient.WAIT_SECONDS, TimeUnit.SECONDS).until(() -> holding.test(session));
        PollTestClient.Reply now = execute(new Request.Builder().url(base + "/" + session + "/messages?after=" + cursor + "&waitMs=0").get().build());
        assertEquals(200, now.status(), where + now.text());
        PollTestClient.Reply r = held.get(WsTestClient.WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(200, r.status(), where + "waitMs=" + wait + ": " + r.text());
        return new Answer(200, "capped-wait");
      }
      default -> {
        return new Answer(malformedChunked(session, where), "http");
      }
    }
  }

  /** A chunked body whose framing is broken: Jetty refuses it with 400 before any endpoint runs. */
  private int malformedChunked(String session, String where) throws IOException {
    String chunks = pickOf("zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}}}\r\n0\r\n\r\n", "-1\r\n{}\r\n0\r\n\r\n",
        "FFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n", "2;" + "e".repeat(9000) + "\r\n{}\r\n0\r\n\r\n");
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/poll/sessions/" + session + "/messages HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks)
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8); // Connection: close
      String what = where + "malformed chunked body " + chunks.substring(0, Math.min(20, chunks.length())) + " answered " + response;
      assertTrue(response.startsWith("HTTP/1.1 400 "), what);
      assertTrue(response.contains("\"type\":\"error\"") && response.contains("\"code\":\"bad-json\""), what);
      return 400;
    }
  }

  private static RequestBody body(String text, MediaType type, boolean chunked) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (!chunked) return RequestBody.create(bytes, type);
    return new RequestBody() { // no length: OkHttp sends it chunked
      @Override
      public MediaType contentType() {
        return type;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.write(bytes);
      }
    };
  }

  private static Answer expect(PollTestClient.Reply r, int status, String code, String where) {
    assertEquals(status, r.status(), where + " answered " + r.text());
    assertEquals("error", r.body().get("type"), where + " answered " + r.text());
    assertEquals(code, r.body().get("code"), where + " answered " + r.text());
    return new Answer(status, code);
  }

  private static PollTestClient.Reply execute(Request request) throws IOException {
    try {
      return PollTestClient.read(TestHttp.CLIENT.newCall(request).execute());
    } catch (IOException e) {
      throw new IOException(request.method() + " " + request.url().encodedPath() + "?" + request.url().encodedQuery() + ": " + e.getMessage(), e);
    }
  }

  private String pickOf(String... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
