package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.testing.RecordingTransportListener;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * SDP and candidates from a hostile peer, through the whole SDK into libwebrtc: mallory, a raw
 * participant of the in-memory hub, calls a fresh session of alice's with a seeded mutation of a real
 * offer each time ({@link HostileSdp}), and for an offer alice accepts, sends garbage candidates before
 * hanging up. Every case must end alice's call in a bounded time with an answer or a refusal, none may
 * make the SDK log an error (a failed session task, a callback that threw), and afterwards alice makes
 * a healthy call with media and data. A native crash aborts the JVM and fails the run.
 *
 * <p>{@code -Dcorpus.cases=N} (default 300, about 10 s), {@code -Dcorpus.seed=N}; the seed and case are in every
 * failure message, and the summary line goes to stdout.
 */
class HostileRemoteSdpTest {
  private static final long SEED = Long.getLong("corpus.seed", 20261207L);
  private static final int CASES = Integer.getInteger("corpus.cases", 300);
  private static final MediaOptions SMALL = MediaOptions.builder()
      .video(VideoSource.testPattern(160, 120, 15)).audio(AudioSource.tone(440)).build();

  @Test
  void hostileOffersAndCandidatesEndTheCallCleanlyAndTheSdkGoesOn() throws Exception {
    ErrorLog errors = ErrorLog.attach();
    Map<String, Integer> outcomes = new TreeMap<>();
    long t0 = System.nanoTime();
    try (Peers p = new Peers("hostile", SMALL)) {
      RecordingTransportListener mallory = new RecordingTransportListener("mallory");
      SignalingTransport m = p.hub.transportFactory().create(URI.create("memory://test"),
          TransportOptions.builder().room("hostile").peerId("mallory").build(), mallory);
      mallory.expectOpen();
      mallory.expectEnvelope(Envelope.Welcome.class);
      String realOffer = aRealOffer(p, mallory);
      HostileSdp corpus = new HostileSdp(realOffer, SEED);
      Random rnd = new Random(SEED);

      for (int i = 0; i < CASES; i++) {
        HostileSdp.Case c = corpus.next(i);
        String where = "seed " + SEED + " case " + i + " (" + c.kind() + ")";
        RecordingListener al = new RecordingListener();
        CallSession alice = p.client.newSession(p.options("alice").build(), al);
        alice.start();
        assertNotNull(al.joined.poll(10, TimeUnit.SECONDS), where + ": alice did not join");
        skipPresence(mallory, "alice");

        m.send(EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "hostile", "mallory", "alice", c.sdp())));
        Envelope reply = nextRoutedTo(mallory, where);
        String outcome;
        if (reply instanceof Envelope.Answer) {
          // accepted: garbage candidates while the call tries to connect, then mallory hangs up
          for (String cand : HostileSdp.candidates(rnd, 5)) {
            m.send(EnvelopeCodec.encode(new Envelope.Candidate(Ids.newId(), "hostile", "mallory", "alice",
                new Envelope.IceCandidate(cand, rnd.nextBoolean() ? "0" : "x\u202Ey", rnd.nextInt(5) - 1))));
          }
          m.send(EnvelopeCodec.encode(new Envelope.Bye(Ids.newId(), "hostile", "mallory", "alice", "hangup")));
          RecordingListener.Ended e = al.awaitEnded(20);
          assertEquals(EndReason.REMOTE_HANGUP, e.reason(), where + ": " + e.error());
          outcome = "answered";
        } else if (reply instanceof Envelope.Bye b) {
          RecordingListener.Ended e = al.awaitEnded(20);
          assertEquals(EndReason.FAILED, e.reason(), where + ": " + e.error());
          assertNotNull(e.error(), where + ": a refused offer ends the call with its cause");
          outcome = "refused (" + b.reason() + ")";
        } else if (reply instanceof Envelope.Error err && (err.code().equals("bad-json") || err.code().equals("too-large"))) {
          // signaling refuses it (an empty sdp, a message over 64 KiB): alice never sees it
          assertTrue(al.ended.isEmpty(), where + ": alice's call ended over an offer she never got");
          alice.close();
          al.awaitEnded(10);
          outcome = "refused by signaling (" + err.code() + ")";
        } else {
          fail(where + ": alice replied " + reply);
          return;
        }
        al.assertEndedOnce();
        outcomes.merge(c.kind() + " " + outcome, 1, Integer::sum);
        alice.close();
        skipDeparture(mallory, "alice");
        assertEquals(List.of(), errors.events(), where + ": errors logged by the SDK");
      }
      double seconds = (System.nanoTime() - t0) / 1e9;

