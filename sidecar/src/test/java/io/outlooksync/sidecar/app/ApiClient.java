package io.outlooksync.sidecar.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The addon's side of the API, for tests: signs like docs/api.md says, with its own HMAC code (not the
 * server's {@code Hmac}), so a mistake in the server's message layout cannot hide behind a shared helper.
 */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();

  final URI base;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  String secret;

  ApiClient(URI base, String secret) {
    this.base = base;
    this.secret = secret;
  }

  /** A reply, with the body parsed as JSON when it is JSON. */
  record Reply(int status, String body, HttpResponse<String> raw) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    String errorCode() throws IOException {
      return json().path("error").path("code").asText();
    }
  }

  Reply get(String pathWithQuery) throws Exception {
    return signed("GET", pathWithQuery, "", now());
  }

  Reply post(String pathWithQuery, String body) throws Exception {
    return signed("POST", pathWithQuery, body, now());
  }

  /** Unix seconds with microseconds, as the addon sends them. */
  static String now() {
    Instant t = Instant.now();
    return t.getEpochSecond() + "." + String.format("%06d", t.getNano() / 1000);
  }

  Reply signed(String method, String pathWithQuery, String body, String timestamp) throws Exception {
    return send(request(method, pathWithQuery, body, timestamp, signature(secret, timestamp, method, pathWithQuery, body)));
  }

  HttpRequest request(String method, String pathWithQuery, String body, String timestamp, String signature) {
    return base(method, pathWithQuery, body)
        .header("X-Outlook-Sync-Timestamp", timestamp)
        .header("X-Outlook-Sync-Signature", signature)
        .build();
  }

  HttpRequest.Builder base(String method, String pathWithQuery, String body) {
    return HttpRequest.newBuilder(base.resolve(pathWithQuery)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
  }

  Reply unsigned(String method, String pathWithQuery, String body) throws Exception {
    return send(base(method, pathWithQuery, body).build());
  }

  Reply send(HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body(), r);
  }

  static String signature(String secret, String timestamp, String method, String pathWithQuery, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "\n" + method + "\n" + pathWithQuery + "\n" + body).getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (byte b : digest) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
