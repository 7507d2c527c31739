package dev.simplecall.samples.cli;

import dev.simplecall.AudioDevice;
import dev.simplecall.AudioDevices;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code simplecall devices}: audio devices, one per line, the default marked. Video devices are not
 * listed: webrtc-java 0.14.0's camera listing finds none here (no /dev/video*), and its screen
 * listing aborts the JVM on X11 (WEBRTC-JAVA-NOTES), so neither is touched.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
    header = "Lists the microphones and speakers of the sound server.",
    description = "One device per line: 'microphone' or 'speaker', the system name (what --audio mic:DEVICE and "
        + "--speaker=DEVICE take; the description works too), the description in quotes, and '(default)' on the "
        + "default ones. Needs PulseAudio or PipeWire's PulseAudio service, and pactl.")
public final class DevicesCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    common.apply();
    PrintWriter out = spec.commandLine().getOut();
    try {
      for (AudioDevice d : AudioDevices.list()) out.println(d);
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    out.flush();
    return ExitCodes.OK;
  }
}