      // the SDK, and libwebrtc under it, still make a healthy call
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.session("bob", bl);
      alice.start();
      bob.start();
      assertNotNull(al.joined.poll(10, TimeUnit.SECONDS));
      assertNotNull(bl.joined.poll(10, TimeUnit.SECONDS));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      bl.awaitState(CallState.CONNECTED, 15);
      DataChannel ch = alice.openDataChannel("after-the-corpus", DataChannelOptions.ordered());
      assertNotNull(bl.channels.poll(10, TimeUnit.SECONDS), "no data channel after the corpus");
      ch.close();
      alice.hangUp();
      assertEquals(EndReason.REMOTE_HANGUP, bl.awaitEnded(10).reason());
      m.close();
      System.out.printf("hostile remote SDP: seed %d, %d cases in %.1f s; outcomes %s; errors logged %d%n",
          SEED, CASES, seconds, outcomes, errors.events().size());
      assertEquals(List.of(), errors.events(), "errors logged by the SDK");
    } finally {
      errors.detach();
    }
  }

  /** An offer libwebrtc made for a call to mallory, as a real peer sends it. */
  private static String aRealOffer(Peers p, RecordingTransportListener mallory) throws Exception {
    RecordingListener bl = new RecordingListener();
    CallSession bob = p.session("bob", bl);
    bob.start();
    assertNotNull(bl.joined.poll(10, TimeUnit.SECONDS));
    bob.call("mallory");
    String sdp = null;
    while (sdp == null) {
      if (decode(mallory) instanceof Envelope.Offer o) sdp = o.sdp();
    }
    bob.close();
    bl.awaitEnded(10);
    skipDeparture(mallory, "bob");
    assertTrue(sdp.contains("m=video") && sdp.contains("m=audio"), sdp);
    return sdp;
  }

  /** The next offer, answer, bye or error for mallory, skipping alice's candidates. */
  private static Envelope nextRoutedTo(RecordingTransportListener mallory, String where) throws Exception {
    while (true) {
      Envelope e = decode(mallory);
      if (e instanceof Envelope.Answer || e instanceof Envelope.Bye || e instanceof Envelope.Offer
          || e instanceof Envelope.Error) {
        return e;
      }
      if (!(e instanceof Envelope.Candidate)) fail(where + ": unexpected " + e);
    }
  }

  private static void skipPresence(RecordingTransportListener mallory, String peer) throws Exception {
    while (!(decode(mallory) instanceof Envelope.PeerJoined pj && pj.peer().equals(peer))) {
      // an earlier session's late candidates
    }
  }

  private static void skipDeparture(RecordingTransportListener mallory, String peer) throws Exception {
    while (!(decode(mallory) instanceof Envelope.PeerLeft pl && pl.peer().equals(peer))) {
      // the ended call's last candidates or bye
    }
  }

  private static Envelope decode(RecordingTransportListener l) throws Exception {
    RecordingTransportListener.Event e = l.next(Duration.ofSeconds(20));
    assertNotNull(e, "mallory heard nothing for 20 s");
    assertEquals("message", e.kind(), e.toString());
    return EnvelopeCodec.decode(e.text());
  }

  /** ERROR events, and WARN events with a throwable, of the SDK's loggers while attached. */
  static final class ErrorLog extends AppenderBase<ILoggingEvent> {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private Logger root;

    static ErrorLog attach() {
      ErrorLog a = new ErrorLog();
      a.root = (Logger) LoggerFactory.getLogger("dev.simplecall");
      a.start();
      a.root.addAppender(a);
      return a;
    }

    @Override
    protected void append(ILoggingEvent e) {
      if (e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getLevel() == Level.WARN && e.getThrowableProxy() != null) {
        events.add(e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
            + (e.getThrowableProxy() != null ? " (" + e.getThrowableProxy().getClassName() + ")" : ""));
      }
    }

    List<String> events() {
      return new ArrayList<>(events);
    }

    void detach() {
      root.detachAppender(this);
      stop();
    }
  }
}
