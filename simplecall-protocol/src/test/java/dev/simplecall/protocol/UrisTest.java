package dev.simplecall.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class UrisTest {
  @Test
  void passwordsTokensAndSecretQueryValuesAreMasked() {
    assertEquals("mqtt://user:***@broker:1883", Uris.redact(URI.create("mqtt://user:pa55word@broker:1883")));
    assertEquals("ws://***@h:8080/v1/ws", Uris.redact(URI.create("ws://eyJhbGciOi@h:8080/v1/ws")));
    assertEquals("wss://h/v1/ws?room=r1&token=***&access_key=***", Uris.redact(URI.create("wss://h/v1/ws?room=r1&token=abc&access_key=k")));
    assertEquals("ws://127.0.0.1:8080/v1/ws", Uris.redact(URI.create("ws://127.0.0.1:8080/v1/ws")));
    assertEquals("tcp://simplecall-bridge:***@[::1]:1883", Uris.redact(URI.create("tcp://simplecall-bridge:s3cr3t@[::1]:1883")));
    assertEquals("mqtt:***", Uris.redact("mqtt://user:pass word@host"), "unparseable: only the scheme");
    assertEquals("null", Uris.redact((URI) null));
  }
}
