package dev.simplecall.samples.cli;

import dev.simplecall.AudioDevice;
import dev.simplecall.AudioDevices;
import dev.simplecall.Cameras;
import dev.simplecall.Screens;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code simplecall devices}: audio devices, one per line, the default marked; then cameras
 * (webrtc-java's V4L2 listing, skipped when there is no /dev/video*) and the X11 screens
 * (java.awt; webrtc-java's screen listing aborts the JVM on X11 in 0.14.0 and is never touched).
 * Without a sound server the video devices are still listed and the exit code says the audio failed.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
    header = "Lists the microphones, speakers, cameras and screens.",
    description = "One device per line: 'microphone' or 'speaker', the system name (what --audio mic:DEVICE and "
        + "--speaker=DEVICE take; the description works too), the description in quotes, and '(default)' on the "
        + "default ones (needs PulseAudio or PipeWire's PulseAudio service, and pactl); then 'camera \"NAME\" "
        + "(DESCRIPTOR)' (what --video camera:DEVICE takes) and 'screen N WxH' (what --video screen:N takes; "
        + "needs DISPLAY).")
public final class DevicesCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    common.apply();
    PrintWriter out = spec.commandLine().getOut();
    String audioError = null;
    try {
      for (AudioDevice d : AudioDevices.list()) out.println(d);
    } catch (IOException e) {
      audioError = e.getMessage();
    }
    for (Cameras.Camera c : Cameras.list()) out.println(c);
    if (Screens.unavailableReason() == null) {
      try {
        for (Screens.Screen s : Screens.list()) out.println(s);
      } catch (IllegalStateException e) {
        spec.commandLine().getErr().println("simplecall devices: " + e.getMessage());
      }
    }
    out.flush();
    if (audioError != null) throw new CliException(ExitCodes.USAGE, audioError);
    return ExitCodes.OK;
  }
}
