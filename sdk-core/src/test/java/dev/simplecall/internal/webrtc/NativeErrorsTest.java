package dev.simplecall.internal.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class NativeErrorsTest {
  @Test
  void aRefusedInputBecomesAnIllegalArgumentWithAShortMessage() {
    String prefix = "Create ICE candidate failed: [";
    IllegalArgumentException e = NativeErrors.refused(new Error(prefix + "x".repeat(5000) + "]"));
    assertEquals(prefix + "x".repeat(NativeErrors.MAX_MESSAGE - prefix.length()) + "... (5031 characters)", e.getMessage());
    assertEquals("short", NativeErrors.refused(new Error("short")).getMessage());
  }

  @Test
  void otherErrorsAreRethrownAsTheyAre() {
    OutOfMemoryError oom = new OutOfMemoryError("native heap");
    assertSame(oom, assertThrows(OutOfMemoryError.class, () -> NativeErrors.refused(oom)));
  }
}
