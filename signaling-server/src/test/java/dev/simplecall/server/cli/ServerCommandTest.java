package dev.simplecall.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simplecall.server.SignalingServer;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The server command's options, from flags, the environment and a config file, and what they set up. */
@Tag("fast")
class ServerCommandTest {
  @Test
  void allowedOriginsComeFromFlagsEnvironmentAndFile() {
    ServerCommand flags = new ServerCommand();
    CommandLine cl = new CommandLine(flags);
    cl.setDefaultValueProvider(new ConfigDefaults(Map.of(), new Properties()));
    cl.parseArgs("--allowed-origin", "https://a.example", "--allowed-origin", "https://b.example:8443");
    assertEquals(List.of("https://a.example", "https://b.example:8443"), flags.allowedOrigins);

    ServerCommand env = new ServerCommand();
    cl = new CommandLine(env);
    cl.setDefaultValueProvider(new ConfigDefaults(Map.of("SIMPLECALL_ALLOWED_ORIGIN", "https://a.example https://b.example"), new Properties()));
    cl.parseArgs();
    assertEquals(List.of("https://a.example", "https://b.example"), env.allowedOrigins);

    Properties file = new Properties();
    file.setProperty("server.allowed-origin", "https://file.example");
    ServerCommand fromFile = new ServerCommand();
    cl = new CommandLine(fromFile);
    cl.setDefaultValueProvider(new ConfigDefaults(Map.of(), file));
    cl.parseArgs();
    assertEquals(List.of("https://file.example"), fromFile.allowedOrigins);
  }

  @Test
  void theServerLetsPagesFromAnAllowedOriginIn() throws Exception {
    try (SignalingServer server = ServerSetup.startServer("127.0.0.1", 0,
        b -> b.allowedOrigins(List.of("https://app.example.com")))) {
      OkHttpClient http = new OkHttpClient();
      String health = "http://127.0.0.1:" + server.port() + "/v1/turn-credentials";
      for (String origin : new String[] {"https://app.example.com", "http://evil.example"}) {
        try (Response response = http.newCall(new Request.Builder().url(health).header("Origin", origin).build()).execute()) {
          assertEquals(origin.contains("evil") ? 403 : 200, response.code(), origin);
        }
      }
    }
  }

  @Test
  void theServerJarsCommandReadsTheKeysOfSimplecallServer() {
    ServerCommand command = new ServerCommand();
    CommandLine cl = new CommandLine(command);
    cl.setCommandName(ServerMain.NAME);
    Properties file = new Properties();
    file.setProperty("server.port", "9000");
    cl.setDefaultValueProvider(new ConfigDefaults(Map.of("SIMPLECALL_SERVER_MAX_ROOMS_PER_IP", "7"), file));
    cl.parseArgs();

    assertEquals(9000, command.port);
    assertEquals(7, command.maxRoomsPerIp);
  }
}
