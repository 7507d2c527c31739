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
  void onFrame(VideoFrameData frame);
}
