package dev.simplecall.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one-file samples run end to end (each throws when what it shows did not happen). */
class SamplesTest {
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream original;

  @BeforeEach
  void capture() {
    original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(original);
    original.print(captured.toString(StandardCharsets.UTF_8));
  }

  private String output() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void echoCallSampleSeesItsOwnVideoComeBack() throws Exception {
    EchoCallSample.main(new String[0]);
    assertTrue(output().contains("alice saw her own video come back"), output());
  }

  @Test
  void customFramesSampleDeliversEveryPaintedColour() throws Exception {
    CustomFramesSample.main(new String[0]);
    assertTrue(output().contains("bob saw every colour alice painted: [blue, green, red]"), output());
  }

  @Test
  void dataChannelChatSampleGetsAnswers() throws Exception {
    DataChannelChatSample.main(new String[0]);
    assertTrue(output().contains("bob: you said \"bye\" (3 characters)"), output());
  }

  @Test
  void mqttSignalingSampleConnectsThroughAnEmbeddedBroker() throws Exception {
    MqttSignalingSample.main(new String[0]);
    assertTrue(output().contains("connected over MQTT signaling"), output());
  }
}
