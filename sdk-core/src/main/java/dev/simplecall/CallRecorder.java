package dev.simplecall;

import static java.util.Objects.requireNonNull;

import dev.simplecall.internal.media.MediaFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a session's remote audio to {@code audio.wav} (16-bit PCM) and remote video to
 * {@code video.y4m} (YUV4MPEG2 4:2:0) in a directory: files that ffplay, mpv, VLC and every audio
 * tool open. Video is written at a constant frame rate (30 by default) as Y4M requires: a frame is
 * repeated to fill the time until the next one, and a frame that arrives early for its slot is
 * left out. The video keeps the size of its first frame; later frames of another size are scaled
 * to it. Each file starts with its first received frame or sample.
 *
 * <pre>{@code
 * try (CallRecorder rec = CallRecorder.start(session, Path.of("call-2026-12-06"))) {
 *   ... // the call
 * }   // files complete (WAV sizes written) once close() returns
 * }</pre>
 *
 * <p>Threads: sinks copy each frame or chunk on the thread that delivers it (the decoder or the
 * playout thread) and hand it to one writer thread, {@code simplecall-recorder}, through a bounded
 * queue; when the disk cannot keep up, video frames are dropped (counted), never the sinks blocked.
 *
 * <p>A write that fails (a full disk, a file system gone away) ends the recording, not the call:
 * {@link #failure()} reports it at once, later frames are dropped, and {@link #close()} throws it.
 */
public final class CallRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);
  private static final Object STOP = new Object();

  private final CallSession session;
  private final Path dir;
  private final VideoFrameSink videoSink = this::onFrame;
  private final AudioSink audioSink = this::onPcm;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(512);
  private final Thread writer;
  private final MediaFiles.Y4mWriter video;
  private final MediaFiles.WavWriter audio;
  private final AtomicLong droppedFrames = new AtomicLong();
  private final AtomicLong droppedChunks = new AtomicLong();
  private volatile boolean closed;
  private volatile IOException failure;

  private record Pcm(short[] samples, int rate, int channels) {}

  private CallRecorder(CallSession session, Path dir, int fps) throws IOException {
    this.session = session;
    this.dir = dir;
    Files.createDirectories(dir);
    this.video = new MediaFiles.Y4mWriter(dir.resolve("video.y4m"), fps);
    this.audio = new MediaFiles.WavWriter(dir.resolve("audio.wav"));
    this.writer = new Thread(this::write, "simplecall-recorder");
    writer.setDaemon(true);
    writer.start();
    session.addRemoteVideoSink(videoSink);
    session.addRemoteAudioSink(audioSink);
  }

  /**
   * Starts recording into {@code dir} (made if needed) with video at 30 frames a second.
   *
   * @param session the session whose remote audio and video to record; before or during its call
   * @param dir the directory for {@code audio.wav} and {@code video.y4m}; files of those names there are
   *     overwritten
   * @return the running recorder; {@link #close()} it to complete the files
   * @throws IOException the directory or the files cannot be made
   */
  public static CallRecorder start(CallSession session, Path dir) throws IOException {
    return start(session, dir, 30);
  }

  /**
   * Starts recording into {@code dir} with video at {@code fps} frames a second.
   *
   * @param session the session whose remote audio and video to record; before or during its call
   * @param dir the directory for {@code audio.wav} and {@code video.y4m}, made with its parents if needed;
   *     files of those names there are overwritten
   * @param fps frame rate of the video file, 1 to 120
   * @return the running recorder; {@link #close()} it to complete the files
   * @throws NullPointerException when {@code session} or {@code dir} is {@code null}
   * @throws IllegalArgumentException when {@code fps} is outside 1..120
   * @throws IOException the directory or the files cannot be made
   */
  public static CallRecorder start(CallSession session, Path dir, int fps) throws IOException {
    requireNonNull(session, "session == null");
    requireNonNull(dir, "dir == null");
    if (fps < 1 || fps > 120) throw new IllegalArgumentException("fps must be in 1..120: " + fps);
    return new CallRecorder(session, dir, fps);
  }

  /**
   * The video file.
   *
   * @return {@code video.y4m} in the directory; written from the first remote frame on, and removed on
   *     {@link #close()} when no frame came
   */
  public Path videoFile() {
    return dir.resolve("video.y4m");
  }

  /**
   * The audio file.
   *
   * @return {@code audio.wav} in the directory, at the rate and channel count of the first remote audio
   *     (48 kHz mono when none came)
   */
  public Path audioFile() {
    return dir.resolve("audio.wav");
  }

  /**
   * Frames written to the video file so far (repeats included).
   *
   * @return frames in the file, each {@code 1/fps} s long; 0 before the first remote frame
   */
  public long videoFrames() {
    return video.frames();
  }

  /**
   * The write failure that ended the recording, or {@code null} while it goes on. The files hold what
   * was written before it; the call is not affected.
   *
   * @return the first write failure, or {@code null}
   */
  public IOException failure() {
    return failure;
  }

  /**
   * Seconds of audio written so far.
   *
   * @return the length of the audio in the file, in seconds; 0 before the first remote audio
   */
  public double audioSeconds() {
    return audio.seconds();
  }

  private void onFrame(VideoFrameData frame) {
    if (closed || failure != null) return;
    if (!queue.offer(new Object[] {frame.copy(), System.nanoTime()})) droppedFrames.incrementAndGet();
  }

  private void onPcm(short[] samples, int rate, int channels) {
    if (closed || failure != null) return;
    if (!queue.offer(new Pcm(samples.clone(), rate, channels)) && droppedChunks.getAndIncrement() == 0) {
      log.warn("recorder: the disk does not keep up; audio chunks are lost (counted, reported on close)");
    }
  }

  private void write() {
    try {
      while (true) {
        Object o = queue.take();
        if (o == STOP) return;
        if (failure != null) continue;
        try {
          if (o instanceof Pcm p) audio.write(p.samples(), p.rate(), p.channels());
          else if (o instanceof Object[] f) video.write((VideoFrameData) f[0], (Long) f[1]);
        } catch (IOException e) {
          failure = e;
          log.warn("recorder: writing to {} failed: {}", dir, e.toString());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops recording: removes the sinks, writes what is queued and completes both files.
   * Idempotent.
   *
   * @throws IOException a write failed during the recording or while finishing the files
   */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    session.removeRemoteVideoSink(videoSink);
    session.removeRemoteAudioSink(audioSink);
    try {
      queue.put(STOP);
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    IOException e1 = closeQuietly(video);
    IOException e2 = closeQuietly(audio);
    if (droppedFrames.get() > 0 || droppedChunks.get() > 0) {
      log.warn("recorder: {} video frames and {} audio chunks dropped (disk too slow)", droppedFrames.get(), droppedChunks.get());
    }
    if (failure != null) throw failure;
    if (e1 != null) throw e1;
    if (e2 != null) throw e2;
  }

  private static IOException closeQuietly(AutoCloseable c) {
    try {
      c.close();
      return null;
    } catch (IOException e) {
      return e;
    } catch (Exception e) {
      return new IOException(e);
    }
  }
}
