package dev.simplecall.samples.gui;

import dev.simplecall.AudioDevice;
import dev.simplecall.AudioDevices;
import dev.simplecall.AudioSource;
import dev.simplecall.CallSession;
import dev.simplecall.Cameras;
import dev.simplecall.MediaOptions;
import dev.simplecall.Screens;
import dev.simplecall.Speaker;
import dev.simplecall.VideoSource;
import java.awt.FlowLayout;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import javax.swing.JComboBox;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.SwingUtilities;
import javax.swing.Timer;

/**
 * The window's device row: pickers for the video source (the window's own, test pattern, each screen,
 * each camera, none, the video files picked so far, "File..." to pick one), the microphone (each
 * PulseAudio source, a tone, none) and the speaker (each PulseAudio sink, off), and a microphone level
 * meter. Lists are read once, when the window is built; devices the system does not have are simply
 * not offered, and {@link #describe()} says why. A pick during a call switches that device in the
 * call; the meter polls the call's microphone level. Touched only on the EDT.
 */
final class DevicePanel extends JPanel {
  /** What the panel needs from the window. */
  interface Call {
    /** The call under way, or {@code null}. */
    CallSession active();

    /** Runs an SDK call off the EDT. */
    void run(Runnable sdkCall);

    /** Shows and prints one line of progress. */
    void say(String text);
  }

  /** One entry of a picker: what it shows and what it selects. */
  record Choice<T>(String label, T value) {
    @Override
    public String toString() {
      return label;
    }
  }

  /** The video picker's last entry: opens a file chooser, and is never left selected. */
  static final Choice<VideoSource> PICK_FILE = new Choice<>("File\u2026", null);

  final JComboBox<Choice<VideoSource>> video = new JComboBox<>();
  final JComboBox<Choice<AudioSource>> microphone = new JComboBox<>();
  final JComboBox<Choice<Speaker>> speaker = new JComboBox<>();
  final JProgressBar level = new JProgressBar(0, 100);
  private final List<String> notes = new ArrayList<>();
  private final Call call;
  /** Polls the microphone level for the meter while a call is under way. */
  private final Timer meter = new Timer(250, e -> pollLevel());
  private boolean levelSaid;
  /** The video entry in use: shown again when a file pick is cancelled or refused. */
  private Choice<VideoSource> videoInUse;
  /** True while the panel itself changes the video selection, which then switches nothing. */
  private boolean restoring;
  /** Where the file chooser opens: the directory of the last file picked (null: the home directory). */
  private File chooserDir;

  DevicePanel(MediaOptions defaults, Call call) {
    super(new FlowLayout(FlowLayout.LEFT, 6, 4));
    fillVideo(defaults.video());
    fillAudio(defaults.audio(), defaults.speaker());
    level.setStringPainted(false);
    level.setToolTipText("microphone level");
    level.setPreferredSize(new java.awt.Dimension(80, 12));
    add(new JLabel("Video")); add(video);
    add(new JLabel("Mic")); add(microphone); add(level);
    add(new JLabel("Speaker")); add(speaker);
    this.call = call;
    videoInUse = video.getItemAt(0);
    video.addActionListener(e -> videoPicked());
    onPick(microphone, this::switchMicrophone);
    onPick(speaker, this::switchSpeaker);
    meter.start();
  }

  /** A new call: the first level above 1 % is said again. */
  void newCall() {
    levelSaid = false;
  }

  /** The window closed. */
  void stop() {
    meter.stop();
  }

  private void videoPicked() {
    if (restoring) return;
    @SuppressWarnings("unchecked")
    Choice<VideoSource> c = (Choice<VideoSource>) video.getSelectedItem();
    if (c == null) return;
    if (c.equals(PICK_FILE)) {
      show(videoInUse); // while the chooser is open, and after a cancel
      SwingUtilities.invokeLater(this::chooseVideoFile); // once the list's popup has closed
      return;
    }
    videoInUse = c;
    switchVideo(c.value());
  }

