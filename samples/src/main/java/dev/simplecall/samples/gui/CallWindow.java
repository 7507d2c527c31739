package dev.simplecall.samples.gui;

import dev.simplecall.CallClient;
import dev.simplecall.CallException;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.CallStats;
import dev.simplecall.DataChannel;
import dev.simplecall.EndReason;
import dev.simplecall.Screens;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.samples.cli.PingProtocol;
import dev.simplecall.samples.cli.StatsText;
import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.GridLayout;
import java.awt.Rectangle;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;
import javax.swing.JToggleButton;
import javax.swing.SwingUtilities;

/**
 * The video-call window: server, room and peer fields, Join / Call / Hang up, mute microphone and
 * camera toggles, video source, microphone and speaker pickers with a microphone level meter, remote
 * video with local preview and a stats overlay.
 *
 * <p>Threads: Swing state is touched only on the EDT; SDK calls that may block (start, call,
 * hang up, close) run on {@link #worker}; SDK callbacks arrive on the client's callback executor and
 * hop to the EDT with {@code invokeLater}. Progress also goes to {@code out}, one line each.
 */
public final class CallWindow {
  private final CallClient client;
  private final PrintWriter out;
  private final String token;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "simplecall-gui-worker");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch closed = new CountDownLatch(1);
  private final ScheduledExecutorService pingTimer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simplecall-gui-ping");
    t.setDaemon(true);
    return t;
  });

  private final JFrame frame = new JFrame();
  private final JTextField server = new JTextField(18);
  private final JTextField room = new JTextField(6);
  private final JTextField me = new JTextField(6);
  private final JTextField other = new JTextField(6);
  private final JButton join = new JButton("Join");
  private final JButton call = new JButton("Call");
  private final JButton hangUp = new JButton("Hang up");
  private final JToggleButton mute = new JToggleButton("Mute mic");
  private final JToggleButton camera = new JToggleButton("Camera off");
  private final JToggleButton share = new JToggleButton("Share screen");
  private final JLabel status = new JLabel(" ");
  final VideoView video = new VideoView();
  private DevicePanel devices;

  /** Only touched on the EDT. */
  private CallSession session;
  /** The listener of {@link #session}; only touched on the EDT. */
  private Events events;
  private boolean firstFrameSeen;

  public CallWindow(CallClient client, URI signaling, String roomName, String peerId, String callee, String token,
      PrintWriter out) {
    this.client = client;
    this.token = token;
    this.out = out;
    server.setText(signaling == null ? "ws://127.0.0.1:8080/v1/ws" : signaling.toString());
    room.setText(roomName == null ? "r1" : roomName);
    me.setText(peerId == null ? "" : peerId);
    other.setText(callee == null ? "" : callee);
    build();
  }

  private void build() {
    frame.setTitle("simplecall");
    frame.setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
    JPanel row1 = new JPanel(new FlowLayout(FlowLayout.LEFT, 6, 4));
    row1.add(new JLabel("Server")); row1.add(server);
    row1.add(new JLabel("Room")); row1.add(room);
    row1.add(new JLabel("Me")); row1.add(me);
    row1.add(join);
    JPanel row2 = new JPanel(new FlowLayout(FlowLayout.LEFT, 6, 4));
    row2.add(new JLabel("Peer")); row2.add(other);
    row2.add(call); row2.add(hangUp); row2.add(mute); row2.add(camera); row2.add(share);
    devices = new DevicePanel(client.media(), new DevicePanel.Call() {
      @Override
      public CallSession active() {
        CallSession s = session;
        return s != null && s.remotePeerId() != null && s.state() != CallState.ENDED ? s : null;
      }

      @Override
      public void run(Runnable sdkCall) {
        worker.execute(sdkCall);
      }

      @Override
      public void say(String text) {
        CallWindow.this.say(text);
      }
    });
    JPanel form = new JPanel(new GridLayout(3, 1));
    form.add(row1);
    form.add(row2);
    form.add(devices);
    out.println(devices.describe());
    out.flush();
    JPanel south = new JPanel(new BorderLayout());
    status.setBorder(BorderFactory.createEmptyBorder(4, 8, 4, 8));
    south.add(status, BorderLayout.CENTER);
    frame.getContentPane().add(form, BorderLayout.NORTH);
    frame.getContentPane().add(video, BorderLayout.CENTER);
    frame.getContentPane().add(south, BorderLayout.SOUTH);
    join.addActionListener(e -> joinRoom(null));
    call.addActionListener(e -> {
      String peer = other.getText().trim();
      if (peer.isEmpty()) { say("type the peer to call in the Call field"); return; }
      joinRoom(peer);
    });
    hangUp.addActionListener(e -> {
      CallSession s = session;
      if (s != null) worker.execute(s::hangUp);
    });
    mute.addActionListener(e -> {
      CallSession s = session;
      boolean on = mute.isSelected();
      if (s != null) worker.execute(() -> s.setAudioMuted(on));
      say(on ? "microphone muted" : "microphone on");
    });
    camera.addActionListener(e -> {
      CallSession s = session;
      boolean off = camera.isSelected();
      if (s != null) worker.execute(() -> s.setVideoEnabled(!off));
      if (off) video.local.clear();
      say(off ? "camera off" : "camera on");
    });
    share.setToolTipText(Screens.unavailableReason() == null ? "send screen 0 instead of the camera"
        : Screens.unavailableReason());
    share.addActionListener(e -> {
      CallSession s = session;
      boolean on = share.isSelected();
      // screen 0 at 15 fps, or back to the window's own source; the SDK swaps the track in place
      VideoSource next = on ? VideoSource.screen(0, 15) : client.media().video();
      if (s != null) worker.execute(() -> s.addVideo(next));
      say(on ? "sharing screen 0" : "screen sharing stopped");
    });
    frame.addWindowListener(new WindowAdapter() {
      @Override
      public void windowClosed(WindowEvent e) {
        CallSession s = session;
        Events ev = events;
        session = null;
        worker.execute(() -> {
          if (s != null) {
            s.close(); // asynchronous: wait until the bye is on its way before the JVM may exit
            try {
              ev.ended.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
            }
          }
          closed.countDown();
        });
        devices.stop();
      }
    });
    updateButtons();
    video.setMessage("Press Join to wait for calls, or type a peer and press Call");
    frame.pack();
  }



  /** Shows the window at {@code x,y} (null: centred) and, when {@code callee} was given, calls at once. */
  public void show(Integer x, Integer y, boolean callNow) {
    SwingUtilities.invokeLater(() -> {
      if (x != null && y != null) frame.setLocation(x, y);
      else frame.setLocationRelativeTo(null);
      frame.setVisible(true);
      if (callNow && !other.getText().isBlank()) joinRoom(other.getText().trim());
      else if (!me.getText().isBlank()) joinRoom(null);
    });
  }

  /** Blocks until the window and its session are closed, at most {@code timeout} (null: no limit). */
  public boolean awaitClosed(java.time.Duration timeout) throws InterruptedException {
    boolean done = true;
    if (timeout == null) closed.await();
    else done = closed.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    if (done) {
      worker.shutdown();
      pingTimer.shutdownNow();
    }
    return done;
  }

  /** Acts on the picks typed on {@code in}, one a line, until it ends ({@link WindowCommands}). */
  public void takeCommands(InputStream in) {
    WindowCommands.start(in, devices, this::say, line -> {
      out.println(line);
      out.flush();
    });
  }

  /** Closes the window as if the user did (any thread). */
  public void close() {
    SwingUtilities.invokeLater(frame::dispose);
  }

  private void joinRoom(String callee) {
    String peerId = me.getText().trim();
    if (peerId.isEmpty()) { say("type your own id in the Me field"); return; }
    CallSession existing = session;
    if (existing != null) {
      if (callee != null) worker.execute(() -> existing.call(callee));
      return;
    }
    SessionOptions options;
    try {
      options = SessionOptions.builder().signaling(URI.create(server.getText().trim()))
          .room(room.getText().trim()).peerId(peerId).token(token).media(devices.media()).build();
      client.transportFactoryFor(URI.create(server.getText().trim()));
    } catch (IllegalArgumentException | IllegalStateException e) {
      say("cannot join: " + e.getMessage());
      return;
    }
    frame.setTitle("simplecall - " + peerId);
    Events ev = new Events();
    CallSession s = client.newSession(options, ev);
    events = ev;
    s.addRemoteVideoSink(video.remote);
    s.addLocalVideoSink(video.local);
    session = s;
    firstFrameSeen = false;
    devices.newCall();
    updateButtons();
    worker.execute(() -> {
      if (callee != null) s.call(callee);
      else s.start();
    });
  }

  private void updateButtons() {
    boolean in = session != null;
    boolean inCall = in && session.remotePeerId() != null && session.state() != CallState.ENDED;
    server.setEnabled(!in);
    room.setEnabled(!in);
    me.setEnabled(!in);
    join.setEnabled(!in);
    call.setEnabled(!inCall);
    hangUp.setEnabled(inCall);
    share.setEnabled(inCall && Screens.unavailableReason() == null);
    if (!inCall) share.setSelected(false); // a new call starts with the window's own source
  }

  private void say(String text) {
    status.setText(text);
    out.println(text);
    out.flush();
  }

  /** SDK callbacks: hop to the EDT. */
  private final class Events extends CallSession.Listener {
    final CountDownLatch ended = new CountDownLatch(1);
    private boolean statsShown;
    private volatile long audioPackets;
    /** Answers a {@code simplecall peer}'s pings and reports, so that peer can check data and media both ways. */
    private final PingProtocol ping = new PingProtocol(pingTimer,
        () -> new PingProtocol.Report(video.remote.frames(), audioPackets));

    @Override
    public void onDataChannel(CallSession s, DataChannel ch) {
      if (PingProtocol.LABEL.equals(ch.label())) ping.attach(ch);
    }

    @Override
    public void onProgress(CallSession s, String step) {
      SwingUtilities.invokeLater(() -> {
        if (s != session) return;
        say(step);
        if (!firstFrameSeen) video.setMessage(step);
        updateButtons();
      });
    }

    @Override
    public void onJoined(CallSession s, Set<String> peers) {
      SwingUtilities.invokeLater(() -> {
        if (s != session) return;
        say("in room " + s.room() + (peers.isEmpty() ? ", nobody else here yet" : " with " + String.join(", ", peers)));
        if (s.remotePeerId() == null) video.setMessage("Waiting for a call as " + s.peerId());
      });
    }

    @Override
    public void onStateChanged(CallSession s, CallState state) {
      SwingUtilities.invokeLater(() -> {
        if (s != session) return;
        updateButtons();
        if (state == CallState.CONNECTED) {
          Rectangle r = video.remoteAreaOnScreen();
          say(String.format(Locale.ROOT, "connected to %s; remote video area %d,%d %dx%d",
              s.remotePeerId(), r.x, r.y, r.width, r.height));
          s.setStatsInterval(java.time.Duration.ofSeconds(1));
        }
      });
    }

    @Override
    public void onFirstRemoteFrame(CallSession s) {
      SwingUtilities.invokeLater(() -> {
        if (s != session) return;
        firstFrameSeen = true;
        say("first remote video frame");
      });
    }

    @Override
    public void onStats(CallSession s, CallStats st) {
      audioPackets = st.audioPacketsReceived();
      String text = StatsText.overlay(s.state().toString(), st, video.remote.fps());
      SwingUtilities.invokeLater(() -> {
        if (s != session) return;
        video.setOverlay(text);
        if (!statsShown) {
          statsShown = true;
          out.println("live stats: " + text.replace('\n', ' ')); // stdout only; the overlay shows it
          out.flush();
        }
      });
    }

    @Override
    public void onEnded(CallSession s, EndReason reason, CallException error) {
      ping.stop();
      ended.countDown();
      SwingUtilities.invokeLater(() -> {
        if (s != session) return;
        String who = s.remotePeerId() == null ? "the other side" : s.remotePeerId();
        String text;
        switch (reason) {
          case REMOTE_HANGUP: text = who + " hung up"; break;
          case HANGUP: text = "you hung up"; break;
          case NO_ANSWER: text = who + " did not answer"; break;
          case DECLINED: text = who + " declined the call"; break;
          case BUSY: text = who + " is busy"; break;
          case REMOTE_GONE: text = who + " went away"; break;
          default: text = "call ended: " + reason + (error != null ? " (" + error.getMessage() + ")" : "");
        }
        say(text);
        video.remote.clear();
        video.setOverlay("");
        video.setMessage(text + " - press Join or Call");
        session = null;
        worker.execute(s::close);
        updateButtons();
      });
    }
  }
}
