package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A generated corpus of hostile join tokens against a server with an auth secret: a valid token for
 * alice in r1 mutated (flipped characters in each part, cut short, parts swapped or repeated, other
 * {@code alg} headers over the real signature, claims of the wrong type or for another peer or room,
 * bytes that are no base64 or no JSON, oversized parts), each sent as a WebSocket {@code join}, as a
 * long-poll join's {@code Authorization: Bearer} and as the bearer of {@code GET /v1/turn-credentials}. Every one must be refused {@code unauthorized} (HTTP
 * 401 for long-poll; a WebSocket join over 64 KiB is {@code too-large} before its token is read), nobody
 * may join, the server must log no error, and the real token must still work
 * afterwards. A mutation that decodes to the very same three parts (base64's unused low bits) is the
 * same token and is not sent. {@code -Dcorpus.cases=N} cases (default 2,000), {@code -Dcorpus.seed=N}.
 */
class TokenCorpusTest {
  private static final String SECRET = "corpus-secret-0123456789";
  private static final long SEED = Long.getLong("corpus.seed", 20261207L);
  private static final int CASES = Integer.getInteger("corpus.cases", 2_000);
  /** The largest envelope the server reads (PROTOCOL.md); a join over it is {@code too-large}. */
  private static final int MAX_ENVELOPE = 65_536;
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();

  private SignalingServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void everyMutatedTokenIsRefusedOverWebSocketAndLongPoll() throws Exception {
    server = SignalingServer.builder().port(0).authSecret(SECRET).rateLimit(1_000_000, 1_000_000)
        .joinTimeout(Duration.ofMinutes(10)).turnSecret("turn-secret").turnUris(List.of("turn:127.0.0.1:3478"))
        .turnRateLimit(1_000_000, 1_000_000).joinRateLimit(1_000_000, 1_000_000).build().start();
    TokenIssuer issuer = new TokenIssuer(SECRET);
    String valid = issuer.issue("alice", "r1", Duration.ofMinutes(10));
    Random random = new Random(SEED);
    ServerErrors errors = ServerErrors.attach();
    int sent = 0;
    int same = 0;
    try (WsTestClient ws = new WsTestClient(TestHttp.CLIENT, server.port())) {
      PollTestClient poll = new PollTestClient(TestHttp.CLIENT, server.port());
      String join = EnvelopeCodec.encode(new Envelope.Join("pj", "r1", "alice", null));
      for (int i = 0; i < CASES; i++) {
        String token = mutate(valid, random, issuer);
        if (sameParts(token, valid)) {
          same++;
          continue;
        }
        sent++;
        String where = "seed " + SEED + " case " + i + ": " + (token.length() > 200 ? token.substring(0, 200) + "..." : token);
        String wsJoin = EnvelopeCodec.encode(new Envelope.Join("t" + i, "r1", "alice", token));
        ws.send(wsJoin);
        if (wsJoin.getBytes(StandardCharsets.UTF_8).length > MAX_ENVELOPE) {
          ws.expectError(ErrorCode.TOO_LARGE); // refused before its token is read
        } else {
          assertEquals("t" + i, ws.expectError(ErrorCode.UNAUTHORIZED).ref(), "accepted over WebSocket, " + where);
        }
        if (token.length() <= 2000 && token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) { // what a header can carry
          PollTestClient.assertError(poll.create(join, token), 401, "unauthorized");
          assertEquals(401, turnCredentials(token), "TURN credentials for a mutated token, " + where);
        }
      }
      assertEquals(0, server.peerCount(), "someone joined");
      assertEquals(List.of(), ws.join("r1", "alice", valid).peers(), "the real token no longer works over WebSocket");
      assertEquals(200, turnCredentials(valid), "the real token gets no TURN credentials");
    }
    assertEquals(List.of(), errors.events(), "errors logged by the server");
    errors.detach();
    System.out.printf("token corpus: seed %d, %d mutated tokens refused over WebSocket, long-poll and /v1/turn-credentials, %d mutations "
        + "decoded to the valid token and were skipped%n", SEED, sent, same);
    assertTrue(sent > CASES * 9 / 10, "the corpus is mostly skipped mutations: " + same + " of " + CASES);
  }

  /** The HTTP status of {@code GET /v1/turn-credentials} with {@code token} as the bearer; a refusal must be the error envelope. */
  private int turnCredentials(String token) throws Exception {
    okhttp3.Request request = new okhttp3.Request.Builder().url("http://127.0.0.1:" + server.port() + "/v1/turn-credentials")
        .header("Authorization", "Bearer " + token).build();
    try (okhttp3.Response r = TestHttp.CLIENT.newCall(request).execute()) {
      String body = r.body().string();
      if (r.code() != 200) {
        Envelope.Error e = (Envelope.Error) EnvelopeCodec.decode(body);
        assertEquals("unauthorized", e.code(), body);
      }
      return r.code();
    }
  }

  /** One hostile variant of {@code valid} (header.payload.signature). */
  static String mutate(String valid, Random r, TokenIssuer issuer) {
    String[] p = valid.split("\\.");
    switch (r.nextInt(12)) {
      case 0: { // a flipped character in one part
        int part = r.nextInt(3);
        char[] c = p[part].toCharArray();
        int at = r.nextInt(c.length);
        c[at] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".charAt(r.nextInt(64));
        p[part] = new String(c);
        return String.join(".", p);
      }
      case 1: // cut short anywhere
        return valid.substring(0, r.nextInt(valid.length()));
      case 2: { // parts swapped, dropped or repeated
        List<String> parts = Arrays.asList(p[r.nextInt(3)], p[r.nextInt(3)], p[r.nextInt(3)]);
        return String.join(".", parts.subList(0, 1 + r.nextInt(3))) + (r.nextBoolean() ? "." + p[2] : "");
      }
      case 3: { // another alg over the real signature
        String[] algs = {"none", "None", "NONE", "HS384", "HS512", "RS256", "ES256", "PS256", "hs256", "", "HS256 "};
        String header = "{\"alg\":\"" + algs[r.nextInt(algs.length)] + "\",\"typ\":\"JWT\"}";
        return b64(header) + "." + p[1] + "." + (r.nextBoolean() ? p[2] : "");
      }
      case 4: { // claims of the wrong type, or for someone else, signed with the wrong secret or not at all
        String[] payloads = {
            "{\"sub\":\"mallory\",\"room\":\"r1\",\"exp\":4102444800}",
            "{\"sub\":\"alice\",\"room\":\"r2\",\"exp\":4102444800}",
            "{\"sub\":[\"alice\"],\"room\":\"r1\",\"exp\":4102444800}",
            "{\"sub\":\"alice\",\"room\":{\"r\":1},\"exp\":4102444800}",
            "{\"sub\":\"alice\",\"room\":\"r1\",\"exp\":\"4102444800\"}",
            "{\"sub\":\"alice\",\"room\":\"r1\",\"exp\":1e400}",
            "{\"sub\":\"alice\",\"room\":\"r1\",\"exp\":1}",
            "{\"sub\":\"alice\",\"room\":\"r1\"}",
            "{\"sub\":\"alice\",\"sub\":\"alice\",\"room\":\"r1\",\"exp\":4102444800}",
            "[]", "null", "{", "\"alice\""};
        return p[0] + "." + b64(payloads[r.nextInt(payloads.length)]) + "." + p[2];
      }
      case 5: // the real payload under another peer's valid signature
        return p[0] + "." + p[1] + "." + issuer.issue("bob", "r1", Duration.ofMinutes(10)).split("\\.")[2];
      case 6: { // not base64, not UTF-8, or control characters
        String[] junk = {"%%%", "a b", "\u0000", "é", "\uD800", "==", "+/", "\n", "\t"};
        int part = r.nextInt(3);
        p[part] = p[part].substring(0, r.nextInt(p[part].length())) + junk[r.nextInt(junk.length)];
        return String.join(".", p);
      }
      case 7: { // a payload that is no UTF-8 JSON
        byte[] b = new byte[1 + r.nextInt(64)];
        r.nextBytes(b);
        return p[0] + "." + ENC.encodeToString(b) + "." + p[2];
      }
      case 8: { // oversized parts
        int n = r.nextBoolean() ? 3_000 : 200_000;
        return p[0] + "." + p[1] + "A".repeat(n) + "." + p[2];
      }
      case 9: // extra parts
        return valid + "." + p[2 - r.nextInt(2)];
      case 10: // a valid token for alice in r1, expired long ago
        return issuer.issue("alice", "r1", java.time.Instant.now().minusSeconds(60 + r.nextInt(100_000)));
      default: { // random printable text with dots
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(300);
        for (int i = 0; i < n; i++) b.append(r.nextInt(8) == 0 ? '.' : (char) (0x21 + r.nextInt(0x5e)));
        return b.toString();
      }
    }
  }

  /** Whether {@code token} has the same three decoded parts as {@code valid} (the same token). */
  static boolean sameParts(String token, String valid) {
    String[] a = token.split("\\.", -1);
    String[] b = valid.split("\\.", -1);
    if (a.length != 3) return false;
    try {
      for (int i = 0; i < 3; i++) if (!Arrays.equals(B64.decode(a[i]), B64.decode(b[i]))) return false;
      return true;
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  private static String b64(String json) {
    return ENC.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
