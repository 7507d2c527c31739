package dev.simplecall.server;

import dev.simplecall.protocol.IceServerInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/** Everything {@link SignalingServer.Builder} collects, validated. */
record ServerSettings(
    String bind,
    int port,
    String authSecret,
    String turnSecret,
    List<String> turnUris,
    Duration turnTtl,
    List<IceServerInfo> iceServers,
    int roomSize,
    int maxRooms,
    int maxPeers,
    double ratePerSecond,
    int rateBurst,
    Duration pingInterval,
    Duration pollSessionTimeout,
    Duration maxPollWait,
    List<String> allowedOrigins,
    int maxSessionsPerIp,
    int maxRoomsPerIp,
    boolean allowOpenTurn,
    double turnRequestsPerMinute,
    int turnRequestBurst,
    Clock clock,
    LongSupplier nanoTime) {}
