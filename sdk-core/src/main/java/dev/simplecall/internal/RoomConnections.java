package dev.simplecall.internal;

import dev.simplecall.CallException;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.CallStats;
import dev.simplecall.DataChannel;
import dev.simplecall.DataChannelOptions;
import dev.simplecall.EndReason;
import dev.simplecall.RoomSession;
import dev.simplecall.RoomSession.VideoLimits;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoFrameSink;
import dev.simplecall.VideoSource;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.IceServerInfo;
import dev.simplecall.spi.TransportCapabilities;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of a room ({@link RoomImpl}), one 1:1 {@link SessionImpl} per other member: making
 * one (calling, or waiting for the member's offer), what every connection shares (mute, video enabled,
 * the video limits for the room's size, the app's preview, on exactly one connection since the
 * outgoing track is shared), the data channel {@value #CHANNEL}, the ids of sent messages (to route
 * the server's errors back), and what happens when a connection ends: the member is gone, or the
 * smaller id makes the connection again. Confined to the room's thread, except where a method says.
 */
final class RoomConnections {
  private static final Logger log = LoggerFactory.getLogger(RoomConnections.class);
  /** The label of the data channel every connection of a room carries. */
  static final String CHANNEL = "simplecall-room";
  /** How many sent message ids are remembered to route the server's errors back to their connection. */
  private static final int SENT_IDS = 1024;
  /** How often each connection's statistics (and so each member's audio level) are taken. */
  private static final Duration STATS_EVERY = Duration.ofSeconds(1);

  /** What the connections need from their room. */
  interface Host {
    RoomSession session();

    String peerId();

    String room();

    /** Runs {@code task} on the room's thread; false once the room has ended. Any thread. */
    boolean run(Runnable task);

    /** Calls the app's listener on its executor. Any thread. */
    void emit(Consumer<RoomSession.Listener> call);

    void progress(String step);

    /** The room has ended: nothing more is made. */
    boolean ended();

    /** Sends envelope text on the room's transport. Any thread. */
    boolean send(String text);

    Collection<ParticipantImpl> members();

    ParticipantImpl member(String peerId);

    /** The member left and its connection has ended: it leaves the room's members. */
    void gone(ParticipantImpl m);

    /** The ICE servers of the room's latest welcome. Any thread. */
    List<IceServerInfo> iceServers();
  }

  private final ClientContext ctx;
  private final SessionOptions pairOptions;
  private final SharedCallMedia media;
  private final TransportCapabilities capabilities;
  private final Host room;
  private final List<VideoFrameSink> localSinks = new CopyOnWriteArrayList<>();
  private volatile VideoLimits limits = VideoLimits.NONE;
  /** The track of the source switched to last, kept made while it is the room's ({@link #setVideo}). */
  private volatile Object heldVideo;

  // ---- confined to the room's thread
  private final Map<String, String> sentTo = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > SENT_IDS;
    }
  };
  /** The connection whose (shared) outgoing track feeds the app's preview sinks. */
  private SessionImpl previewPair;
  private boolean audioMuted;
  private boolean videoEnabled = true;
  /** The video switched to with {@link #setVideo}, or null: the room's first media. */
  private VideoSource video;

  RoomConnections(ClientContext ctx, SessionOptions pairOptions, SharedCallMedia media,
      TransportCapabilities capabilities, Host room) {
    this.ctx = ctx;
    this.pairOptions = pairOptions;
    this.media = media;
    this.capabilities = capabilities;
    this.room = room;
  }

  /** The limits for a room where this app sends to {@code others} members. */
  static VideoLimits limitsFor(int others) {
    return others <= 2 ? VideoLimits.NONE : new VideoLimits(2, 300_000);
  }

  /** Any thread. */
  VideoLimits limits() {
    return limits;
  }

  /** The room now has {@code others} other members: every connection sends within the limits for it. */
  void sizeChanged(int others) {
    VideoLimits next = limitsFor(others);
    if (next.equals(limits)) return;
    limits = next;
    for (ParticipantImpl m : room.members()) {
      if (m.pair() != null) m.pair().limitVideo(next.scaleDownBy(), next.maxBitrate());
    }
    room.progress(next.equals(VideoLimits.NONE) ? "sending full-resolution video to " + others + " member(s)"
        : String.format(Locale.ROOT, "sending video at 1/%.0f resolution, at most %d kbit/s, to each of %d members",
            next.scaleDownBy(), next.maxBitrate() / 1000, others));
    room.emit(l -> l.onVideoLimitsChanged(room.session(), next));
  }

  void setAudioMuted(boolean muted) {
    audioMuted = muted;
    for (ParticipantImpl m : room.members()) if (m.pair() != null) m.pair().setAudioMuted(muted);
  }

  void setVideoEnabled(boolean enabled) {
    videoEnabled = enabled;
    for (ParticipantImpl m : room.members()) if (m.pair() != null) m.pair().setVideoEnabled(enabled);
  }

  /**
   * Every connection sends {@code source} from now on, and so will later ones. Its track is made (and
   * kept) first: a source that cannot start throws {@code VideoUnavailableException} and changes nothing.
   */
  void setVideo(VideoSource source) {
    Object held = source.kind() == VideoSource.Kind.NONE ? null : media.holdVideo(source);
    Object before = heldVideo;
    heldVideo = held;
    video = source;
    for (ParticipantImpl m : room.members()) if (m.pair() != null) m.pair().addVideo(source);
    media.releaseHeld(before); // connections still sending it hold it themselves
    room.progress("sending " + source + " to every member");
  }

  /** The room is over and every connection closed: the held track goes (before the engine). Any thread. */
  void releaseHeldVideo() {
    Object held = heldVideo;
    heldVideo = null;
    media.releaseHeld(held);
  }

  /** Any thread. */
  void addLocalVideoSink(VideoFrameSink sink) {
    Objects.requireNonNull(sink, "sink == null");
    localSinks.add(sink);
    room.run(() -> {
      if (previewPair != null) previewPair.addLocalVideoSink(sink);
    });
  }

  /** Any thread. */
  void removeLocalVideoSink(VideoFrameSink sink) {
    localSinks.remove(sink);
    room.run(() -> {
      if (previewPair != null) previewPair.removeLocalVideoSink(sink);
    });
  }

  /** The preview moves to {@code pair} when it has none. */
  private void previewOn(SessionImpl pair) {
    if (previewPair != null || pair == null) return;
    previewPair = pair;
    for (VideoFrameSink s : localSinks) pair.addLocalVideoSink(s);
  }

  /** The member a server error refers to (by the id of the message it answers), or null. */
  String sentTo(String messageId) {
    return messageId == null ? null : sentTo.get(messageId);
  }

  /** Of each pair the smaller peer id calls; the other answers when the offer comes. */
  void callIfOurs(ParticipantImpl m) {
    if (m != null && m.present && m.pair() == null && room.peerId().compareTo(m.peerId()) < 0) start(m, true);
  }

  /** Makes the connection with {@code m}: calls it ({@code outgoing}) or waits for its offer. */
  void start(ParticipantImpl m, boolean outgoing) {
    String remote = m.peerId();
    PairSignaling signaling = new PairSignaling(room.room(), room.peerId(), remote, room::iceServers,
        text -> sendFromPair(remote, text), capabilities);
    SessionImpl pair;
    try {
      pair = SessionImpl.create(ctx, signaling.factory(), pairOptions, new PairEvents(m), media.forPair());
    } catch (IllegalStateException e) { // the client is closing
      log.debug("{}: no connection with {}: {}", room.peerId(), remote, e.getMessage());
      return;
    }
    m.pair(pair, signaling);
    previewOn(pair);
    if (m.setState(m.everConnected() ? CallState.RECONNECTING : CallState.CONNECTING)) {
      CallState s = m.state();
      room.emit(l -> l.onParticipantStateChanged(room.session(), m, s));
    }
    if (video != null) pair.addVideo(video);
    pair.setAudioMuted(audioMuted);
    pair.setVideoEnabled(videoEnabled);
    VideoLimits now = limits;
    if (!now.equals(VideoLimits.NONE)) pair.limitVideo(now.scaleDownBy(), now.maxBitrate());
    pair.setStatsInterval(STATS_EVERY);
    if (outgoing) {
      pair.call(remote);
      attachChannel(m, pair, pair.openDataChannelWithCall(CHANNEL, DataChannelOptions.ordered()));
    } else {
      pair.start();
    }
  }

  /** A connection's session sends (its thread): out on the room's transport, the id kept to route errors back. */
  private Boolean sendFromPair(String remote, String text) {
    boolean sent = room.send(text);
    String id = idOf(text);
    if (sent && id != null) room.run(() -> sentTo.put(id, remote));
    return sent;
  }

  private static String idOf(String text) {
    try {
      return EnvelopeCodec.decode(text).id();
    } catch (EnvelopeException e) {
      return null;
    }
  }

  /** Any thread. */
  private void attachChannel(ParticipantImpl m, SessionImpl pair, DataChannel ch) {
    ch.setListener(new DataChannel.Listener() {
      @Override
      public void onText(DataChannel channel, String text) {
        room.emit(l -> l.onMessage(room.session(), m, text));
      }
    });
    room.run(() -> {
      if (m.pair() == pair) m.channel(ch);
    });
  }

  /** A connection's session ended. */
  private void ended(ParticipantImpl m, CallSession session, EndReason reason, CallException error) {
    if (m.pair() != session) return;
    m.pair(null, null);
    if (room.ended()) return;
    if (previewPair == session) {
      previewPair = null;
      for (ParticipantImpl other : room.members()) previewOn(other.pair());
    }
    room.progress(m.peerId() + ": connection ended " + reason + (error != null ? " (" + error.getMessage() + ")" : ""));
    if (!m.present || room.member(m.peerId()) != m) {
      room.gone(m);
      return;
    }
    if (m.setState(CallState.RECONNECTING)) {
      room.emit(l -> l.onParticipantStateChanged(room.session(), m, CallState.RECONNECTING));
    }
    if (room.peerId().compareTo(m.peerId()) > 0) return; // the other side calls again
    Duration delay = m.takeRetryDelay();
    ctx.timer().schedule(() -> room.run(() -> {
      if (!room.ended() && m.present && m.pair() == null && room.member(m.peerId()) == m) {
        room.progress(m.peerId() + ": connecting again");
        start(m, true);
      }
    }), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The room ends: every connection ends (with a bye after {@code leave()}); returns their sessions. */
  List<SessionImpl> endAll(EndReason reason) {
    List<SessionImpl> pairs = new ArrayList<>();
    for (ParticipantImpl m : room.members()) {
      SessionImpl p = m.pair();
      if (p == null) continue;
      pairs.add(p);
      if (reason == EndReason.HANGUP) p.hangUp();
      else p.cancel();
    }
    return pairs;
  }

  /** One connection's session events, moved to the room's thread. */
  private final class PairEvents extends CallSession.Listener {
    private final ParticipantImpl m;

    PairEvents(ParticipantImpl m) {
      this.m = m;
    }

    @Override
    public void onStateChanged(CallSession session, CallState s) {
      if (s == CallState.ENDED || s == CallState.NEW) return;
      room.run(() -> {
        if (m.pair() == session && !room.ended() && m.setState(s)) {
          room.emit(l -> l.onParticipantStateChanged(room.session(), m, s));
        }
      });
    }

    /** A connection's steps, named by member: "bob: connected in 84 ms" (its welcome to a room of two is not one). */
    @Override
    public void onProgress(CallSession session, String step) {
      String id = m.peerId();
      if (step.startsWith("joining ") || step.startsWith("joined ")) return;
      String s = step.equals("calling " + id) ? "calling" : step.startsWith(id + " ") ? step.substring(id.length() + 1) : step;
      room.emit(l -> l.onProgress(room.session(), id + ": " + s));
    }

    @Override
    public void onDataChannel(CallSession session, DataChannel channel) {
      if (CHANNEL.equals(channel.label())) attachChannel(m, (SessionImpl) session, channel);
    }

    @Override
    public void onFirstRemoteFrame(CallSession session) {
      room.emit(l -> l.onFirstRemoteFrame(room.session(), m));
    }

    @Override
    public void onStats(CallSession session, CallStats stats) {
      if (m.pair() == session) m.audioLevel(stats.audioLevel());
    }

    @Override
    public void onEnded(CallSession session, EndReason reason, CallException error) {
      room.run(() -> ended(m, session, reason, error));
    }
  }
}
