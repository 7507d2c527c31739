package dev.simplecall.samples.cli;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.MediaOptions;
import dev.simplecall.Speaker;
import dev.simplecall.VideoSource;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simplecall demo}: a whole call in one process, alice calling bob through an embedded server. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Runs a whole call in this process: embedded server, alice calls bob.",
    description = "Runs a complete call in this process: an embedded signaling server (or MQTT broker) on a free loopback port and two peers, alice and bob, with a moving test pattern and a tone. Prints progress, a live status line and one RESULT line per peer; exits 0 when both are ok=true.")
public final class DemoCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--transport", defaultValue = "websocket", paramLabel = "NAME",
      description = "Signaling transport: websocket, mqtt, http-poll or memory (default: ${DEFAULT-VALUE}).")
  String transport;

  @Option(names = "--duration", defaultValue = "5s", paramLabel = "TIME", converter = Converters.DurationConverter.class,
      description = "How long media flows once connected, e.g. 5s, 500ms, 1m (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--video", defaultValue = "640x480@30", paramLabel = VideoFlags.SYNTAX,
      description = "What alice sends: the test pattern (a bare WxH@FPS is the pattern too), an X11 screen, a window, "
          + "a camera or a Y4M file, as for 'simplecall peer' (default: ${DEFAULT-VALUE}). bob sends the test pattern.")
  String video;

  @Option(names = "--audio", defaultValue = "tone", paramLabel = AudioFlags.SYNTAX,
      description = "What alice sends: a 440 Hz tone, the microphone or a WAV file, as for 'simplecall peer' "
          + "(default: ${DEFAULT-VALUE}). bob sends a 660 Hz tone.")
  String audio;

  @Option(names = "--record", paramLabel = "DIR",
      description = "bob records what he receives from alice to DIR/audio.wav and DIR/video.y4m.")
  java.nio.file.Path record;

  @Option(names = "--peers", paramLabel = "N",
      description = "Run a group call of N members (3 to 6; alice, bob, carol, dave, erin, frank), each connected to every other, "
          + "each printing a RESULT line with peers_ok=N-1/N-1 when video, audio and data flowed with every other member. "
          + "Without it: alice calls bob.")
  Integer peers;

  @Option(names = "--room", defaultValue = "demo", paramLabel = "ROOM", description = "Room name (default: ${DEFAULT-VALUE}).")
  String room;

  @Option(names = "--cluster", arity = "0..1", fallbackValue = "local", paramLabel = "URI",
      description = "Two signaling servers sharing rooms through Redis, the peers on different ones (websocket, http-poll):"
          + " through a redis-server started for the demo, or the Redis at URI (redis://HOST:PORT).")
  String cluster;

  @Override
  public Integer call() throws Exception {
    common.apply();
    String t = Transports.requireName(transport);
    if (peers != null && (peers < 2 || peers > NAMES.size())) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--peers must be 2 to " + NAMES.size() + ": " + peers);
    }
    if (peers != null && record != null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--record is for the two-peer demo");
    }
    VideoSource aliceVideo = VideoFlags.video(video);
    VideoFlags.check(aliceVideo);
    AudioSource aliceAudio = AudioFlags.audio(audio, 440);
    AudioFlags.check(aliceAudio, Speaker.none());
    PrintWriter out = spec.commandLine().getOut();
    Console console = new Console(out, Console.isTerminal(), true);
    if (peers != null) return group(t, aliceVideo, aliceAudio, console);
    List<PeerResult> results;
    try (EmbeddedServices services = services(t)) {
      console.progress(null, "demo: " + services.describe() + ", alice calls bob for " + duration.toMillis() / 1000.0 + "s");
      CallClient.Builder b = CallClient.builder();
      if (services.hub() != null) b.addTransportFactory(services.hub().transportFactory());
      try (CallClient client = b.build()) {
        results = callBothWays(client, services, t, console, aliceVideo, aliceAudio);
      }
    }
    // printed only after the native side is closed: libwebrtc may write to stdout while it shuts down,
    // and the RESULT lines must be the last ones
    int worst = ExitCodes.OK;
    for (PeerResult r : results) {
      console.line(r.toLine());
      if (r.exitCode() != ExitCodes.OK && (worst == ExitCodes.OK || r.exitCode() > worst)) worst = r.exitCode();
    }
    return worst;
  }

  private EmbeddedServices services(String t) throws java.io.IOException {
    if (cluster == null) return EmbeddedServices.start(t);
    URI redis = null;
    if (!cluster.equals("local")) {
      redis = URI.create(cluster);
      if (!"redis".equals(redis.getScheme()) && !"rediss".equals(redis.getScheme())) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--cluster takes redis://HOST:PORT: " + cluster);
      }
    }
    return EmbeddedServices.startCluster(t, redis);
  }

  private static final List<String> NAMES = List.of("alice", "bob", "carol", "dave", "erin", "frank");

  /** {@code --peers N}: N members in one room, all in this process. */
  private int group(String t, VideoSource video0, AudioSource audio0, Console console) throws Exception {
    List<GroupResult> results = new ArrayList<>();
    try (EmbeddedServices services = services(t)) {
      console.progress(null, "demo: " + services.describe() + ", " + peers + " members in room " + room + " for "
          + duration.toMillis() / 1000.0 + "s");
      CallClient.Builder b = CallClient.builder();
      if (services.hub() != null) b.addTransportFactory(services.hub().transportFactory());
      try (CallClient client = b.build()) {
        ExecutorService pool = daemonPool(peers, "simplecall-demo-member");
        try {
          List<Future<GroupResult>> runs = new ArrayList<>();
          for (int i = 0; i < peers; i++) {
            // the first member sends what the flags say; the others a test pattern and tones of their own
            VideoSource v = i == 0 ? video0 : VideoSource.testPattern(320, 240, 15);
            AudioSource a = i == 0 ? audio0 : AudioSource.tone(440 + 110 * i);
            if (i == 0 && v.kind() == VideoSource.Kind.TEST_PATTERN) v = VideoSource.testPattern(320, 240, 15);
            GroupRun run = new GroupRun(client, new GroupRun.Settings(NAMES.get(i), room, services.signaling(i), null,
                peers, duration, Duration.ofSeconds(60), Duration.ofSeconds(15), t, media(v, a), null), console);
            runs.add(pool.submit(run::run));
          }
          long bound = duration.toMillis() + 120_000;
          for (int i = 0; i < peers; i++) {
            try {
              results.add(runs.get(i).get(bound, TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
              results.add(GroupResult.failed(NAMES.get(i), t, peers - 1, "member did not finish within " + bound / 1000
                  + "s", ExitCodes.INTERNAL));
            }
          }
        } finally {
          pool.shutdownNow();
        }
      }
    }
    int worst = ExitCodes.OK;
    for (GroupResult r : results) {
      console.line(r.toLine());
      if (r.exitCode() != ExitCodes.OK && (worst == ExitCodes.OK || r.exitCode() > worst)) worst = r.exitCode();
    }
    return worst;
  }

  private List<PeerResult> callBothWays(CallClient client, EmbeddedServices services, String t, Console console,
      VideoSource aliceVideo, AudioSource aliceAudio) throws Exception {
    Duration join = Duration.ofSeconds(15);
    Duration wait = Duration.ofSeconds(60);
    VideoSource pattern = aliceVideo.kind() == VideoSource.Kind.TEST_PATTERN ? aliceVideo : VideoSource.testPattern(640, 480, 30);
    PeerRun bob = new PeerRun(client, new PeerRun.Settings("bob", room, services.signaling(1), null, null,
        duration, wait, join, t, media(pattern, AudioSource.tone(660)), null), console);
    if (record != null) bob.recordTo(record);
    PeerRun alice = new PeerRun(client, new PeerRun.Settings("alice", room, services.signaling(0), null, "bob",
        duration, wait, join, t, media(aliceVideo, aliceAudio), null), console);
    ExecutorService pool = daemonPool(2, "simplecall-demo-peer");
    try {
      Future<PeerResult> b = pool.submit(bob::run);
      Future<PeerResult> a = pool.submit(alice::run);
      long bound = duration.toMillis() + 240_000; // beyond the sum of PeerRun's own bounded waits
      List<PeerResult> results = new ArrayList<>();
      results.add(get(a, bound, "alice", t));
      results.add(get(b, bound, "bob", t));
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One daemon thread per peer, so a peer stuck past the bound never holds the JVM. */
  private static ExecutorService daemonPool(int threads, String name) {
    return Executors.newFixedThreadPool(threads, r -> {
      Thread th = new Thread(r, name);
      th.setDaemon(true);
      return th;
    });
  }

  private static PeerResult get(Future<PeerResult> f, long boundMs, String peer, String t) throws Exception {
    try {
      return f.get(boundMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception) throw (Exception) e.getCause();
      throw e;
    } catch (TimeoutException e) {
      return PeerResult.failed(peer, t, "peer did not finish within " + boundMs / 1000 + "s", ExitCodes.INTERNAL);
    }
  }

  private static MediaOptions media(VideoSource video, AudioSource audio) {
    return MediaOptions.builder().video(video).audio(audio).build();
  }
}