  /** The File... entry: a modal chooser of the video files the SDK reads. */
  private void chooseVideoFile() {
    JFileChooser chooser = new JFileChooser(chooserDir);
    chooser.setDialogTitle("Video file");
    chooser.setFileFilter(VideoFiles.FILTER);
    if (chooser.showOpenDialog(SwingUtilities.getWindowAncestor(this)) != JFileChooser.APPROVE_OPTION) return;
    chooserDir = chooser.getCurrentDirectory();
    useVideoFile(chooser.getSelectedFile().toPath());
  }

  /**
   * Makes {@code file} the video source, as the File... entry does with the chooser's answer: the file
   * is listed (once per path) and selected, so a call under way swaps to it in place and a later call
   * starts with it. A file the SDK cannot read is refused with a message; the source in use stays.
   */
  void useVideoFile(Path file) {
    VideoSource v;
    try {
      v = VideoFiles.open(file);
    } catch (IllegalArgumentException e) { // InvalidPathException too
      call.say("video file not used: " + e.getMessage());
      return;
    }
    Choice<VideoSource> entry = null;
    for (int i = 0; i < video.getItemCount() && entry == null; i++) {
      VideoSource listed = video.getItemAt(i).value();
      boolean same = listed != null && listed.kind() == VideoSource.Kind.FILE
          && listed.file().toAbsolutePath().normalize().equals(v.file());
      if (same) entry = video.getItemAt(i);
    }
    if (entry == null) {
      entry = new Choice<>("file " + v.file().getFileName(), v);
      video.insertItemAt(entry, video.getItemCount() - 1); // before File...
    }
    video.setSelectedItem(entry); // as a click on it: switches
  }

  /** Selects {@code c} without switching anything. */
  private void show(Choice<VideoSource> c) {
    restoring = true;
    try {
      video.setSelectedItem(c);
    } finally {
      restoring = false;
    }
  }

  /**
   * Selects the entry labelled {@code label} in the {@code video}, {@code mic} or {@code speaker}
   * picker, as a click on it does; false when that picker has no such entry.
   */
  boolean pick(String picker, String label) {
    JComboBox<? extends Choice<?>> box;
    switch (picker) {
      case "video": box = video; break;
      case "mic": box = microphone; break;
      case "speaker": box = speaker; break;
      default: return false;
    }
    for (int i = 0; i < box.getItemCount(); i++) {
      if (box.getItemAt(i).label().equals(label)) {
        box.setSelectedIndex(i);
        return true;
      }
    }
    return false;
  }

  private void switchVideo(VideoSource v) {
    CallSession s = call.active();
    if (s != null) call.run(() -> {
      if (v.kind() == VideoSource.Kind.NONE) s.removeVideo();
      else s.addVideo(v);
    });
    call.say("video: " + v + (s == null ? " (for the next call)" : ""));
  }

  private void switchMicrophone(AudioSource a) {
    CallSession s = call.active();
    if (s == null || a.kind() != AudioSource.Kind.MICROPHONE) {
      call.say("microphone: " + a + (s == null ? " (for the next call)" : " (takes effect on the next call)"));
      return;
    }
    s.setMicrophone(a.device()).whenComplete((v, err) -> SwingUtilities.invokeLater(() ->
        call.say(err == null ? "microphone: " + a.device() : "microphone not switched: " + rootMessage(err))));
  }

  private void switchSpeaker(Speaker spk) {
    CallSession s = call.active();
    if (s == null) {
      call.say("speaker: " + spk + " (for the next call)");
      return;
    }
    s.setSpeaker(spk).whenComplete((v, err) -> SwingUtilities.invokeLater(() ->
        call.say(err == null ? "speaker: " + spk : "speaker not switched: " + rootMessage(err))));
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return c.getMessage() != null ? c.getMessage() : c.toString();
  }

  private void pollLevel() {
    CallSession s = call.active();
    if (s == null) {
      showLevel(-1);
      return;
    }
    s.microphoneLevel().whenComplete((level, err) -> SwingUtilities.invokeLater(() -> {
      if (s != call.active()) return;
      double l = err == null ? level : -1;
      showLevel(l);
      if (l > 0.01 && !levelSaid) {
        levelSaid = true;
        call.say(String.format(Locale.ROOT, "microphone level %.0f %%", l * 100));
      }
    }));
  }

