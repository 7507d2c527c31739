package dev.simplecall.transport.httppoll;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.spi.support.TransportLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocking OkHttp calls on this transport's own I/O threads, results posted to the loop. Own threads
 * rather than {@link Call#enqueue}, so a long poll held open never waits behind the app's {@code
 * Dispatcher} limits (five requests per host by default) and never starves its sends.
 */
final class PollHttp {
  private static final Logger log = LoggerFactory.getLogger(PollHttp.class);
  static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  /** An HTTP outcome: a status and body, or the I/O error that prevented one. */
  record Result(int code, String body, String location, IOException error) {
    /** Worth trying again later: no answer, a server error, or "slow down". */
    boolean retryable() {
      return error != null || code >= 500 || code == 408 || code == 429;
    }

    Throwable cause() {
      return error != null ? error : new IOException("HTTP " + code + (body == null ? "" : ": " + body));
    }

    /** The code of an {@code error} envelope in the body, or {@code null}. */
    ErrorCode errorCode() {
      if (body == null || body.isEmpty()) return null;
      try {
        return EnvelopeCodec.decode(body) instanceof Envelope.Error e ? e.errorCode() : null;
      } catch (Exception e) {
        return null;
      }
    }

    /** The last path segment of {@code Location}, which names a new session. */
    String locationTail() {
      if (location == null) return null;
      String l = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
      int slash = l.lastIndexOf('/');
      return slash < 0 || slash == l.length() - 1 ? null : l.substring(slash + 1);
    }
  }

  private final OkHttpClient client;
  private final String token;
  private final TransportLoop loop;
  private final ExecutorService io;

  PollHttp(OkHttpClient client, String token, TransportLoop loop, String threadName) {
    this.client = client;
    this.token = token;
    this.loop = loop;
    this.io =
        new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, threadName);
          t.setDaemon(true);
          return t;
        });
  }

  Request.Builder request(HttpUrl url) {
    Request.Builder b = new Request.Builder().url(url).header("User-Agent", UserAgent.VALUE);
    if (token != null) b.header("Authorization", "Bearer " + token);
    return b;
  }

  /** Runs {@code request} on an I/O thread; {@code onLoop} gets the result on the loop. */
  Call call(Request request, Duration timeout, BiConsumer<Call, Result> onLoop) {
    Call call = client.newCall(request);
    call.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    io.execute(() -> {
      Result r = execute(call);
      loop.execute(() -> onLoop.accept(call, r));
    });
    return call;
  }

  /** Best effort, off the loop: sends the last messages, then deletes the session (the leave). */
  void leave(HttpUrl session, List<String> last, Duration timeout) {
    io.execute(() -> {
      if (!last.isEmpty()) {
        RequestBody body = RequestBody.create(PollJson.sendBody(last), JSON);
        Call send = client.newCall(request(session.newBuilder().addPathSegment("messages").build()).post(body).build());
        send.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        execute(send);
      }
      Call delete = client.newCall(request(session).delete().build());
      delete.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Result r = execute(delete);
      if (r.error() != null || r.code() >= 300) log.debug("leave: {}", r.cause().toString());
    });
  }

  /** Lets calls already started finish; starts no more. */
  void shutdown() {
    io.shutdown();
  }

  private static Result execute(Call call) {
    try (Response response = call.execute()) {
      ResponseBody body = response.body();
      return new Result(response.code(), body == null ? null : body.string(), response.header("Location"), null);
    } catch (IOException e) {
      return new Result(0, null, null, e);
    }
  }
}
