package dev.simplecall.server;

import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** One OkHttp client shared by the tests (connection pool and threads are per client). */
final class TestHttp {
  static final OkHttpClient CLIENT = create();

  private TestHttp() {}

  private static OkHttpClient create() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(512);
    dispatcher.setMaxRequestsPerHost(512);
    return new OkHttpClient.Builder().dispatcher(dispatcher).readTimeout(0, TimeUnit.SECONDS).build();
  }
}
