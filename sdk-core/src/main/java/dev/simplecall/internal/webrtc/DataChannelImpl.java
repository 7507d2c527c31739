package dev.simplecall.internal.webrtc;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.simplecall.CallException;
import dev.simplecall.DataChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DataChannel} over an {@link RTCDataChannel}. A channel this side opens is handed to the
 * app at once, before the native channel exists; the session thread later {@link #attach}es it or
 * {@link #fail}s it, so opening never waits for the session thread. Native observer callbacks
 * (signaling thread) only copy data and post to the session's callback executor; they never block,
 * throw or take this object's lock. Sends pass exact-size heap buffers, because the native send
 * ignores position and limit. Exactly one terminal event reaches the listener: {@code onClosed} or
 * {@code onFailure}.
 */
public final class DataChannelImpl implements DataChannel {
  private static final Logger log = LoggerFactory.getLogger(DataChannelImpl.class);
  /** send() refuses when this much is already queued (libwebrtc closes the channel at 16 MiB). */
  static final long MAX_BUFFERED = 8L * 1024 * 1024;

  private final String label;
  private final Executor callbacks;
  /** Guarded by {@code this}: the native channel ({@code null} until attached), listener, early events. */
  private RTCDataChannel channel;
  private Listener listener;
  private final List<Consumer<Listener>> early = new ArrayList<>();
  private volatile boolean closeRequested; // written under this object's lock, read by markOpen() without it
  private boolean disposed;
  private volatile boolean open;
  /** Set by whoever emits onOpen: attach (session thread) and the observer (signaling thread) may race. */
  private final AtomicBoolean opened = new AtomicBoolean();
  /** Set by whoever emits the terminal event (onClosed or onFailure), from any thread. */
  private final AtomicBoolean terminal = new AtomicBoolean();

  /** A channel this side opens: the session thread {@link #attach}es the native one or {@link #fail}s it. */
  public DataChannelImpl(String label, Executor callbacks) {
    this.label = Objects.requireNonNull(label, "label == null");
    this.callbacks = callbacks;
  }

  /** A channel the remote peer opened. */
  static DataChannelImpl remote(RTCDataChannel channel, Executor callbacks) {
    DataChannelImpl ch = new DataChannelImpl(channel.getLabel(), callbacks);
    ch.attach(channel);
    return ch;
  }

  /**
   * Binds the native channel (on the session thread). When the app closed this channel meanwhile,
   * releases the native one instead and reports onClosed; returns {@code false} then.
   */
  synchronized boolean attach(RTCDataChannel rtc) {
    if (closeRequested || disposed) {
      release(rtc, false);
      disposed = true;
      terminate(l -> l.onClosed(this));
      return false;
    }
    channel = rtc;
    rtc.registerObserver(new Observer(rtc));
    if (rtc.getState() == RTCDataChannelState.OPEN) markOpen();
    return true;
  }

  /** The channel could not be made (no call, the call ended, a native error): reports onFailure. */
  public void fail(CallException error) {
    synchronized (this) {
      if (channel != null || disposed) return;
      disposed = true;
      if (closeRequested) { // the app gave up on it first: a plain close
        terminate(l -> l.onClosed(this));
        return;
      }
    }
    log.debug("data channel {} failed: {}", label, error.getMessage());
    terminate(l -> l.onFailure(this, error));
  }

  private final class Observer implements RTCDataChannelObserver {
    private final RTCDataChannel ch;

    Observer(RTCDataChannel ch) {
      this.ch = ch;
    }

    @Override
    public void onBufferedAmountChange(long previous) {}

    @Override
    public void onStateChange() {
      try {
        RTCDataChannelState s = ch.getState();
        if (s == RTCDataChannelState.OPEN) {
          markOpen();
        } else if (s == RTCDataChannelState.CLOSED) {
          open = false;
          terminate(l -> l.onClosed(DataChannelImpl.this));
        }
      } catch (Throwable t) {
        log.warn("data channel state callback failed", t);
      }
    }

    @Override
    public void onMessage(RTCDataChannelBuffer buffer) {
      try {
        ByteBuffer data = buffer.data;
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        if (buffer.binary) {
          emit(l -> l.onBinary(DataChannelImpl.this, bytes));
        } else {
          String text = new String(bytes, StandardCharsets.UTF_8);
          emit(l -> l.onText(DataChannelImpl.this, text));
        }
      } catch (Throwable t) {
        log.warn("data channel message callback failed", t);
      }
    }
  }

  /**
   * Runs on the session thread (attach) or libwebrtc's signaling thread (the observer), so it takes no
   * lock (close() holds this object's lock while it calls into the channel, which hops to that thread).
   * A dispose or close racing with it must still leave {@link #isOpen()} false: the flag is written
   * first and checked again after, and dispose() sets {@code open = false} only after {@code terminal}.
   */
  private void markOpen() {
    if (terminal.get() || closeRequested || !opened.compareAndSet(false, true)) return;
    open = true;
    if (terminal.get() || closeRequested) {
      open = false;
      return;
    }
    emit(l -> l.onOpen(this));
  }

  private void terminate(Consumer<Listener> event) {
    if (terminal.compareAndSet(false, true)) emit(event);
  }

  private void emit(Consumer<Listener> event) {
    callbacks.execute(() -> {
      Listener l;
      synchronized (this) {
        l = listener;
        if (l == null) {
          early.add(event);
          return;
        }
      }
      event.accept(l);
    });
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean send(String text) {
    Objects.requireNonNull(text, "text == null");
    return sendBytes(text.getBytes(StandardCharsets.UTF_8), false);
  }

  @Override
  public boolean send(byte[] data) {
    Objects.requireNonNull(data, "data == null");
    return sendBytes(data.clone(), true);
  }

  private synchronized boolean sendBytes(byte[] exact, boolean binary) {
    if (!open || disposed || channel == null) return false;
    try {
      if (channel.getBufferedAmount() + exact.length > MAX_BUFFERED) return false;
      channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(exact), binary));
      return true;
    } catch (Exception e) {
      log.debug("data channel {} send failed: {}", label, e.toString());
      return false;
    }
  }

  @Override
  public synchronized long bufferedAmount() {
    return disposed || channel == null ? 0 : channel.getBufferedAmount();
  }

  @Override
  public void setListener(Listener l) {
    Objects.requireNonNull(l, "listener == null");
    callbacks.execute(() -> {
      List<Consumer<Listener>> replay;
      synchronized (this) {
        listener = l;
        replay = new ArrayList<>(early);
        early.clear();
      }
      for (Consumer<Listener> e : replay) e.accept(l);
    });
  }

  /** Closes the native channel, or (not made yet) makes sure it is released as soon as it is. */
  @Override
  public synchronized void close() {
    if (disposed) return;
    open = false;
    closeRequested = true;
    if (channel != null) channel.close();
  }

  /** Called by the peer before it closes the peer connection; reports onClosed if not yet. */
  synchronized void dispose() {
    if (disposed) return;
    disposed = true;
    open = false;
    if (channel != null) release(channel, true);
    terminate(l -> l.onClosed(this));
    open = false; // after terminal is set: a markOpen() racing with this sees one or the other
  }

  private static void release(RTCDataChannel ch, boolean observed) {
    try {
      if (observed) ch.unregisterObserver();
      ch.close();
      ch.dispose();
    } catch (Throwable t) {
      log.debug("data channel dispose: {}", t.toString());
    }
  }

  @Override
  public String toString() {
    return "DataChannel[" + label + (open ? ", open" : "") + "]";
  }
}
