package dev.simplecall;

import java.net.URI;

/**
 * The README's quick start, kept here so that a test compiles and runs it. The integrator quotes
 * the lines between the markers.
 */
final class QuickStart {
  private QuickStart() {}

  static CallSession quickStart(CallClient client, URI signaling) {
    // --- README quick start (begin)
    // CallClient client = CallClient.builder().build();  // finds ws://, mqtt://, http:// transports
    CallSession session = client.newSession(
        SessionOptions.builder().signaling(signaling).room("demo").peerId("alice").build(),
        new CallSession.Listener() {
          @Override public void onStateChanged(CallSession s, CallState state) {
            System.out.println("alice: " + state);
          }
          @Override public void onEnded(CallSession s, EndReason reason, CallException error) {
            System.out.println("ended: " + reason + (error != null ? " " + error.getMessage() : ""));
          }
        });
    session.call("bob"); // sends a test pattern and a 440 Hz tone unless MediaOptions say otherwise
    // --- README quick start (end)
    return session;
  }
}
