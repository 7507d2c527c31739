package dev.simplecall.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simplecall.protocol.corpus.HostileEnvelopes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The codec the SDK and the server share answers every hostile input with its documented {@link
 * EnvelopeException} code and never anything else (no StackOverflowError, NPE, OOM, number-format or
 * state exception): {@link EnvelopeCodec#decode} for single envelopes and {@link
 * EnvelopeCodec#splitArray} for long-poll batches. Seeded; {@code -Dcorpus.seed=N -Dcorpus.cases=N}
 * replay or enlarge a run, and every failure names the seed and the case.
 */
@Tag("fast")
class HostileEnvelopesTest {
  static final long SEED = Long.getLong("corpus.seed", 20261207L);
  static final int CASES = Integer.getInteger("corpus.cases", 2_000);

  @Test
  void everyHostileEnvelopeGetsItsDocumentedErrorAndNothingElse() {
    HostileEnvelopes corpus = new HostileEnvelopes(SEED);
    Map<String, Integer> answers = new TreeMap<>();
    for (int i = 0; i < CASES; i++) {
      HostileEnvelopes.Case c = corpus.next();
      String where = "seed " + SEED + " case " + i + ": " + c;
      ErrorCode got = answer(c.text(), where);
      if (!c.derived()) assertEquals(c.expected(), got, where);
      answers.merge(got == null ? "decoded" : got.wire(), 1, Integer::sum);
      // A batch of one, as the long-poll endpoint gets it: split, then decode the item.
      ErrorCode inBatch = batchAnswer("[" + c.text() + "]", where);
      if (got == null) assertEquals(null, inBatch, "an envelope that decodes alone must decode in a batch: " + where);
    }
    System.out.println("codec corpus: seed " + SEED + ", " + CASES + " cases, answers " + answers);
  }

  @Test
  void deepNestingBeyondTheSizeLimitIsTooLargeAndWithinItBadJson() {
    assertEquals(ErrorCode.TOO_LARGE, answer("[".repeat(100_000), "100k ["));
    assertEquals(ErrorCode.BAD_JSON, answer("[".repeat(60_000), "60k ["));
    assertEquals(ErrorCode.BAD_JSON, answer("{\"v\":1,\"x\":" + "{\"a\":".repeat(12_000), "12k {"));
    assertEquals(ErrorCode.BAD_JSON, batchAnswer("[".repeat(60_000), "60k [ as a batch"));
    assertEquals(ErrorCode.TOO_LARGE, batchAnswer("[".repeat(1_100_000), "1.1M [ as a batch"));
  }

  @Test
  void aDecodedEnvelopeSurvivesEncodingUnchanged() throws Exception {
    HostileEnvelopes corpus = new HostileEnvelopes(SEED + 1);
    for (int i = 0; i < CASES / 5; i++) {
      HostileEnvelopes.Case c = corpus.next();
      Envelope e;
      try {
        e = EnvelopeCodec.decode(c.text());
      } catch (EnvelopeException ex) {
        continue;
      }
      assertEquals(e, EnvelopeCodec.decode(EnvelopeCodec.encode(e)), "seed " + (SEED + 1) + " case " + i + ": " + c);
    }
  }

  @Test
  void aBatchItemDecodesExactlyAsItWouldAlone() throws Exception {
    String repeatedKey = "{\"v\":1,\"type\":\"offer\",\"id\":\"o\",\"to\":\"b\",\"sdp\":\"x\",\"sdp\":\"y\"}";
    assertEquals(List.of(repeatedKey, "{\"v\":1.0}"), EnvelopeCodec.splitArray("[" + repeatedKey + " , {\"v\":1.0}]"));
    assertEquals(EnvelopeCodec.decode(repeatedKey), EnvelopeCodec.decode(EnvelopeCodec.splitArray("[" + repeatedKey + "]").get(0)));
    assertEquals(ErrorCode.BAD_JSON, batchAnswer("[" + repeatedKey + "] x", "trailing data after a batch"));
  }

  /** The code {@code decode} refuses {@code text} with, or {@code null} when it decodes. */
  static ErrorCode answer(String text, String where) {
    try {
      EnvelopeCodec.decode(text);
      return null;
    } catch (EnvelopeException e) {
      assertNotNull(e.code(), where);
      return e.code();
    } catch (Throwable t) {
      throw new AssertionError("decode threw " + t + " for " + where, t);
    }
  }

  static ErrorCode batchAnswer(String text, String where) {
    try {
      for (String item : EnvelopeCodec.splitArray(text)) EnvelopeCodec.decode(item);
      return null;
    } catch (EnvelopeException e) {
      assertNotNull(e.code(), where);
      return e.code();
    } catch (Throwable t) {
      fail("splitArray/decode threw " + t + " for " + where, t);
      return null;
    }
  }
}
