package dev.simplecall.samples.cli;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.IceServer;
import dev.simplecall.IceTransportPolicy;
import dev.simplecall.MediaOptions;
import dev.simplecall.Speaker;
import dev.simplecall.VideoSource;
import dev.simplecall.protocol.Names;
import dev.simplecall.spi.TransportOptions;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code simplecall peer}: one scripted call against a real signaling server or broker. */
@Command(name = "peer", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Joins a room, calls or waits, streams, prints a RESULT line.",
    description = "Joins ROOM as PEER, calls --call PEER (or waits to be called), streams the --video source (a test pattern by default) and the --audio source (a tone by default) for the duration, pings over data channel \"ping\", hangs up and prints a RESULT line as the last line of stdout. Exits 0 only when media and data flowed both ways.%n%nExample: simplecall peer --signaling ws://127.0.0.1:8080/v1/ws --room r1 --id alice --call bob")
public final class PeerCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--signaling", paramLabel = "URI",
      description = "Signaling server or broker: ws://host:8080/v1/ws, http://host:8080 (long-poll), mqtt://host:1883. "
          + "Schemes found: ${sys:simplecall.schemes} (more with SIMPLECALL_CLASSPATH=JAR).")
  String signaling;

  @Option(names = "--room", paramLabel = "ROOM", description = "Room to join.")
  String room;

  @Option(names = "--id", paramLabel = "PEER", description = "This peer's id in the room.")
  String id;

  @Option(names = "--call", paramLabel = "PEER", description = "Peer to call; without it, wait to be called.")
  String callee;

  @Option(names = "--group",
      description = "Join ROOM as a member of a group call: connect to every other member (a mesh), stream to all of them, "
          + "say hello to each over the room's data channel, and print a RESULT line with peers_ok=K/N-1. Not with --call.")
  boolean group;

  @Option(names = "--peers", defaultValue = "2", paramLabel = "N",
      description = "With --group: wait (up to --wait) until the room has N members, this one included, all connected "
          + "(2 to 6, default: ${DEFAULT-VALUE}).")
  int peers;

  @Option(names = "--transport", paramLabel = "NAME",
      description = "websocket or http-poll: use this endpoint of the server at --signaling (default: from the URI scheme).")
  String transport;

  @Option(names = "--ice-server", paramLabel = "URL[,user,credential]",
      converter = Converters.IceServerConverter.class,
      description = "STUN or TURN server, repeatable, e.g. turn:10.0.0.1:3478,user,secret. Added to those the server sends.")
  List<IceServer> iceServers = new ArrayList<>();

  @Option(names = "--ice-insecure-tls",
      description = "Do not check the TLS certificate of turns: servers given with --ice-server (self-signed or private-CA TURN). Tests and private networks only: anyone on the path could pose as the TURN server.")
  boolean iceInsecureTls;

  @Option(names = "--ice-policy", defaultValue = "all", paramLabel = "all|relay",
      description = "relay: use only TURN relay candidates (default: ${DEFAULT-VALUE}).")
  IceTransportPolicy icePolicy;

  @Option(names = "--duration", defaultValue = "10s", paramLabel = "TIME", converter = Converters.DurationConverter.class,
      description = "How long media flows once connected (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--video", defaultValue = "640x480@30", paramLabel = VideoFlags.SYNTAX,
      description = "Outgoing video: the test pattern (a bare WxH@FPS is the pattern too), X11 screen N (default 0) "
          + "at FPS (default 15; needs DISPLAY), the screen area of the X11 window titled TITLE (needs xwininfo), a camera (the first, or the test pattern when there is none; "
          + "a named one must exist, see 'simplecall devices'), a Y4M file (4:2:0, looping, at its own frame rate), "
          + "or none (default: ${DEFAULT-VALUE}).")
  String video;

  @Option(names = "--audio", defaultValue = "tone", paramLabel = AudioFlags.SYNTAX,
      description = "Outgoing audio: a 440 Hz tone, the sound server's microphone (default or by name or description), "
          + "a WAV file, or none (default: ${DEFAULT-VALUE}). See 'simplecall devices'.")
  String audio;

  @Option(names = "--audio-processing", defaultValue = "on", paramLabel = "on|off",
      description = "Echo cancellation, noise suppression and gain control on the microphone (default: ${DEFAULT-VALUE}).")
  String audioProcessing;

  @Option(names = "--min-video-bitrate", defaultValue = "0", paramLabel = "KBPS",
      description = "Give the video encoder at least this many kbit/s whatever bandwidth estimation says (default: "
          + "${DEFAULT-VALUE}, libwebrtc's own floor). Keeps the frame rate under heavy random loss, which the estimator "
          + "takes for congestion; on a link slower than it, it adds queueing and loss.")
  int minVideoKbps;

  @Option(names = "--random-loss-floor", defaultValue = "300", paramLabel = "KBPS",
      description = "While the far end reports loss and the round-trip time shows no queue (random loss, not "
          + "congestion), give the video encoder at least this many kbit/s; lifted when a queue or more loss shows "
          + "(default: ${DEFAULT-VALUE}; 0: never).")
  int randomLossFloorKbps;

  @Option(names = "--speaker", arity = "0..1", fallbackValue = AudioFlags.DEFAULT_SPEAKER, paramLabel = "DEVICE",
      description = "Play the remote audio on the default speaker, or on DEVICE (name or description). "
          + "Without it the remote audio is not played. Needs --audio mic[:DEVICE] or none.")
  String speaker;

  @Option(names = "--record", paramLabel = "DIR",
      description = "Record the remote audio to DIR/audio.wav (16-bit PCM) and the remote video to DIR/video.y4m "
          + "(YUV4MPEG2, 30 fps); DIR is made if needed, files in it are replaced.")
  java.nio.file.Path record;

  @Option(names = "--token", paramLabel = "T", description = "Auth token for servers started with --auth-secret.")
  String token;

  @Option(names = "--ca-cert", paramLabel = "FILE",
      description = "Trust only the CA certificates in this PEM file, instead of the system's CAs, for wss://, https:// and mqtts:// "
          + "signaling and the TURN credential requests to the signaling server (a private CA, or the server's self-signed certificate). "
          + "Host names are still checked.")
  java.nio.file.Path caCert;

  @Option(names = "--wait", defaultValue = "120s", paramLabel = "TIME", converter = Converters.DurationConverter.class,
      description = "How long to wait for the call, or for PEER to join the room (default: ${DEFAULT-VALUE}).")
  Duration waitForCall;

  @Option(names = "--join-timeout", defaultValue = "15s", paramLabel = "TIME", converter = Converters.DurationConverter.class,
      description = "Give up when the signaling server does not let us join within this (default: ${DEFAULT-VALUE}).")
  Duration joinTimeout;

  @Option(names = "--ice-timeout", defaultValue = "20s", paramLabel = "TIME", converter = Converters.DurationConverter.class,
      description = "Fail with \"no route\" when ICE finds no path within this (default: ${DEFAULT-VALUE}).")
  Duration iceTimeout;

  @Override
  public Integer call() throws Exception {
    common.apply();
    require(signaling, "--signaling=URI", "SIMPLECALL_SIGNALING");
    require(room, "--room=ROOM", "SIMPLECALL_ROOM");
    require(id, "--id=PEER", "SIMPLECALL_ID");
    name(room, "--room");
    name(id, "--id");
    if (callee != null) name(callee, "--call");
    if (group && callee != null) {
      throw new ParameterException(spec.commandLine(), "--call is for a call with one peer; a --group member connects to every member");
    }
    if (group && (peers < 2 || peers > dev.simplecall.RoomOptions.MESH_LIMIT)) {
      throw new ParameterException(spec.commandLine(), "--peers must be 2 to " + dev.simplecall.RoomOptions.MESH_LIMIT + ": " + peers);
    }
    if (group && record != null) throw new ParameterException(spec.commandLine(), "--record is for a call with one peer");
    URI uri = Transports.parse(signaling);
    if (transport != null) uri = Transports.forTransport(uri, transport);
    String t = Transports.nameOf(uri);
    PrintWriter out = spec.commandLine().getOut();
    Console console = new Console(out, Console.isTerminal(), false);
    AudioSource audioSource = AudioFlags.processing(AudioFlags.audio(audio, 440), audioProcessing);
    Speaker speakerChoice = AudioFlags.speaker(speaker);
    AudioFlags.check(audioSource, speakerChoice);
    VideoSource videoSource = VideoFlags.video(video);
    VideoFlags.check(videoSource);
    if (minVideoKbps < 0 || minVideoKbps > 100_000) {
      throw new ParameterException(spec.commandLine(), "--min-video-bitrate expects 0 to 100000 kbit/s: " + minVideoKbps);
    }
    if (randomLossFloorKbps < 0 || randomLossFloorKbps > 100_000) {
      throw new ParameterException(spec.commandLine(), "--random-loss-floor expects 0 to 100000 kbit/s: " + randomLossFloorKbps);
    }
    MediaOptions media = MediaOptions.builder()
        .video(videoSource)
        .audio(audioSource)
        .speaker(speakerChoice)
        .minVideoBitrate(minVideoKbps * 1000)
        .randomLossVideoFloor(randomLossFloorKbps * 1000)
        .build();
    TrustedCa trusted = caCert == null ? null : TrustedCa.load(caCert);
    CallClient.Builder builder = CallClient.builder()
        .iceServers(iceInsecureTls ? iceServers.stream().map(IceServer::withInsecureTls).toList() : iceServers)
        .iceTransportPolicy(icePolicy)
        .media(media);
    if (trusted != null) trusted.applyTo(builder, uri);
    CallClient client = builder.build();
    PeerResult result;
    try {
      try {
        client.transportFactoryFor(uri);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      }
      if (group) {
        GroupResult g = new GroupRun(client, new GroupRun.Settings(id, room, uri, token, peers, duration, waitForCall,
            joinTimeout, t, null, iceTimeout), console).run();
        client.close();
        if (!g.ok() && g.exitCode() != ExitCodes.NOT_OK) {
          spec.commandLine().getErr().println("simplecall peer: " + g.reason());
          spec.commandLine().getErr().flush();
        }
        console.line(g.toLine());
        return g.exitCode();
      }
      PeerRun run = new PeerRun(client, new PeerRun.Settings(id, room, uri, token, callee, duration, waitForCall,
          joinTimeout, t, null, iceTimeout), console);
      if (record != null) run.recordTo(record);
      result = run.run();
    } finally {
      client.close();
      if (trusted != null) trusted.close();
    }
    // after close: libwebrtc may write to stdout while it shuts down, and RESULT must be the last line
    if (!result.ok() && result.exitCode() != ExitCodes.NOT_OK) {
      spec.commandLine().getErr().println("simplecall peer: " + result.reason());
      spec.commandLine().getErr().flush();
    }
    console.line(result.toLine());
    return result.exitCode();
  }

  private void name(String value, String option) {
    if (!Names.isValid(value)) {
      throw new ParameterException(spec.commandLine(),
          option + " must be 1-64 characters of letters, digits, '.', '_' or '-': \"" + value + "\"");
    }
  }

  private void require(String value, String option, String env) {
    if (value == null || value.isBlank()) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '" + option + "' (or set " + env + ")");
    }
  }
}
