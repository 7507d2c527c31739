package dev.simplecall.internal;

import dev.simplecall.AudioSink;
import dev.simplecall.CallException;
import dev.simplecall.CallState;
import dev.simplecall.CallStats;
import dev.simplecall.DataChannel;
import dev.simplecall.Participant;
import dev.simplecall.VideoFrameSink;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A room member and the current connection with it: the connection's session (replaced when it is
 * made again), its data channel, and the app's sinks, which move to each new connection. The room's
 * thread changes the connection; the app reads and adds sinks from any thread (sinks and connection change under this object's lock,
 * so a sink is added to each connection exactly once).
 */
final class ParticipantImpl implements Participant {
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(10);

  private final String peerId;
  private final List<VideoFrameSink> videoSinks = new CopyOnWriteArrayList<>();
  private final List<AudioSink> audioSinks = new CopyOnWriteArrayList<>();
  private volatile CallState state = CallState.NEW;
  private volatile boolean everConnected;
  private volatile double audioLevel;
  private volatile SessionImpl pair;
  private volatile DataChannel channel;

  // ---- confined to the room's thread
  /** In the room as far as signaling knows (false after peer-left, true again after peer-joined). */
  boolean present = true;
  PairSignaling signaling;
  Duration nextRetry = FIRST_RETRY;

  ParticipantImpl(String peerId) {
    this.peerId = peerId;
  }

  @Override
  public String peerId() {
    return peerId;
  }

  @Override
  public CallState state() {
    return state;
  }

  @Override
  public boolean everConnected() {
    return everConnected;
  }

  @Override
  public double audioLevel() {
    return audioLevel;
  }

  /** Room thread: a new state; returns false when it is the same as before. */
  boolean setState(CallState s) {
    if (state == s) return false;
    state = s;
    if (s == CallState.CONNECTED) {
      everConnected = true;
      nextRetry = FIRST_RETRY;
    }
    return true;
  }

  void audioLevel(double level) {
    audioLevel = level;
  }

  SessionImpl pair() {
    return pair;
  }

  /** Room thread: the connection's new session; the app's sinks are added to it. */
  synchronized void pair(SessionImpl session, PairSignaling signaling) {
    this.pair = session;
    this.signaling = signaling;
    this.channel = null;
    this.audioLevel = 0;
    if (session == null) return;
    for (VideoFrameSink s : videoSinks) session.addRemoteVideoSink(s);
    for (AudioSink s : audioSinks) session.addRemoteAudioSink(s);
  }

  void channel(DataChannel ch) {
    this.channel = ch;
  }

  /** The delay before the next attempt to make the connection again; doubles up to {@link #MAX_RETRY}. */
  Duration takeRetryDelay() {
    Duration d = nextRetry;
    Duration doubled = nextRetry.multipliedBy(2);
    nextRetry = doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled;
    return d;
  }

  @Override
  public synchronized void addVideoSink(VideoFrameSink sink) {
    Objects.requireNonNull(sink, "sink == null");
    videoSinks.add(sink);
    SessionImpl s = pair;
    if (s != null) s.addRemoteVideoSink(sink);
  }

  @Override
  public synchronized void removeVideoSink(VideoFrameSink sink) {
    videoSinks.remove(sink);
    SessionImpl s = pair;
    if (s != null) s.removeRemoteVideoSink(sink);
  }

  @Override
  public synchronized void addAudioSink(AudioSink sink) {
    Objects.requireNonNull(sink, "sink == null");
    audioSinks.add(sink);
    SessionImpl s = pair;
    if (s != null) s.addRemoteAudioSink(sink);
  }

  @Override
  public synchronized void removeAudioSink(AudioSink sink) {
    audioSinks.remove(sink);
    SessionImpl s = pair;
    if (s != null) s.removeRemoteAudioSink(sink);
  }

  @Override
  public boolean send(String text) {
    Objects.requireNonNull(text, "text == null");
    DataChannel ch = channel;
    return ch != null && ch.isOpen() && ch.send(text);
  }

  @Override
  public CompletableFuture<CallStats> stats() {
    SessionImpl s = pair;
    if (s == null) return CompletableFuture.failedFuture(new CallException("no connection with " + peerId + " right now"));
    return s.stats();
  }

  @Override
  public String toString() {
    return "Participant[" + peerId + " " + state + "]";
  }
}
