package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/** Raw long-poll protocol calls over a real OkHttp client; every response is returned as parsed JSON. */
final class PollTestClient {
  static final MediaType JSON = MediaType.get("application/json");

  record Reply(int status, String location, Map<String, Object> body, String text) {
    long cursor() {
      return ((Number) body.get("cursor")).longValue();
    }

    String session() {
      return (String) body.get("session");
    }

    /** The {@code messages} array decoded as envelopes. */
    List<Envelope> messages() throws Exception {
      List<Envelope> out = new ArrayList<>();
      for (Object m : (List<?>) body.get("messages")) out.add(EnvelopeCodec.decode(toJson(m)));
      return out;
    }
  }

  private final OkHttpClient http;
  private final String base;

  PollTestClient(OkHttpClient http, int port) {
    this.http = http;
    this.base = "http://127.0.0.1:" + port;
  }

  Reply create(String body, String bearer) throws IOException {
    return execute(request("/v1/poll/sessions", bearer).post(RequestBody.create(body, JSON)).build());
  }

  Reply create(Envelope join) throws IOException {
    return create(EnvelopeCodec.encode(join), null);
  }

  Reply post(String sid, String body) throws IOException {
    return execute(request("/v1/poll/sessions/" + sid + "/messages", null).post(RequestBody.create(body, JSON)).build());
  }

  /** Posts {@code body} as it is, bytes that are not UTF-8 included. */
  Reply post(String sid, byte[] body) throws IOException {
    return execute(request("/v1/poll/sessions/" + sid + "/messages", null).post(RequestBody.create(body, JSON)).build());
  }

  Reply post(String sid, Envelope e) throws IOException {
    return post(sid, EnvelopeCodec.encode(e));
  }

  Reply poll(String sid, long after, long waitMs) throws IOException {
    return execute(pollRequest(sid, after, waitMs));
  }

  CompletableFuture<Reply> pollAsync(String sid, long after, long waitMs) {
    CompletableFuture<Reply> f = new CompletableFuture<>();
    http.newCall(pollRequest(sid, after, waitMs)).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        f.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try {
          f.complete(read(response));
        } catch (IOException e) {
          f.completeExceptionally(e);
        }
      }
    });
    return f;
  }

  Reply delete(String sid) throws IOException {
    return execute(request("/v1/poll/sessions/" + sid, null).delete().build());
  }

  private Request pollRequest(String sid, long after, long waitMs) {
    return request("/v1/poll/sessions/" + sid + "/messages?after=" + after + "&waitMs=" + waitMs, null).get().build();
  }

  private Request.Builder request(String path, String bearer) {
    Request.Builder b = new Request.Builder().url(base + path);
    if (bearer != null) b.header("Authorization", "Bearer " + bearer);
    return b;
  }

  private Reply execute(Request request) throws IOException {
    return read(http.newCall(request).execute());
  }

  @SuppressWarnings("unchecked")
  static Reply read(Response response) throws IOException {
    try (response) {
      String text = response.body().string();
      Map<String, Object> body;
      try {
        body = text.isEmpty() ? Map.of() : (Map<String, Object>) JsonReader.of(new Buffer().writeUtf8(text)).readJsonValue();
      } catch (IOException | ClassCastException e) {
        throw new IOException("HTTP " + response.code() + " with a body that is not a JSON object: " + text, e);
      }
      return new Reply(response.code(), response.header("Location"), body, text);
    }
  }

  static String toJson(Object value) throws IOException {
    Buffer b = new Buffer();
    try (JsonWriter w = JsonWriter.of(b)) {
      w.jsonValue(value);
    }
    return b.readUtf8();
  }

  static void assertError(Reply r, int status, String code) {
    assertEquals(status, r.status(), r.text());
    assertEquals("error", r.body().get("type"), r.text());
    assertEquals(code, r.body().get("code"), r.text());
  }
}
