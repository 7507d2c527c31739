package dev.simplecall.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.CallException;
import dev.simplecall.EndReason;
import dev.simplecall.internal.webrtc.WebRtcPeer.IceState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The ICE rules of a call, on a virtual clock: no native library, milliseconds per test. */
@Tag("fast")
class IceSupervisorTest {
  private static final Duration FAILURE = Duration.ofSeconds(20);
  private static final Duration RESTART_AFTER = Duration.ofSeconds(2);
  private static final Duration MS = Duration.ofMillis(1);

  private final VirtualTimers clock = new VirtualTimers();
  private final Recorder call = new Recorder();
  private final IceSupervisor ice = new IceSupervisor(FAILURE, RESTART_AFTER, "bob", false, clock.nanoTime(), clock, call);
  /** With a transport that keeps messages for a peer whose link is down. */
  private final IceSupervisor keeping = new IceSupervisor(FAILURE, RESTART_AFTER, "bob", true, clock.nanoTime(), clock, call);

  @Test
  void noPathWithinTheFailureTimeoutEndsTheCallIceFailed() {
    ice.descriptionsExchanged();
    ice.onIceState(IceState.CHECKING);
    clock.advance(FAILURE.minus(MS));
    assertNull(call.ended, "ended before its time");
    clock.advance(MS);
    call.assertEnded(EndReason.ICE_FAILED, IceSupervisor.NO_ROUTE, "ice-failed");
    assertTrue(call.events.contains("progress ICE found no path in 20000 ms"), call.events.toString());
  }

  @Test
  void theNoPathClockStartsWhenTheDescriptionsAreExchanged() {
    ice.onIceState(IceState.CHECKING);
    clock.advance(FAILURE.multipliedBy(3));
    assertNull(call.ended, "no answer yet: the no-answer rule's business, not ICE's");
    ice.descriptionsExchanged();
    ice.descriptionsExchanged(); // the second one does not restart the clock
    clock.advance(FAILURE);
    call.assertEnded(EndReason.ICE_FAILED, IceSupervisor.NO_ROUTE, "ice-failed");
  }

  @Test
  void connectingStopsTheNoPathClockAndSaysHowLongItTook() {
    ice.descriptionsExchanged();
    clock.advance(Duration.ofMillis(1500));
    ice.onIceState(IceState.CONNECTED);
    assertEquals(List.of("connected 1500"), call.events);
    assertEquals(1500, ice.connectMs());
    assertTrue(ice.everConnected());
    clock.advance(FAILURE.multipliedBy(3));
    assertNull(call.ended);
    assertEquals(0, clock.pending());
  }

  @Test
  void iceFailingBeforeItEverConnectedEndsAtOnce() {
    ice.descriptionsExchanged();
    ice.onIceState(IceState.DISCONNECTED); // not yet connected: a disconnect is not a failure
    assertNull(call.ended);
    ice.onIceState(IceState.FAILED);
    call.assertEnded(EndReason.ICE_FAILED, IceSupervisor.NO_ROUTE, "ice-failed");
    assertEquals(0, clock.pending(), "the no-path timer is cancelled");
  }

  @Test
  void aDisconnectRestartsIceAfterTheDelayAndTheCallComesBack() {
    connect();
    ice.onIceState(IceState.DISCONNECTED);
    assertEquals(List.of("reconnecting connection lost; reconnecting"), call.events);
    clock.advance(RESTART_AFTER.minus(MS));
    assertEquals(1, call.events.size(), "restarted too early: " + call.events);
    clock.advance(MS);
    assertEquals("restart", call.last());
    ice.onIceState(IceState.CHECKING);
    ice.onIceState(IceState.CONNECTED);
    assertEquals("reconnected", call.last());
    clock.advance(FAILURE.multipliedBy(2));
    assertNull(call.ended, "the give-up timer was cancelled");
  }

