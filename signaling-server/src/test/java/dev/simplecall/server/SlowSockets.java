package dev.simplecall.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Raw sockets that send a request a few bytes at a time, the way a slowloris client does, and note
 * when the server closes them. The sender never closes a socket itself before {@link #close()}, so
 * every end of stream (or reset) seen is the server's doing.
 */
final class SlowSockets implements AutoCloseable {
  private final Selector selector = Selector.open();
  private final List<SocketChannel> channels = new ArrayList<>();
  private final long[] openedNanos;
  private final long[] closedNanos; // 0: still open

  /** Opens {@code count} sockets to {@code 127.0.0.1:port}, each sending {@code first} at once. */
  SlowSockets(int port, int count, String first) throws IOException {
    openedNanos = new long[count];
    closedNanos = new long[count];
    for (int i = 0; i < count; i++) {
      SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      openedNanos[i] = System.nanoTime();
      c.configureBlocking(false);
      c.register(selector, SelectionKey.OP_READ, i);
      channels.add(c);
      write(i, first);
    }
  }

  /**
   * Every {@code every}, sends {@code line} on each socket still open, until the server has closed
   * them all or {@code max} has passed; returns how long each socket lasted from its connect ({@code
   * null}: still open).
   */
  List<Duration> trickle(String line, Duration every, Duration max) throws IOException {
    long end = System.nanoTime() + max.toNanos();
    long nextWrite = System.nanoTime() + every.toNanos();
    ByteBuffer sink = ByteBuffer.allocate(4096);
    while (openCount() > 0 && System.nanoTime() < end) {
      long wait = Math.max(1, Math.min(nextWrite, end) - System.nanoTime());
      selector.select(Math.max(1, wait / 1_000_000));
      for (SelectionKey k : selector.selectedKeys()) {
        int i = (Integer) k.attachment();
        try {
          sink.clear();
          if (((SocketChannel) k.channel()).read(sink) < 0) closed(i); // anything the server sent is ignored
        } catch (IOException e) {
          closed(i); // reset
        }
      }
      selector.selectedKeys().clear();
      if (System.nanoTime() >= nextWrite) {
        for (int i = 0; i < channels.size(); i++) if (closedNanos[i] == 0) write(i, line);
        nextWrite += every.toNanos();
      }
    }
    List<Duration> lifetimes = new ArrayList<>();
    for (int i = 0; i < channels.size(); i++) {
      lifetimes.add(closedNanos[i] == 0 ? null : Duration.ofNanos(closedNanos[i] - openedNanos[i]));
    }
    return lifetimes;
  }

  private void write(int i, String text) {
    try {
      channels.get(i).write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII))); // a few bytes: never partial here
    } catch (IOException e) {
      closed(i);
    }
  }

  private void closed(int i) {
    if (closedNanos[i] == 0) closedNanos[i] = System.nanoTime();
    channels.get(i).keyFor(selector).cancel();
  }

  private int openCount() {
    return (int) Arrays.stream(closedNanos).filter(t -> t == 0).count();
  }

  @Override
  public void close() throws IOException {
    for (SocketChannel c : channels) c.close();
    selector.close();
  }

  /**
   * On one blocking socket (plain or TLS): sends {@code pieces} one every {@code every} until the server
   * closes the socket or {@code max} has passed; returns how long that took from the first piece
   * ({@code null}: still open). The read timeout paces the sends, so anything the server answers is
   * read at once.
   */
  static Duration trickle(Socket socket, List<String> pieces, Duration every, Duration max) throws IOException {
    socket.setSoTimeout((int) every.toMillis());
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    long start = System.nanoTime();
    long end = start + max.toNanos();
    int next = 0;
    byte[] sink = new byte[4096];
    while (System.nanoTime() < end) {
      try {
        if (next < pieces.size()) {
          out.write(pieces.get(next++).getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
        if (in.read(sink) < 0) return Duration.ofNanos(System.nanoTime() - start);
      } catch (SocketTimeoutException e) {
        // nothing from the server within one interval: send the next piece
      } catch (IOException e) {
        return Duration.ofNanos(System.nanoTime() - start); // reset, or a write after the server closed
      }
    }
    return null;
  }
}
