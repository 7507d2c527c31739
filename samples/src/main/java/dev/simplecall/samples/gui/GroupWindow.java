package dev.simplecall.samples.gui;

import dev.simplecall.CallClient;
import dev.simplecall.CallException;
import dev.simplecall.CallState;
import dev.simplecall.EndReason;
import dev.simplecall.Participant;
import dev.simplecall.RoomOptions;
import dev.simplecall.RoomSession;
import dev.simplecall.SessionOptions;
import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.GridLayout;
import java.awt.Rectangle;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.io.PrintWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JToggleButton;
import javax.swing.SwingUtilities;
import javax.swing.Timer;

/**
 * The group-call window ({@code simplecall gui --group}): joins a room as a {@link RoomSession} member
 * and shows a grid with this app's preview and one tile per other member, named, with its connection
 * state, the active speaker framed in green. Mute, camera and leave buttons; a status line. Swing runs
 * on the EDT; SDK callbacks hop to it.
 */
public final class GroupWindow {
  private final CallClient client;
  private final PrintWriter out;
  private final JFrame frame = new JFrame();
  private final JPanel grid = new JPanel();
  private final JLabel status = new JLabel(" ");
  private final JToggleButton mute = new JToggleButton("Mute");
  private final JToggleButton camera = new JToggleButton("Camera off");
  private final JButton leave = new JButton("Leave");
  private final Tile self;
  private final Map<String, Tile> tiles = new LinkedHashMap<>(); // EDT
  private final CountDownLatch closed = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private final SessionOptions options;
  private RoomSession room; // EDT
  private final Timer speakerTimer;
  /** Members that acknowledged our hello (any thread). */
  private final java.util.Set<String> acked = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public GroupWindow(CallClient client, URI signaling, String roomName, String peerId, String token, PrintWriter out) {
    this.client = client;
    this.out = out;
    this.options = SessionOptions.builder().signaling(signaling).room(roomName).peerId(peerId).token(token)
        .media(client.media()).build();
    this.self = new Tile(peerId + " (you)");
    build();
    speakerTimer = new Timer(500, e -> showSpeaker());
  }

  private void build() {
    frame.setTitle("simplecall - " + options.peerId() + " in " + options.room());
    frame.setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
    JPanel bar = new JPanel(new FlowLayout(FlowLayout.LEFT, 6, 4));
    bar.add(new JLabel("Room " + options.room() + " as " + options.peerId()));
    bar.add(mute);
    bar.add(camera);
    bar.add(leave);
    status.setBorder(BorderFactory.createEmptyBorder(4, 8, 4, 8));
    grid.setBackground(java.awt.Color.DARK_GRAY);
    frame.getContentPane().add(bar, BorderLayout.NORTH);
    frame.getContentPane().add(grid, BorderLayout.CENTER);
    frame.getContentPane().add(status, BorderLayout.SOUTH);
    mute.addActionListener(e -> {
      if (room != null) room.setAudioMuted(mute.isSelected());
      say(mute.isSelected() ? "microphone muted" : "microphone on");
    });
    camera.addActionListener(e -> {
      if (room != null) room.setVideoEnabled(!camera.isSelected());
      say(camera.isSelected() ? "camera off" : "camera on");
    });
    leave.addActionListener(e -> frame.dispose());
    frame.addWindowListener(new WindowAdapter() {
      @Override
      public void windowClosed(WindowEvent e) {
        speakerTimer.stop();
        RoomSession r = room;
        room = null;
        Thread t = new Thread(() -> {
          if (r != null) {
            r.leave();
            try {
              ended.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
            }
          }
          closed.countDown();
        }, "simplecall-gui-leave");
        t.setDaemon(true);
        t.start();
      }
    });
    layoutTiles();
    frame.setSize(980, 640);
  }

  /** Shows the window at {@code x,y} (null: centred) and joins the room. */
  public void show(Integer x, Integer y) {
    SwingUtilities.invokeLater(() -> {
      if (x != null && y != null) frame.setLocation(x, y);
      else frame.setLocationRelativeTo(null);
      frame.setVisible(true);
      room = client.joinRoom(RoomOptions.builder().session(options).build(), new Events());
      room.addLocalVideoSink(self.video);
      speakerTimer.start();
      say("joining room " + options.room());
    });
  }

  /** Closes the window as if the user did (any thread). */
  public void close() {
    SwingUtilities.invokeLater(frame::dispose);
  }