  @Test
  void aDisconnectThatHealsByItselfNeedsNoRestart() {
    connect();
    ice.onIceState(IceState.DISCONNECTED);
    clock.advance(Duration.ofMillis(500));
    ice.onIceState(IceState.CONNECTED);
    clock.advance(FAILURE.multipliedBy(2));
    assertEquals(List.of("reconnecting connection lost; reconnecting", "reconnected"), call.events);
    assertNull(call.ended);
  }

  @Test
  void iceFailingRestartsAtOnceAndADropDuringTheRestartRestartsAgainAfterTheDelay() {
    connect();
    ice.onIceState(IceState.FAILED);
    assertEquals(List.of("reconnecting ICE failed; restarting", "restart"), call.events);
    ice.onIceState(IceState.CHECKING);
    ice.onIceState(IceState.DISCONNECTED); // the restart's checks lost too: the restart may not have arrived
    clock.advance(RESTART_AFTER);
    assertEquals(List.of("reconnecting ICE failed; restarting", "restart", "restart"), call.events);
    clock.advance(FAILURE.minus(RESTART_AFTER)); // the give-up clock runs from the first drop
    assertEquals(EndReason.REMOTE_GONE, call.reason, call.ended);
  }

  @Test
  void noRecoveryWhileThisSidesSignalingIsDownTooEndsIceFailedNamingThisSidesNetwork() {
    connect();
    ice.onIceState(IceState.DISCONNECTED);
    call.signalingDown = true; // the transport lost its link as well: the network here is down
    clock.advance(FAILURE.minus(MS));
    assertNull(call.ended);
    clock.advance(MS);
    call.assertEnded(EndReason.ICE_FAILED, IceSupervisor.NO_NETWORK, "ice-failed");
  }

  @Test
  void noRecoveryWhileTheRemoteStillTalksEndsIceFailed() {
    connect();
    ice.onIceState(IceState.DISCONNECTED);
    clock.advance(RESTART_AFTER);
    clock.advance(Duration.ofSeconds(1));
    ice.remoteMessage(); // the remote answered the restart: signaling works, the path does not
    clock.advance(FAILURE.minus(RESTART_AFTER).minus(Duration.ofSeconds(1)).minus(MS));
    assertNull(call.ended);
    clock.advance(MS);
    call.assertEnded(EndReason.ICE_FAILED, IceSupervisor.NO_ROUTE, "ice-failed");
  }

  @Test
  void noRecoveryAndNoWordSinceTheRestartEndsRemoteGone() {
    connect();
    ice.remoteMessage(); // before the drop: does not count as an answer to the restart
    ice.onIceState(IceState.DISCONNECTED);
    clock.advance(FAILURE);
    call.assertEnded(EndReason.REMOTE_GONE, "bob stopped responding", null);
  }

  @Test
  void aPeerThatLeftWhileMediaFlowsEndsTheCallWhenItsMediaStops() {
    connect();
    assertTrue(ice.remoteGone("bob left the room"), "media still flows: the call goes on");
    assertEquals(List.of("progress bob left signaling; the call lasts while media flows"), call.events);
    assertNull(call.ended);
    ice.onConnectionState(IceState.CONNECTED);
    assertNull(call.ended);
    ice.onConnectionState(IceState.DISCONNECTED);
    call.assertEnded(EndReason.REMOTE_GONE, "bob left and its media stopped", null);
  }

  @Test
  void whereMessagesWaitForIt_aPeerThatLeftDuringAReconnectHasUntilTheGiveUpToComeBack() {
    connect(keeping);
    keeping.onIceState(IceState.DISCONNECTED);
    assertTrue(keeping.remoteGone("bob left the room"));
    keeping.onConnectionState(IceState.DISCONNECTED);
    assertNull(call.ended, "the call waits for bob");
    assertEquals("progress bob left signaling; waiting for it to come back", call.last());
    clock.advance(RESTART_AFTER);
    assertEquals("restart", call.last(), "the restart offer waits for bob on the service");
    clock.advance(Duration.ofSeconds(5));
    keeping.remoteBack();
    keeping.remoteMessage();
    keeping.onIceState(IceState.CONNECTED);
    assertEquals("reconnected", call.last());
    clock.advance(FAILURE.multipliedBy(2));
    assertNull(call.ended);
  }

