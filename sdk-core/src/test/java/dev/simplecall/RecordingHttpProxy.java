package dev.simplecall;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A plain-HTTP forward proxy that forwards nothing: it records each request's head (request line
 * and headers; a request meant for a proxy carries the absolute URI) and answers it itself with a
 * fixed JSON body. Proves that an HTTP client configured with it as proxy was the one used.
 */
final class RecordingHttpProxy implements AutoCloseable {
  final BlockingQueue<List<String>> requests = new LinkedBlockingQueue<>();
  private final ServerSocket server;
  private final String body;

  RecordingHttpProxy(String jsonBody) throws IOException {
    this.body = jsonBody;
    this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::serve, "recording-http-proxy");
    t.setDaemon(true);
    t.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        List<String> head = new ArrayList<>();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) head.add(line);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + b.length
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
        requests.add(head);
      } catch (IOException e) {
        if (!server.isClosed()) requests.add(List.of("proxy error: " + e));
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