  private void fillVideo(VideoSource own) {
    video.addItem(new Choice<>("as started (" + own + ")", own));
    video.addItem(new Choice<>("test pattern", VideoSource.testPattern(640, 480, 30)));
    String noDisplay = Screens.unavailableReason();
    if (noDisplay == null) {
      for (Screens.Screen s : Screens.list()) video.addItem(new Choice<>(s.toString(), VideoSource.screen(s.index(), 15)));
    } else {
      notes.add("no screens (" + noDisplay + ")");
    }
    List<Cameras.Camera> cameras = Cameras.list();
    for (Cameras.Camera c : cameras) video.addItem(new Choice<>("camera " + c.name(), VideoSource.camera(c.name(), 640, 480, 30)));
    if (cameras.isEmpty()) notes.add("no cameras");
    video.addItem(new Choice<>("none", VideoSource.none()));
    video.addItem(PICK_FILE);
  }

  private void fillAudio(AudioSource own, Speaker ownSpeaker) {
    List<AudioDevice> devices = List.of();
    String noSound = AudioDevices.unavailableReason();
    if (noSound == null) {
      try {
        devices = AudioDevices.list();
      } catch (IOException e) {
        noSound = e.getMessage();
      }
    }
    if (noSound != null) notes.add("no microphones or speakers (" + noSound + ")");
    microphone.addItem(new Choice<>("as started (" + own + ")", own));
    speaker.addItem(new Choice<>("off", Speaker.none()));
    for (AudioDevice d : devices) {
      String label = d.description() + (d.isDefault() ? " (default)" : "");
      if (d.type() == AudioDevice.Type.CAPTURE) microphone.addItem(new Choice<>(label, AudioSource.microphone(d.name())));
      else speaker.addItem(new Choice<>(label, Speaker.device(d.name())));
    }
    microphone.addItem(new Choice<>("tone 440 Hz", AudioSource.tone(440)));
    microphone.addItem(new Choice<>("none", AudioSource.none()));
    if (ownSpeaker.plays()) select(speaker, ownSpeaker);
  }

  private static <T> void select(JComboBox<Choice<T>> box, T value) {
    for (int i = 0; i < box.getItemCount(); i++) {
      if (Objects.equals(box.getItemAt(i).value(), value)) {
        box.setSelectedIndex(i);
        return;
      }
    }
    box.insertItemAt(new Choice<>(String.valueOf(value), value), 1);
    box.setSelectedIndex(1);
  }

  /** The media a new call starts with. */
  MediaOptions media() {
    return MediaOptions.builder().video(selected(video)).audio(selected(microphone)).speaker(selected(speaker)).build();
  }

  /** Calls {@code action} with the new choice when the user picks another one. */
  private <T> void onPick(JComboBox<Choice<T>> box, Consumer<T> action) {
    box.addActionListener(e -> action.accept(selected(box)));
  }

  static <T> T selected(JComboBox<Choice<T>> box) {
    @SuppressWarnings("unchecked")
    Choice<T> c = (Choice<T>) box.getSelectedItem();
    return c == null ? null : c.value();
  }

  /** One line for stdout: what each picker offers and what the system lacks. */
  String describe() {
    return "devices: video " + labels(video) + "; microphones " + labels(microphone) + "; speakers " + labels(speaker)
        + (notes.isEmpty() ? "" : "; " + String.join(", ", notes));
  }

  private static String labels(JComboBox<?> box) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < box.getItemCount(); i++) out.add(String.valueOf(box.getItemAt(i)));
    return out.toString();
  }

  /** Shows a level 0..1 ({@code < 0}: no level, the meter is cleared). */
  private void showLevel(double value) {
    level.setValue(value < 0 ? 0 : (int) Math.round(Math.min(1, value) * 100));
  }
}
