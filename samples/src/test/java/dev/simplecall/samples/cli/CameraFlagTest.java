package dev.simplecall.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --video camera:DEVICE} for a camera that is not there is a usage error before the call.
 * Full tier, not fast: listing cameras loads the native library on a machine with /dev/video*.
 */
class CameraFlagTest {
  @Test
  void absentNamedCameraIsAUsageErrorBeforeTheCall() {
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"peer", "--signaling", "ws://127.0.0.1:9/v1/ws", "--room", "r", "--id", "a",
        "--video", "camera:front"}, Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertEquals(ExitCodes.USAGE, code);
    assertTrue(err.toString().contains("--video camera:front: no camera named \"front\""), err.toString());
  }
}
