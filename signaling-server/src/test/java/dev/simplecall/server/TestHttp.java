package dev.simplecall.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

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

  /**
   * A client whose connections come from {@code source}, e.g. {@code 127.0.0.2} (the whole 127.0.0.0/8
   * answers on {@code lo}), so a server sees a different client address. It has its own connection
   * pool: OkHttp would otherwise reuse another client's connection, whose source address is different.
   */
  /** What a GET answered: status, {@code Content-Type} and body. */
  record Got(int code, String contentType, String body) {}

  /** {@code GET http://127.0.0.1:PORT/PATH} with {@code http}. */
  static Got get(OkHttpClient http, int port, String path) throws IOException {
    try (Response r = http.newCall(new Request.Builder().url("http://127.0.0.1:" + port + path).build()).execute()) {
      return new Got(r.code(), r.header("Content-Type"), r.body().string());
    }
  }

  static OkHttpClient from(String source) {
    return CLIENT.newBuilder().connectionPool(new ConnectionPool()).socketFactory(new BoundSocketFactory(source)).build();
  }

  /** Binds every socket to a source address before OkHttp connects it (OkHttp calls {@link #createSocket()}). */
  private static final class BoundSocketFactory extends SocketFactory {
    private final String source;

    BoundSocketFactory(String source) {
      this.source = source;
    }

    @Override
    public Socket createSocket() throws IOException {
      Socket s = new Socket();
      s.bind(new InetSocketAddress(source, 0));
      return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      Socket s = createSocket();
      s.connect(new InetSocketAddress(host, port));
      return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      Socket s = createSocket();
      s.connect(new InetSocketAddress(host, port));
      return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
      throw new UnsupportedOperationException("the source address is fixed: " + source);
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort) {
      throw new UnsupportedOperationException("the source address is fixed: " + source);
    }
  }
}