  @Test
  void whereMessagesWaitForIt_aPeerThatNeverComesBackEndsTheCallRemoteGoneAtTheGiveUp() {
    connect(keeping);
    assertTrue(keeping.remoteGone("bob left the room"), "media still flows");
    keeping.onIceState(IceState.DISCONNECTED);
    assertNull(call.ended);
    clock.advance(FAILURE.minus(MS));
    assertNull(call.ended);
    clock.advance(MS);
    call.assertEnded(EndReason.REMOTE_GONE, "bob stopped responding", null);
  }

  @Test
  void whereMessagesWaitForIt_aPeerThatLeftBeforeTheCallConnectedStillEndsItAtOnce() {
    keeping.descriptionsExchanged();
    assertFalse(keeping.remoteGone("bob left the room"));
    call.assertEnded(EndReason.REMOTE_GONE, "bob left the room", null);
  }

  @Test
  void aPeerThatLeftAndThenLostItsPathEndsWithoutARestart() {
    connect();
    ice.remoteGone("bob left the room");
    ice.onIceState(IceState.DISCONNECTED);
    call.assertEnded(EndReason.REMOTE_GONE, "bob left and its media stopped", null);
    assertFalse(call.events.contains("restart"));
  }

  @Test
  void aPeerThatLeftBeforeTheCallConnectedEndsItAtOnce() {
    ice.descriptionsExchanged();
    assertFalse(ice.remoteGone("bob left the room"));
    call.assertEnded(EndReason.REMOTE_GONE, "bob left the room", null);
    assertEquals(0, clock.pending());
  }

  @Test
  void aPeerThatCameBackIsNoLongerGone() {
    connect();
    ice.remoteGone("bob left the room");
    ice.remoteBack();
    ice.onConnectionState(IceState.DISCONNECTED);
    ice.onIceState(IceState.DISCONNECTED);
    assertNull(call.ended);
    assertEquals("reconnecting connection lost; reconnecting", call.last());
  }

  @Test
  void afterStopNothingFiresAndNothingIsActedOn() {
    connect();
    ice.onIceState(IceState.DISCONNECTED);
    ice.stop();
    ice.stop();
    clock.advance(FAILURE.multipliedBy(2));
    ice.onIceState(IceState.FAILED);
    ice.onConnectionState(IceState.FAILED);
    assertFalse(ice.remoteGone("bob left the room"));
    assertNull(call.ended);
    assertEquals(List.of("reconnecting connection lost; reconnecting"), call.events);
    assertEquals(0, clock.pending());
  }

  private void connect() {
    connect(ice);
  }

  private void connect(IceSupervisor s) {
    s.descriptionsExchanged();
    s.onIceState(IceState.CHECKING);
    s.onIceState(IceState.CONNECTED);
    call.events.clear();
  }

  /** What the supervisor did to the call, in order. */
  private static final class Recorder implements IceSupervisor.Call {
    final List<String> events = new ArrayList<>();
    boolean signalingDown;
    String ended;
    EndReason reason;
    CallException error;

    @Override public void connected(long connectMs) {
      events.add("connected " + connectMs);
    }

    @Override public void reconnecting(String why) {
      events.add("reconnecting " + why);
    }

    @Override public void reconnected() {
      events.add("reconnected");
    }

    @Override public void restartIce() {
      events.add("restart");
    }

    @Override public void progress(String step) {
      if (!step.equals("ICE checking")) events.add("progress " + step);
    }

    @Override public void end(EndReason r, CallException e, String byeReason) {
      if (ended != null) throw new AssertionError("ended twice: " + ended + ", then " + r);
      ended = r + " " + (e == null ? null : e.getMessage()) + " bye=" + byeReason;
      reason = r;
      error = e;
    }

    @Override public boolean signalingDown() {
      return signalingDown;
    }

    String last() {
      return events.get(events.size() - 1);
    }

    void assertEnded(EndReason r, String message, String byeReason) {
      assertEquals(r + " " + message + " bye=" + byeReason, ended, events.toString());
    }
  }
}
