package dev.simplecall.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simplecall.protocol.Envelope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The candidate ordering rules: local ones never overtake their description, early remote ones wait, bounded. */
@Tag("fast")
class CandidatesTest {
  private final List<String> sent = new ArrayList<>();
  private final Candidates candidates = new Candidates(c -> sent.add(c == null ? "end" : c.candidate()));

  @Test
  void localCandidatesWaitForTheFirstDescriptionThenGoInOrderWithEndOfCandidatesLast() {
    candidates.local(cand("a"));
    candidates.local(cand("b"));
    candidates.localComplete();
    assertEquals(List.of(), sent, "nothing before the offer or answer is sent");
    candidates.release();
    assertEquals(List.of("a", "b", "end"), sent);
    candidates.local(cand("c"));
    assertEquals(List.of("a", "b", "end", "c"), sent, "after the description: at once");
  }

  @Test
  void anIceRestartHoldsTheNewCandidatesUntilItsOfferIsSent() {
    candidates.release();
    candidates.local(cand("old"));
    candidates.hold();
    candidates.local(cand("new-1"));
    candidates.localComplete();
    assertEquals(List.of("old"), sent);
    candidates.release();
    candidates.release(); // a second release has nothing left to send
    assertEquals(List.of("old", "new-1", "end"), sent);
  }

  @Test
  void earlyRemoteCandidatesAreKeptPerSenderForItsOffer() {
    candidates.early("alice", cand("a1"));
    candidates.early("carol", cand("c1"));
    candidates.early("alice", cand("a2"));
    assertEquals(List.of("a1", "a2"), names(candidates.takeEarly("alice")));
    assertEquals(List.of(), candidates.takeEarly("alice"), "taken once");
    assertEquals(List.of("c1"), names(candidates.takeEarly("carol")));
    assertEquals(List.of(), candidates.takeEarly("nobody"));
  }

  @Test
  void earlyCandidatesAreBoundedInSendersAndPerSender() {
    for (int i = 0; i < Candidates.MAX_EARLY_PER_SENDER + 10; i++) candidates.early("flood", cand("f" + i));
    assertEquals(Candidates.MAX_EARLY_PER_SENDER, candidates.takeEarly("flood").size());

    for (int p = 0; p < Candidates.MAX_EARLY_SENDERS + 3; p++) candidates.early("p" + p, cand("x"));
    int kept = 0;
    for (int p = 0; p < Candidates.MAX_EARLY_SENDERS + 3; p++) kept += candidates.takeEarly("p" + p).size();
    assertEquals(Candidates.MAX_EARLY_SENDERS, kept, "senders beyond the bound are dropped");
  }

  private static Envelope.IceCandidate cand(String name) {
    return new Envelope.IceCandidate(name, "0", 0);
  }

  private static List<String> names(List<Envelope.IceCandidate> list) {
    return list.stream().map(Envelope.IceCandidate::candidate).toList();
  }
}
