package dev.simplecall.samples.cli;

import dev.simplecall.AudioDevices;
import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.IceServer;
import dev.simplecall.IceTransportPolicy;
import dev.simplecall.MediaOptions;
import dev.simplecall.Speaker;
import dev.simplecall.VideoSource;
import dev.simplecall.samples.gui.CallWindow;
import dev.simplecall.samples.gui.GroupWindow;
import java.awt.GraphicsEnvironment;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simplecall gui}: the Swing video-call window. */
@Command(name = "gui", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Opens the video-call window.",
    description = "A video-call window: local preview, remote video, mute and camera toggles, hang up, live stats. Uses the camera when there is one (else a test pattern), and the microphone when a sound server runs (else a tone; --audio chooses). With --id it joins at once; with --call it also calls that peer. With --group and --id it joins ROOM as a member of a group call and shows a grid of all members.")
public final class GuiCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--signaling", paramLabel = "URI", defaultValue = "ws://127.0.0.1:8080/v1/ws",
      description = "Signaling server or broker (default: ${DEFAULT-VALUE}). Schemes found: ${sys:simplecall.schemes}.")
  String signaling;

  @Option(names = "--room", paramLabel = "ROOM", defaultValue = "r1", description = "Room (default: ${DEFAULT-VALUE}).")
  String room;

  @Option(names = "--id", paramLabel = "PEER", description = "Your id in the room; the window joins at once when given.")
  String id;

  @Option(names = "--call", paramLabel = "PEER", description = "Call this peer as soon as the window opens.")
  String callee;

  @Option(names = "--group",
      description = "Join ROOM as --id in a group call: a grid with your preview and every other member, the active speaker framed in green.")
  boolean group;

  @Option(names = "--token", paramLabel = "T", description = "Auth token for servers started with --auth-secret.")
  String token;

  @Option(names = "--ca-cert", paramLabel = "FILE",
      description = "Trust only the CA certificates in this PEM file, instead of the system's CAs, for wss://, https:// and mqtts:// "
          + "signaling and the TURN credential requests to the signaling server. Host names are still checked.")
  Path caCert;

  @Option(names = "--ice-server", paramLabel = "URL[,user,credential]",
      converter = Converters.IceServerConverter.class, description = "STUN or TURN server, repeatable.")
  List<IceServer> iceServers = new ArrayList<>();

  @Option(names = "--ice-policy", defaultValue = "all", paramLabel = "all|relay",
      description = "relay: only TURN relay candidates (default: ${DEFAULT-VALUE}).")
  IceTransportPolicy icePolicy;

  @Option(names = "--video", defaultValue = "camera", paramLabel = "camera[:DEVICE][:WxH@FPS]|pattern[:WxH@FPS]|screen[:N][@FPS]|window:TITLE[@FPS]|file:PATH.y4m|none",
      description = "camera (the first, or a test pattern when there is none; a named one must exist), the test pattern (a bare WxH@FPS too), X11 screen N "
          + "(default 0) at FPS (default 15), an X11 window's area (window:TITLE), a looping Y4M file, or none (default: ${DEFAULT-VALUE}).")
  String video;

  @Option(names = "--audio", paramLabel = AudioFlags.SYNTAX,
      description = "Outgoing audio: a 440 Hz tone, the sound server's microphone (default or by name or description), "
          + "a WAV file, or none. Default: mic when a sound server runs, else tone (said on stderr).")
  String audio;

  @Option(names = "--audio-processing", defaultValue = "on", paramLabel = "on|off",
      description = "Echo cancellation, noise suppression and gain control on the microphone (default: ${DEFAULT-VALUE}).")
  String audioProcessing;

  @Option(names = "--speaker", arity = "0..1", fallbackValue = AudioFlags.DEFAULT_SPEAKER, paramLabel = "DEVICE",
      description = "Play the remote audio on the default speaker, or on DEVICE. Without it the remote audio is not played.")
  String speaker;

  @Option(names = "--window-at", paramLabel = "X,Y", hidden = true, description = "Window position on screen.")
  String windowAt;

  @Option(names = "--exit-after", paramLabel = "TIME", hidden = true, converter = Converters.DurationConverter.class,
      description = "Close the window after this long (tests, screenshots).")
  Duration exitAfter;

  @Option(names = "--commands", hidden = true,
      description = "Read picks from stdin, one a line: video-file PATH, pick video|mic|speaker LABEL, devices (tests).")
  boolean commands;

  @Override
  public Integer call() throws Exception {
    common.apply();
    if (GraphicsEnvironment.isHeadless()) {
      throw new CliException(ExitCodes.USAGE, "gui needs a display: DISPLAY is not set (or java.awt.headless=true)");
    }
    if (group && (id == null || callee != null)) {
      throw new CliException(ExitCodes.USAGE, "--group needs --id (your id in the room) and takes no --call");
    }
    URI uri = Transports.parse(signaling);
    Integer x = null;
    Integer y = null;
    if (windowAt != null) {
      String[] p = windowAt.split(",");
      try {
        x = Integer.parseInt(p[0].trim());
        y = Integer.parseInt(p[1].trim());
      } catch (RuntimeException e) {
        throw new CliException(ExitCodes.USAGE, "--window-at expects X,Y: \"" + windowAt + "\"");
      }
    }
    AudioSource audioSource = AudioFlags.processing(audioSource(), audioProcessing);
    Speaker speakerChoice = AudioFlags.speaker(speaker);
    AudioFlags.check(audioSource, speakerChoice);
    MediaOptions media = MediaOptions.builder().video(videoSource()).audio(audioSource).speaker(speakerChoice).build();
    PrintWriter out = spec.commandLine().getOut();
    TrustedCa trusted = caCert == null ? null : TrustedCa.load(caCert);
    CallClient.Builder builder = CallClient.builder().iceServers(iceServers).iceTransportPolicy(icePolicy).media(media);
    if (trusted != null) trusted.applyTo(builder, uri);
    CallClient client = builder.build();
    try {
      if (group) {
        GroupWindow window = new GroupWindow(client, uri, room, id, token, out);
        window.show(x, y);
        return runUntilClosed(window::close, window::awaitClosed);
      }
      CallWindow window = new CallWindow(client, uri, room, id, callee, token, out);
      window.show(x, y, callee != null);
      if (commands) window.takeCommands(System.in);
      return runUntilClosed(window::close, window::awaitClosed);
    } finally {
      client.close();
      if (trusted != null) trusted.close();
    }
  }

  /** How a window is waited for: until closed, at most {@code timeout} (null: no limit). */
  private interface Closing {
    boolean await(Duration timeout) throws InterruptedException;
  }

  /**
   * Waits until the window is closed: by the user, by {@code --exit-after}, or by Ctrl-C or SIGTERM,
   * which close it like its close button so the others hear a hang-up.
   */
  private int runUntilClosed(Runnable close, Closing closing) throws InterruptedException {
    Thread hook = new Thread(() -> {
      close.run();
      try {
        closing.await(Duration.ofSeconds(5));
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }, "simplecall-gui-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Timer timer = null;
    if (exitAfter != null) {
      timer = new Timer("simplecall-gui-exit", true);
      timer.schedule(new TimerTask() {
        @Override
        public void run() {
          close.run();
        }
      }, exitAfter.toMillis());
    }
    try {
      closing.await(null);
    } finally {
      if (timer != null) timer.cancel();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running already
    }
    return ExitCodes.OK;
  }

  private VideoSource videoSource() {
    VideoSource v = VideoFlags.video(video);
    VideoFlags.check(v);
    return v;
  }

  private AudioSource audioSource() {
    if (audio != null) return AudioFlags.audio(audio, 440);
    String reason = AudioDevices.unavailableReason();
    if (reason == null) return AudioSource.microphone();
    spec.commandLine().getErr().println("simplecall gui: sending a 440 Hz tone, not the microphone: " + reason);
    spec.commandLine().getErr().flush();
    return AudioSource.tone(440);
  }
}
