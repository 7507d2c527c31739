package dev.simplecall.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Counts what the server logs at ERROR, or with an exception at WARN: a crash in a handler. Attached to
 * the root logger, so it also sees what the server's libraries (Jetty, Moquette, Paho) log.
 *
 * <p>Not counted: Netty's warning that a {@code ClosedChannelException} reached the end of a
 * connection's pipeline. The embedded broker (Moquette) writes to a connection from its session threads;
 * when the connection closed meanwhile (the client left, or {@code PacketGuard} closed it for a bad
 * packet) and Netty already took its handlers down, the failed write is reported there, where no handler
 * is left to take it. While the handlers are up, {@code PacketGuard} takes such an exception quietly.
 *
 * <pre>{@code
 * ServerErrors errors = ServerErrors.attach();
 * try { ... } finally { errors.detach(); }
 * assertEquals(List.of(), errors.events());
 * }</pre>
 */
public final class ServerErrors extends AppenderBase<ILoggingEvent> {
  private final List<String> events = new ArrayList<>();

  private ServerErrors() {}

  public static ServerErrors attach() {
    ServerErrors e = new ServerErrors();
    e.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    e.start();
    root().addAppender(e);
    return e;
  }

  @Override
  protected synchronized void append(ILoggingEvent e) {
    if (lateWriteToAClosedConnection(e)) return;
    if (e.getLevel().isGreaterOrEqual(Level.ERROR) || (e.getLevel() == Level.WARN && e.getThrowableProxy() != null)) {
      events.add(e.getLoggerName() + ": " + e.getFormattedMessage());
    }
  }

  private static boolean lateWriteToAClosedConnection(ILoggingEvent e) {
    return e.getLevel() == Level.WARN && "io.netty.channel.DefaultChannelPipeline".equals(e.getLoggerName())
        && e.getThrowableProxy() != null && e.getThrowableProxy().getClassName().endsWith("ClosedChannelException");
  }

  /** "logger: message" of each, in order. */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  public synchronized int count() {
    return events.size();
  }

  public void detach() {
    root().detachAppender(this);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
