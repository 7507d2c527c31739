package dev.simplecall.transport.mqtt;

import dev.simplecall.spi.support.TransportLoop;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;

/**
 * A Paho action callback moved onto the transport's loop and tagged with the connection generation it
 * belongs to, so the transport can ignore the outcome of an abandoned connection.
 */
final class LoopAction implements IMqttActionListener {
  interface OnSuccess { void accept(int gen, IMqttToken token); }

  interface OnFailure { void accept(int gen, Throwable error); }

  private final TransportLoop loop;
  private final int gen;
  private final OnSuccess success;
  private final OnFailure failure;

  LoopAction(TransportLoop loop, int gen, OnSuccess success, OnFailure failure) {
    this.loop = loop;
    this.gen = gen;
    this.success = success;
    this.failure = failure;
  }

  @Override
  public void onSuccess(IMqttToken token) {
    loop.execute(() -> success.accept(gen, token));
  }

  @Override
  public void onFailure(IMqttToken token, Throwable error) {
    loop.execute(() -> failure.accept(gen, error));
  }
}
