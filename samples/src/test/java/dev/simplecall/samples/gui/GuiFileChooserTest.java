package dev.simplecall.samples.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.ChildJvm;
import dev.simplecall.samples.video.Xvfb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video picker's File... entry on a private Xvfb display ({@link FileChooserProbe} in a child
 * JVM answers the modal chooser as a user would): the chooser offers Y4M files; a Y4M file becomes
 * the video source and is listed; a cancel changes nothing; a file that is not Y4M is refused with a
 * message and the picker keeps showing the source in use.
 */
class GuiFileChooserTest {
  @TempDir
  Path tmp;

  @Test
  void fileEntryOpensAChooserOfY4mFilesWhoseAnswerBecomesTheVideoSource() throws Exception {
    Path clip = tmp.resolve("clip.y4m");
    byte[] header = "YUV4MPEG2 W16 H16 F10:1 Ip A1:1 C420jpeg\nFRAME\n".getBytes(StandardCharsets.US_ASCII);
    byte[] clipBytes = new byte[header.length + 16 * 16 * 3 / 2];
    System.arraycopy(header, 0, clipBytes, 0, header.length);
    Files.write(clip, clipBytes);
    Path notes = tmp.resolve("notes.txt");
    Files.writeString(notes, "not a video\n");
    try (Xvfb x = Xvfb.withFramebuffers("800x600x24");
        ChildJvm probe = ChildJvm.startMain("chooser", FileChooserProbe.class.getName(), Map.of("DISPLAY", x.display),
            clip.toString(), notes.toString())) {
      assertEquals(0, probe.awaitExit(120), probe.describe());
      String all = probe.describe();
      System.out.println("[gui-file-chooser] " + String.join("\n  ", probe.stdout()));
      List<String> choosers = probe.stdout().stream().filter(l -> l.startsWith("CHOOSER ")).collect(Collectors.toList());
      assertEquals(3, choosers.size(), all);
      for (String c : choosers) {
        assertTrue(c.contains("title=Video file filter=Y4M video, 4:2:0 (*.y4m) y4m=true mp4=false"), c);
      }
      // while the chooser is open the picker shows the source in use; it opens where the last file was
      assertTrue(choosers.get(0).endsWith("shown=as started (VideoSource[TEST_PATTERN 160x120@10])"), choosers.get(0));
      assertTrue(choosers.get(1).contains("dir=" + tmp + " shown=file clip.y4m"), choosers.get(1));
      assertTrue(probe.stdout().contains("AFTER picked said=video: VideoSource[file " + clip
          + " 16x16@10 looping] (for the next call) shown=file clip.y4m"), all);
      assertTrue(probe.stdout().contains("AFTER cancelled said=null shown=file clip.y4m"), all);
      assertTrue(probe.stdout().contains("AFTER refused said=video file not used: not a Y4M file (no YUV4MPEG2 header): "
          + notes + " shown=file clip.y4m"), all);
      String devices = probe.stdout().stream().filter(l -> l.startsWith("devices: ")).findFirst().orElse("");
      assertTrue(devices.contains("none, file clip.y4m, File"), all);
    }
  }
}
