package io.outlooksync.shell;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sidecar's admin API over HTTP, signed as docs/api.md says (HMAC-SHA256 over timestamp, method, path and
 * body). Every failure becomes a {@link ShellException} whose message an administrator can act on.
 */
public final class AdminClient implements Api {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TIMESTAMP_HEADER = "X-Outlook-Sync-Timestamp";
  static final String SIGNATURE_HEADER = "X-Outlook-Sync-Signature";

  private final URI base;
  private final String secret;
  private final HttpClient http;
  private final Duration timeout;

  /** {@code secret} may be null: then only unsigned calls ({@code /healthz}) work. */
  public AdminClient(URI base, String secret, Duration timeout) {
    this.base = base;
    this.secret = secret;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public URI base() {
    return base;
  }

  /** A signed GET; the parsed body of a 2xx answer. */
  @Override
  public JsonNode get(String path) throws ShellException {
    return check(send("GET", path, "", true, timeout));
  }

  /** A signed POST with a JSON body ("" for none); the parsed body of a 2xx answer. */
  @Override
  public JsonNode post(String path, String body) throws ShellException {
    return check(send("POST", path, body, true, timeout));
  }

  @Override
  public JsonNode post(String path, String body, Duration longer) throws ShellException {
    return check(send("POST", path, body, true, longer));
  }

  /** {@code /healthz}, unsigned; answers 503 with a body when the store is down, so the status is returned too. */
  @Override
  public Answer health() throws ShellException {
    return send("GET", "/healthz", "", false, timeout);
  }

  /** The body of a 2xx answer; otherwise a failure naming the sidecar's error code and request id. */
  static JsonNode check(Answer a) throws ShellException {
    if (a.status() / 100 == 2) {
      return a.json();
    }
    JsonNode error = a.json().path("error");
    String code = error.path("code").asText("");
    String message = error.path("message").asText("HTTP " + a.status());
    String req = error.path("request_id").asText("");
    String where = req.isEmpty() ? "" : "; request id " + req + " in the sidecar's log";
    if (a.status() == 401) {
      throw ShellException.failed(authAdvice(code) + " (" + code + where + ")");
    }
    throw ShellException.failed(message + " (" + (code.isEmpty() ? "HTTP " + a.status() : code) + where + ")");
  }

  private static String authAdvice(String code) {
    switch (code) {
      case "bad_signature":
        return "the sidecar refused the shared secret: it is not the one the sidecar uses"
            + " (check --secret-file or OUTLOOK_SYNC_API_SHARED_SECRET)";
      case "no_shared_secret":
        return "the sidecar has no shared secret yet: set api_shared_secret in its configuration"
            + " or save the addon's settings once";
      case "stale_timestamp":
        return "the sidecar refused the request's timestamp: this machine's clock is more than 300 s off";
      default:
        return "the sidecar refused the request's authentication";
    }
  }

  private Answer send(String method, String path, String body, boolean signed, Duration wait) throws ShellException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(wait)
        .header("Content-Type", "application/json")
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (signed) {
      if (secret == null) {
        throw ShellException.usage("no shared secret: pass --secret-file FILE or set OUTLOOK_SYNC_API_SHARED_SECRET");
      }
      String timestamp = timestamp();
      b.header(TIMESTAMP_HEADER, timestamp).header(SIGNATURE_HEADER, sign(secret, timestamp, method, path, body));
    }
    // Asynchronous so that an interrupt (Ctrl-C in the shell) abandons the call at once.
    CompletableFuture<HttpResponse<String>> call = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> r;
    try {
      r = call.get();
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw ShellException.failed("cancelled");
    } catch (ExecutionException e) {
      throw unreachable(e.getCause(), wait);
    }
    return new Answer(r.statusCode(), parse(r.body()));
  }

  private ShellException unreachable(Throwable cause, Duration wait) {
    String why;
    if (cause instanceof HttpConnectTimeoutException) {
      why = "no answer to the connection within " + timeout.toSeconds() + " s";
    } else if (cause instanceof HttpTimeoutException) {
      why = "no reply within " + wait.toSeconds() + " s";
    } else if (cause instanceof ConnectException) {
      why = "connection refused";
    } else if (cause instanceof IOException) {
      why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    } else {
      why = String.valueOf(cause);
    }
    return ShellException.unreachable("cannot reach the sidecar at " + base + ": " + why
        + " (is it running? start it with `outlook-sync serve`, or pass --sidecar URL)");
  }

  static JsonNode parse(String body) {
    try {
      JsonNode n = body.isEmpty() ? null : JSON.readTree(body);
      return n == null ? JSON.createObjectNode() : n;
    } catch (JacksonException e) {
      return JSON.createObjectNode();
    }
  }

  /** Unix seconds with microseconds: two identical calls within a second must not look like a replay. */
  static String timestamp() {
    Instant t = Instant.now();
    return t.getEpochSecond() + "." + String.format("%06d", t.getNano() / 1000);
  }

  static String sign(String secret, String timestamp, String method, String path, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + "\n" + method + "\n" + path + "\n").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
