package dev.simplecall.internal;

import dev.simplecall.AppAudioSource;
import dev.simplecall.AppVideoSource;
import dev.simplecall.Participant;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * A room's own frames and PCM: every connection of a room sends the same shared track, so what the app
 * pushes goes into that track once, through any connection whose local media is attached. Pushed while
 * the room has no connection, it is dropped.
 */
final class RoomAppSources {
  private RoomAppSources() {}

  /** The room's frame source, pushing into the shared track of the first connection that has one. */
  static AppVideoSource video(Supplier<List<Participant>> members) {
    return new AppVideoSource() {
      private AppVideoSource target() {
        for (Participant p : members.get()) {
          SessionImpl s = ((ParticipantImpl) p).pair();
          AppVideoProxy proxy = s == null ? null : (AppVideoProxy) s.appVideo();
          AppVideoSource t = proxy == null ? null : proxy.target;
          if (t != null) return t;
        }
        return null;
      }

      @Override
      public void pushI420(int width, int height, ByteBuffer y, int strideY, ByteBuffer u, int strideU, ByteBuffer v,
          int strideV) {
        AppVideoSource t = target();
        if (t != null) t.pushI420(width, height, y, strideY, u, strideU, v, strideV);
      }

      @Override
      public void pushArgb(int[] argb, int width, int height) {
        AppVideoSource t = target();
        if (t != null) t.pushArgb(argb, width, height);
      }

      @Override
      public void push(BufferedImage image) {
        AppVideoSource t = target();
        if (t != null) t.push(image);
      }

      @Override
      public long framesPushed() {
        AppVideoSource t = target();
        return t == null ? 0 : t.framesPushed();
      }
    };
  }

  /** The room's PCM source, pushing into the shared track of the first connection that has one. */
  static AppAudioSource audio(int sampleRate, int channels, Supplier<List<Participant>> members) {
    return new AppAudioSource() {
      private AppAudioSource target() {
        for (Participant p : members.get()) {
          SessionImpl s = ((ParticipantImpl) p).pair();
          AppAudioProxy proxy = s == null ? null : (AppAudioProxy) s.appAudio();
          AppAudioSource t = proxy == null ? null : proxy.target;
          if (t != null) return t;
        }
        return null;
      }

      @Override
      public int sampleRate() {
        return sampleRate;
      }

      @Override
      public int channels() {
        return channels;
      }

      @Override
      public void pushPcm(short[] samples) {
        AppAudioSource t = target();
        if (t != null) t.pushPcm(samples);
      }

      @Override
      public void pushPcm(byte[] pcm16le) {
        AppAudioSource t = target();
        if (t != null) t.pushPcm(pcm16le);
      }
    };
  }
}
