package dev.simplecall.internal.audio;

import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.simplecall.AudioSink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges a native remote-track sink to an app {@link AudioSink}: little-endian bytes to shorts.
 * Runs on the native playout thread; nothing thrown here may reach native code.
 */
final class RemoteSinkAdapter implements AudioTrackSink {
  private static final Logger log = LoggerFactory.getLogger(RemoteSinkAdapter.class);

  private final AudioSink sink;
  private boolean warnedFormat;
  private boolean warnedThrow;

  RemoteSinkAdapter(AudioSink sink) {
    this.sink = sink;
  }

  @Override
  public void onData(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
    try {
      if (bitsPerSample != 16 || channels < 1) {
        if (!warnedFormat) log.warn("ignoring remote audio: {} bits, {} channels", bitsPerSample, channels);
        warnedFormat = true;
        return;
      }
      int n = Math.min(frames * channels, data.length / 2);
      short[] samples = new short[n];
      ByteBuffer.wrap(data, 0, n * 2).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
      sink.onPcm(samples, sampleRate, channels);
    } catch (Throwable t) {
      if (!warnedThrow) log.warn("remote audio sink threw; further failures are not logged", t);
      warnedThrow = true;
    }
  }
}
