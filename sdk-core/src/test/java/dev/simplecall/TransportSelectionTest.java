package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Explicit factories win over ServiceLoader; broken providers are skipped; unknown schemes name
 * everything tried. The test class path registers {@link TestTransports.Discovered} (scheme
 * {@code disco}, also {@code memory}) and {@link TestTransports.Broken} (fails to instantiate).
 */
class TransportSelectionTest {
  @Test
  void explicitFactoryWinsOverDiscovered() {
    InMemorySignaling hub = new InMemorySignaling();
    try (CallClient client = CallClient.builder().addTransportFactory(hub.transportFactory()).build()) {
      SignalingTransportFactory f = client.transportFactoryFor(URI.create("memory://x"));
      assertEquals(Set.of("memory"), f.schemes());
      assertTrue(f.toString().contains("InMemorySignaling"), f.toString());
    }
  }

  @Test
  void discoveredFactoryIsFoundAndBrokenProviderSkipped() {
    try (CallClient client = CallClient.builder().build()) {
      SignalingTransportFactory f = client.transportFactoryFor(URI.create("disco://host"));
      assertSame(TestTransports.Discovered.class, f.getClass());
      // without an explicit one, memory also resolves to the discovered factory
      assertSame(TestTransports.Discovered.class, client.transportFactoryFor(URI.create("MEMORY://x")).getClass());
    }
  }

  @Test
  void aDiscoveredFactoryIsMadeOncePerClientAndClosedWithIt() {
    CallClient client = CallClient.builder().build();
    TestTransports.Discovered f = (TestTransports.Discovered) client.transportFactoryFor(URI.create("disco://host"));
    assertSame(f, client.transportFactoryFor(URI.create("disco://other")), "one instance per client");
    try (CallClient other = CallClient.builder().build()) {
      assertNotSame(f, other.transportFactoryFor(URI.create("disco://host")), "each client has its own");
    }
    assertEquals(0, f.closed.get());
    client.close();
    client.close();
    assertEquals(1, f.closed.get(), "closed once, with its client");
    assertThrows(IllegalStateException.class, () -> client.transportFactoryFor(URI.create("disco://host")));
  }

  @Test
  void anExplicitFactoryIsTheAppsAndStaysOpen() {
    TestTransports.Discovered mine = new TestTransports.Discovered();
    CallClient client = CallClient.builder().addTransportFactory(mine).build();
    assertSame(mine, client.transportFactoryFor(URI.create("disco://host")));
    client.close();
    assertEquals(0, mine.closed.get());
  }

  @Test
  void unknownSchemeNamesTheUriAndEveryFactoryTried() {
    InMemorySignaling hub = new InMemorySignaling();
    try (CallClient client = CallClient.builder().addTransportFactory(hub.transportFactory()).build()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> client.transportFactoryFor(URI.create("carrier-pigeon://coop")));
      assertTrue(e.getMessage().contains("carrier-pigeon://coop"), e.getMessage());
      assertTrue(e.getMessage().contains("InMemorySignaling"), e.getMessage());
      assertTrue(e.getMessage().contains(TestTransports.Discovered.class.getName()), e.getMessage());
      SessionOptions o = SessionOptions.builder().signaling(URI.create("carrier-pigeon://coop")).room("r").peerId("a").build();
      assertThrows(IllegalArgumentException.class, () -> client.newSession(o, new CallSession.Listener() {}));
    }
  }

  @Test
  void buildersRejectBadInputWithClearMessages() {
    assertThrows(IllegalArgumentException.class, () -> SessionOptions.builder().room("has space"));
    assertThrows(IllegalStateException.class, () -> SessionOptions.builder().room("r").peerId("a").build());
    NullPointerException npe = assertThrows(NullPointerException.class, () -> CallClient.builder().addIceServer(null));
    assertEquals("server == null", npe.getMessage());
    assertThrows(IllegalArgumentException.class, () -> VideoSource.testPattern(641, 480, 30));
    assertThrows(IllegalArgumentException.class, () -> AudioSource.appPcm(12345, 1));
    assertThrows(IllegalArgumentException.class, () -> DataChannelOptions.unordered(-1));
  }

  /** Providers registered in src/test/resources/META-INF/services. */
  public static final class TestTransports {
    private TestTransports() {}

    public static final class Discovered implements SignalingTransportFactory {
      final AtomicInteger closed = new AtomicInteger();

      @Override
      public void close() {
        closed.incrementAndGet();
      }

      @Override
      public Set<String> schemes() {
        return Set.of("disco", "memory");
      }

      @Override
      public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener listener) {
        throw new UnsupportedOperationException("selection test only");
      }
    }

    public static final class Broken implements SignalingTransportFactory {
      public Broken() {
        throw new IllegalStateException("this provider is broken on purpose");
      }

      @Override
      public Set<String> schemes() {
        return Set.of("broken");
      }

      @Override
      public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener listener) {
        throw new UnsupportedOperationException();
      }
    }
  }
}
