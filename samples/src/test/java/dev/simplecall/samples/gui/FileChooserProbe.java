package dev.simplecall.samples.gui;

import dev.simplecall.AudioSource;
import dev.simplecall.CallSession;
import dev.simplecall.MediaOptions;
import dev.simplecall.VideoSource;
import java.awt.Component;
import java.awt.Container;
import java.awt.Window;
import java.io.File;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;

/**
 * Run in a child JVM on an Xvfb display: the window's device row in a frame, its video picker's
 * File... entry picked three times, the modal chooser answered each time as a user would (a Y4M
 * file, cancel, a file that is not Y4M). Prints what the chooser offered and, after each answer,
 * what the panel said and which entry the picker shows, for {@link GuiFileChooserTest}:
 * {@code CHOOSER title=T filter=F y4m=B mp4=B dir=D shown=LABEL}, {@code AFTER step said=S shown=LABEL},
 * {@code DEVICES line}. Args: the Y4M file, the other file.
 */
public final class FileChooserProbe {
  private FileChooserProbe() {}

  public static void main(String[] args) throws Exception {
    File good = new File(args[0]);
    File bad = new File(args[1]);
    BlockingQueue<String> said = new LinkedBlockingQueue<>();
    AtomicReference<DevicePanel> panel = new AtomicReference<>();
    SwingUtilities.invokeAndWait(() -> {
      MediaOptions media = MediaOptions.builder().video(VideoSource.testPattern(160, 120, 10)).audio(AudioSource.tone(440))
          .build();
      DevicePanel p = new DevicePanel(media, new DevicePanel.Call() {
        @Override
        public CallSession active() {
          return null;
        }

        @Override
        public void run(Runnable sdkCall) {
          sdkCall.run();
        }

        @Override
        public void say(String text) {
          said.add(text);
        }
      });
      panel.set(p);
      JFrame frame = new JFrame("probe");
      frame.add(p);
      frame.pack();
      frame.setVisible(true);
    });
    DevicePanel p = panel.get();
    answer(p, said, "picked", chooser -> {
      chooser.setSelectedFile(good);
      chooser.approveSelection();
    });
    answer(p, said, "cancelled", JFileChooser::cancelSelection);
    answer(p, said, "refused", chooser -> {
      chooser.setSelectedFile(bad);
      chooser.approveSelection();
    });
    SwingUtilities.invokeAndWait(() -> System.out.println(p.describe()));
    System.out.println("DONE");
    System.out.flush();
    System.exit(0);
  }

  /** Picks File..., waits for the chooser, prints it, answers it, prints what followed. */
  private static void answer(DevicePanel p, BlockingQueue<String> said, String step,
      java.util.function.Consumer<JFileChooser> answer) throws Exception {
    SwingUtilities.invokeLater(() -> p.video.setSelectedItem(DevicePanel.PICK_FILE));
    JFileChooser chooser = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (chooser == null) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("no file chooser opened in 20 s");
      Thread.sleep(100); // polling for the dialog to show
      AtomicReference<JFileChooser> found = new AtomicReference<>();
      SwingUtilities.invokeAndWait(() -> {
        for (Window w : Window.getWindows()) {
          if (w.isShowing() && find(w) != null) found.set(find(w));
        }
      });
      chooser = found.get();
    }
    JFileChooser c = chooser;
    SwingUtilities.invokeAndWait(() -> {
      System.out.println("CHOOSER title=" + c.getDialogTitle() + " filter=" + c.getFileFilter().getDescription()
          + " y4m=" + c.getFileFilter().accept(new File("clip.y4m")) + " mp4=" + c.getFileFilter().accept(new File("clip.mp4"))
          + " dir=" + c.getCurrentDirectory() + " shown=" + p.video.getSelectedItem());
      answer.accept(c);
    });
    // the answer takes effect on the EDT once the dialog has closed; a cancel says nothing
    String text = said.poll(step.equals("cancelled") ? 3 : 20, TimeUnit.SECONDS);
    SwingUtilities.invokeAndWait(() -> System.out.println("AFTER " + step + " said=" + text + " shown="
        + p.video.getSelectedItem()));
  }

  private static JFileChooser find(Component c) {
    if (c instanceof JFileChooser) return (JFileChooser) c;
    if (c instanceof Container) {
      for (Component child : ((Container) c).getComponents()) {
        JFileChooser f = find(child);
        if (f != null) return f;
      }
    }
    return null;
  }
}
