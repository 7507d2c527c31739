package dev.simplecall.internal.webrtc;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.simplecall.DataChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DataChannel} over an {@link RTCDataChannel}. Native observer callbacks (signaling
 * thread) only copy data and post to the session's callback executor; they never block or throw.
 * Sends pass exact-size heap buffers, because the native send ignores position and limit.
 */
final class DataChannelImpl implements DataChannel {
  private static final Logger log = LoggerFactory.getLogger(DataChannelImpl.class);
  /** send() refuses when this much is already queued (libwebrtc closes the channel at 16 MiB). */
  static final long MAX_BUFFERED = 8L * 1024 * 1024;

  private final RTCDataChannel channel;
  private final String label;
  private final Executor callbacks;
  /** Guarded by {@code this}: listener, and events that arrived before it was set. */
  private Listener listener;
  private final List<Consumer<Listener>> early = new ArrayList<>();
  private volatile boolean open;
  private volatile boolean closed;
  private boolean disposed;

  DataChannelImpl(RTCDataChannel channel, Executor callbacks) {
    this.channel = channel;
    this.label = channel.getLabel();
    this.callbacks = callbacks;
    channel.registerObserver(new RTCDataChannelObserver() {
      @Override
      public void onBufferedAmountChange(long previous) {}

      @Override
      public void onStateChange() {
        try {
          RTCDataChannelState s = channel.getState();
          if (s == RTCDataChannelState.OPEN && !open) {
            open = true;
            emit(l -> l.onOpen(DataChannelImpl.this));
          } else if (s == RTCDataChannelState.CLOSED && !closed) {
            open = false;
            closed = true;
            emit(l -> l.onClosed(DataChannelImpl.this));
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
    });
    if (channel.getState() == RTCDataChannelState.OPEN) {
      open = true;
      emit(l -> l.onOpen(this));
    }
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
    if (!open || disposed) return false;
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
    return disposed ? 0 : channel.getBufferedAmount();
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

  @Override
  public synchronized void close() {
    if (disposed) return;
    open = false;
    channel.close();
  }

  /** Called by the peer before it closes the peer connection; reports onClosed if not yet. */
  synchronized void dispose() {
    if (disposed) return;
    disposed = true;
    open = false;
    try {
      channel.unregisterObserver();
      channel.close();
      channel.dispose();
    } catch (Throwable t) {
      log.debug("data channel dispose: {}", t.toString());
    }
    if (!closed) {
      closed = true;
      emit(l -> l.onClosed(this));
    }
  }

  @Override
  public String toString() {
    return "DataChannel[" + label + (open ? ", open" : "") + "]";
  }
}
