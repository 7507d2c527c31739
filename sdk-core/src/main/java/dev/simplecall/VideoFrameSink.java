package dev.simplecall;

/**
 * Receives video frames (remote, or the local preview). Called on a native decoder or capture
 * thread: the frame's buffers are valid only during the call unless {@link VideoFrameData#copy()}d;
 * return quickly, never block.
 *
 * <pre>{@code
 * session.addRemoteVideoSink(frame -> panel.show(frame.toBufferedImage()));
 * }</pre>
 */
@FunctionalInterface
public interface VideoFrameSink {
  /**
   * One frame. An exception thrown here is caught and logged; the other sinks still get the frame.
   *
   * @param frame the frame, shared with the other sinks; its planes are valid only until this returns
   */
  void onFrame(VideoFrameData frame);
}