  /** Blocks until the window is closed and the room left, at most {@code timeout} (null: no limit). */
  public boolean awaitClosed(java.time.Duration timeout) throws InterruptedException {
    if (timeout == null) {
      closed.await();
      return true;
    }
    return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void layoutTiles() {
    grid.removeAll();
    int n = tiles.size() + 1;
    int cols = (int) Math.ceil(Math.sqrt(n));
    int rows = (int) Math.ceil(n / (double) cols);
    grid.setLayout(new GridLayout(rows, cols, 6, 6));
    grid.add(self);
    for (Tile t : tiles.values()) grid.add(t);
    grid.revalidate();
    grid.repaint();
    SwingUtilities.invokeLater(() -> {
      if (!grid.isShowing()) return;
      java.awt.Point p = grid.getLocationOnScreen();
      Rectangle r = new Rectangle(p.x, p.y, grid.getWidth(), grid.getHeight());
      say("grid of " + n + " tiles at " + r.x + "," + r.y + " " + r.width + "x" + r.height);
    });
  }

  /** Every 500 ms: the active speaker's frame, and a hello to members that have not acknowledged one. */
  private void showSpeaker() {
    RoomSession r = room;
    if (r == null) return;
    for (Participant p : r.participants()) if (!acked.contains(p.peerId())) p.send("hello");
    Participant speaker = r.activeSpeaker();
    for (Map.Entry<String, Tile> e : tiles.entrySet()) {
      boolean on = speaker != null && speaker.peerId().equals(e.getKey());
      Tile t = e.getValue();
      if (on && !t.speaking()) say("speaking: " + e.getKey());
      t.setSpeaking(on);
    }
  }

  private void say(String text) {
    status.setText(text);
    out.println(text);
    out.flush();
  }

  private void addTile(Participant p) {
    if (tiles.containsKey(p.peerId())) return;
    Tile t = new Tile(p.peerId());
    t.setState(p.state().name().toLowerCase(Locale.ROOT));
    tiles.put(p.peerId(), t);
    p.addVideoSink(t.video);
    layoutTiles();
  }

  /** SDK callbacks: hop to the EDT. */
  private final class Events extends RoomSession.Listener {
    @Override
    public void onJoined(RoomSession r, List<Participant> participants) {
      SwingUtilities.invokeLater(() -> {
        say("in room " + options.room() + " with " + participants.size() + " other member(s)");
        for (Participant p : participants) addTile(p);
      });
    }

    @Override
    public void onParticipantJoined(RoomSession r, Participant p) {
      SwingUtilities.invokeLater(() -> {
        say(p.peerId() + " joined");
        addTile(p);
      });
    }

    @Override
    public void onParticipantLeft(RoomSession r, Participant p) {
      SwingUtilities.invokeLater(() -> {
        say(p.peerId() + " left");
        if (tiles.remove(p.peerId()) != null) layoutTiles();
      });
    }

    @Override
    public void onParticipantStateChanged(RoomSession r, Participant p, CallState state) {
      SwingUtilities.invokeLater(() -> {
        Tile t = tiles.get(p.peerId());
        if (t != null) t.setState(state.name().toLowerCase(Locale.ROOT));
      });
    }

    /**
     * "hello" is answered with "ack", and each member is sent hellos until it acknowledges one: how
     * {@code simplecall peer --group} members check that data flows both ways.
     */
    @Override
    public void onMessage(RoomSession r, Participant from, String text) {
      if ("hello".equals(text)) from.send("ack");
      else if ("ack".equals(text)) acked.add(from.peerId());
      else SwingUtilities.invokeLater(() -> say(from.peerId() + ": " + text));
    }

    @Override
    public void onFirstRemoteFrame(RoomSession r, Participant p) {
      SwingUtilities.invokeLater(() -> say("first video frame from " + p.peerId()));
    }

    @Override
    public void onVideoLimitsChanged(RoomSession r, RoomSession.VideoLimits limits) {
      SwingUtilities.invokeLater(() -> say(limits.equals(RoomSession.VideoLimits.NONE) ? "sending full-resolution video"
          : String.format(Locale.ROOT, "sending video at 1/%.0f resolution, at most %d kbit/s per member",
              limits.scaleDownBy(), limits.maxBitrate() / 1000)));
    }

    @Override
    public void onEnded(RoomSession r, EndReason reason, CallException error) {
      SwingUtilities.invokeLater(() -> say("left the room (" + reason + (error != null ? ": " + error.getMessage() : "") + ")"));
      ended.countDown();
    }
  }
}
