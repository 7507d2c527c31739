/**
 * The simplecall signaling server ({@code dev.simplecall.server}) and its MQTT pieces, the embedded
 * broker and the bridge ({@code dev.simplecall.server.mqtt}). No WebRTC dependency.
 */
module dev.simplecall.server {
  requires transitive dev.simplecall.protocol;
  requires com.auth0.jwt;
  requires com.squareup.moshi;
  requires io.javalin;
  requires io.netty.codec.mqtt; // the embedded broker's packet guard
  requires io.netty.codec;
  requires io.netty.common;
  requires io.netty.transport;
  requires jakarta.servlet;
  requires lettuce.core; // cluster mode: Redis
  requires moquette.broker;
  requires okio;
  requires org.eclipse.jetty.ee10.servlet;
  requires org.eclipse.jetty.ee10.websocket.jetty.server;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.websocket.api;
  requires org.eclipse.paho.client.mqttv3;
  requires org.slf4j;
  // the command line (dev.simplecall.server.cli, not exported): the server jar's main class and
  // `simplecall server`; optional dependencies, which the server jar bundles
  requires static info.picocli;
  requires static ch.qos.logback.classic;

  exports dev.simplecall.server;
  exports dev.simplecall.server.mqtt;
  opens dev.simplecall.server.cli to info.picocli;
}
