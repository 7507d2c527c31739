package dev.simplecall.server;

import dev.simplecall.IceServer;
import java.time.Duration;
import java.util.List;

/** Everything {@link SignalingServer.Builder} collects, validated. */
record ServerSettings(
    String bind,
    int port,
    String authSecret,
    String turnSecret,
    List<String> turnUris,
    Duration turnTtl,
    List<IceServer> iceServers,
    int roomSize,
    int maxRooms,
    int maxPeers,
    double ratePerSecond,
    int rateBurst,
    Duration pingInterval,
    Duration pollSessionTimeout,
    Duration maxPollWait,
    List<String> allowedOrigins) {}
