package dev.simplecall.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits sockets, so that one client cannot hold many of them, nor hold them by being slow:
 *
 * <ul>
 *   <li>One client address ({@link ClientAddress}) may hold at most {@code maxPerAddress} sockets open;
 *       one more is closed as soon as it is accepted, before anything is read or answered. A trusted
 *       proxy's sockets ({@link TrustedProxies}) carry many clients and are not capped: the clients
 *       behind it are counted per session, by the address the proxy names.
 *   <li>Every request must arrive whole (its headers, and the body they announce) within the
 *       request-read timeout. The first request counts from the moment the socket was accepted (a TLS
 *       handshake, or silence, included), each later one from when its first bytes are seen. A late
 *       connection is closed without an answer. A WebSocket, once upgraded, and a held long-poll are not
 *       affected: their requests were read whole at once.
 * </ul>
 *
 * <p>Jetty reports every accepted socket ({@link SelectorManager.AcceptListener}) and every connection
 * on it ({@link Connection.Listener}) to this object, a bean of the connector ({@link #attach}); the
 * {@link #tracker()} in front of the application reports each request read whole. The server's timer
 * {@linkplain #startSweeping sweeps} the sockets a few times per timeout.
 */
final class ConnectionGuard implements SelectorManager.AcceptListener, Connection.Listener {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  private final long timeoutNanos;
  private final int maxPerAddress;
  private final TrustedProxies proxies;
  private final RefusalLog lateRequests;
  private final RefusalLog overLimit;
  private final LongSupplier nanoTime;
  private final Map<SelectableChannel, Socket> sockets = new ConcurrentHashMap<>();
  // ClientAddress key -> sockets open from it; an address is forgotten when its last socket closes
  private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();

  ConnectionGuard(Duration requestReadTimeout, int maxPerAddress, TrustedProxies proxies, RefusalLog lateRequests,
      RefusalLog overLimit, LongSupplier nanoTime) {
    this.timeoutNanos = requestReadTimeout.toNanos();
    this.maxPerAddress = maxPerAddress;
    this.proxies = proxies;
    this.lateRequests = lateRequests;
    this.overLimit = overLimit;
    this.nanoTime = nanoTime;
  }

  /** Watches {@code connector}'s sockets and connections; call before it starts. */
  ServerConnector attach(ServerConnector connector) {
    connector.addBean(this); // an AcceptListener for its selector manager, a Connection.Listener for its connections
    return connector;
  }

  /** The handler to put in front of the application: it tells this guard when a request was read whole. */
  Handler.Wrapper tracker() {
    return new Tracker();
  }

  /** Sweeps every quarter of the timeout (at most every second) on {@code timer}. */
  void startSweeping(ScheduledExecutorService timer) {
    long every = Math.max(TimeUnit.MILLISECONDS.toNanos(50), Math.min(TimeUnit.SECONDS.toNanos(1), timeoutNanos / 4));
    timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.NANOSECONDS);
  }

  /** Sockets being watched (for tests: zero once every client has gone). */
  int watched() {
    return sockets.size();
  }

  /** Sockets open from {@code address} (a {@link ClientAddress} key). */
  int openFrom(String address) {
    return perAddress.getOrDefault(address, 0);
  }

  /** Connections closed so far for a late request. */
  long closedLate() {
    return lateRequests.count();
  }

  /** Connections refused so far over the per-address limit. */
  long refusedOverLimit() {
    return overLimit.count();
  }

  @Override
  public void onAccepting(SelectableChannel channel) {
    String address = addressOf(channel);
    if (address != null && !reserve(address)) {
      overLimit.record(address);
      IO.close(channel); // Jetty then fails the accept (onAcceptFailed): nothing was counted for it
      return;
    }
    sockets.put(channel, new Socket(channel, address, nanoTime.getAsLong()));
  }

  @Override
  public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
    forget(channel);
  }

  @Override
  public void onClosed(SelectableChannel channel) {
    forget(channel);
  }

  /** Counts one more socket from {@code address}, unless it holds the most it may. */
  private boolean reserve(String address) {
    boolean[] reserved = new boolean[1];
    perAddress.compute(address, (a, n) -> {
      int open = n == null ? 0 : n;
      if (open >= maxPerAddress) return n;
      reserved[0] = true;
      return open + 1;
    });
    return reserved[0];
  }

  /** Stops watching a socket and gives back its place; once per socket, whichever of Jetty's reports comes. */
  private void forget(SelectableChannel channel) {
    Socket s = sockets.remove(channel);
    if (s != null && s.address != null) perAddress.computeIfPresent(s.address, (a, n) -> n <= 1 ? null : n - 1);
  }

  @Override
  public void onOpened(Connection connection) {
    EndPoint network = network(connection.getEndPoint());
    Socket s = sockets.get(network.getTransport());
    if (s != null) s.opened(network, connection);
  }

  @Override
  public void onClosed(Connection connection) {
    Socket s = socketOf(connection);
    if (s != null) s.closed(connection);
  }

  private void sweep() {
    long now = nanoTime.getAsLong();
    for (Socket s : sockets.values()) {
      try {
        if (!s.channel.isOpen()) {
          forget(s.channel); // closed without Jetty telling (an accept that failed half-way)
        } else if (s.late(now, timeoutNanos)) {
          lateRequests.record(s.address == null ? "?" : s.address);
          s.close();
        }
      } catch (RuntimeException e) {
        log.warn("checking {} failed", s.address, e); // and the next sweep runs all the same
      }
    }
  }

  private Socket socketOf(Connection connection) {
    return sockets.get(network(connection.getEndPoint()).getTransport());
  }

  /** The socket's own end point under any TLS layers (whose transport is the end point below). */
  private static EndPoint network(EndPoint endPoint) {
    EndPoint e = endPoint;
    while (e.getTransport() instanceof EndPoint below) e = below;
    return e;
  }

  /** The key the socket counts under; {@code null} (not counted) when it is not an IP socket or comes from a trusted proxy. */
  private String addressOf(SelectableChannel channel) {
    try {
      if (!(channel instanceof SocketChannel sc)) return null;
      SocketAddress remote = sc.getRemoteAddress();
      return proxies.contains(remote) ? null : ClientAddress.key(remote);
    } catch (IOException e) {
      return null; // already closed
    }
  }

  /**
   * One accepted socket. Jetty's threads report its connections and requests, the timer reads it;
   * every field but the final ones is guarded by this object's lock, held only for a few assignments.
   */
  private static final class Socket {
    final SelectableChannel channel;
    final String address; // ClientAddress key; null: not an IP socket
    private EndPoint endPoint; // Jetty's end point of the socket, once a connection opened on it
    private Connection http; // the HTTP/1.1 connection, once open (after TLS detection, for instance)
    private boolean upgraded; // HTTP/1.1 gave way to a WebSocket: nothing more to watch
    private long requestsRead; // requests read whole on http
    private long bytesWhenRead; // bytes http had read when the last of them was read whole
    private long waitingSince; // nanoTime a request began to be awaited and has not arrived whole; 0: none

    Socket(SelectableChannel channel, String address, long acceptedNanos) {
      this.channel = channel;
      this.address = address;
      this.waitingSince = acceptedNanos; // the first request is due from the accept on
    }

    synchronized void opened(EndPoint network, Connection connection) {
      endPoint = network;
      if (connection instanceof ConnectionMetaData) http = connection; // HTTP/1.1; TLS and its detection are not
    }

    synchronized void closed(Connection connection) {
      if (connection == http) upgraded = true; // or the socket closes, and then it is forgotten anyway
    }

    synchronized void requestRead(Connection connection) {
      if (connection != http) return;
      requestsRead++;
      bytesWhenRead = connection.getBytesIn();
    }

    /**
     * Whether a request has been awaited for {@code timeout} without arriving whole: none read yet, or
     * one whose headers arrived and whose body has not, or bytes of a next one since the last.
     */
    synchronized boolean late(long now, long timeout) {
      if (upgraded) return false;
      boolean waiting = http == null || requestsRead == 0 || http.getMessagesIn() > requestsRead
          || http.getBytesIn() > bytesWhenRead;
      if (!waiting) {
        waitingSince = 0;
        return false;
      }
      if (waitingSince == 0) waitingSince = now;
      return now - waitingSince >= timeout;
    }

    void close() {
      EndPoint e;
      synchronized (this) {
        e = endPoint;
      }
      if (e != null) e.close(); // Jetty then closes the connections on it and reports the socket closed
      else IO.close(channel);
    }
  }

  /**
   * In front of the application: a request without a body was read whole when it gets here; one with
   * a body once its last chunk was read, or when the application is done with it (whatever it left
   * unread Jetty reads or drops with the connection).
   */
  private final class Tracker extends Handler.Wrapper {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      Connection connection = request.getConnectionMetaData().getConnection();
      Socket s = socketOf(connection);
      if (s == null) return super.handle(request, response, callback);
      long length = request.getLength();
      boolean body = length > 0 || (length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
      if (!body) {
        s.requestRead(connection);
        return super.handle(request, response, callback);
      }
      AtomicBoolean once = new AtomicBoolean();
      Runnable read = () -> {
        if (once.compareAndSet(false, true)) s.requestRead(connection);
      };
      Request watched = new Request.Wrapper(request) {
        @Override
        public Content.Chunk read() {
          Content.Chunk chunk = super.read();
          if (chunk != null && chunk.isLast()) read.run();
          return chunk;
        }
      };
      boolean handled = super.handle(watched, response, Callback.from(read, callback));
      if (!handled) read.run();
      return handled;
    }
  }
}
