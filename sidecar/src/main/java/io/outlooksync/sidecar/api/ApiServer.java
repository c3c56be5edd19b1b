package io.outlooksync.sidecar.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local HTTP API on the JDK's HttpServer: size limit, routing, HMAC authentication, JSON errors, one log
 * line and one metric sample per request. Handlers live in {@link Endpoints} and {@link GraphNotifications}.
 */
public final class ApiServer implements AutoCloseable {
  public static final int MAX_BODY_BYTES = 1 << 20;
  private static final long DRAIN_LIMIT = 16L << 20;
  public static final long TIMESTAMP_WINDOW_SECONDS = 300;
  static final String REQUESTS = "outlook_sync_http_requests_total";

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpServer server;
  private final ExecutorService workers;
  private final Router router;
  private final Setup setup;
  private final Metrics metrics;
  private final Clock clock;
  private final ReplayGuard replays = new ReplayGuard(100_000, TIMESTAMP_WINDOW_SECONDS);
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean stopping;

  private ApiServer(HttpServer server, ExecutorService workers, Router router, Setup setup, Metrics metrics, Clock clock) {
    this.server = server;
    this.workers = workers;
    this.router = router;
    this.setup = setup;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Binds {@code address} (port 0 picks a free one) and starts serving. */
  public static ApiServer start(InetSocketAddress address, Endpoints endpoints) throws IOException {
    HttpServer server = HttpServer.create(address, 64);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor workers = new ThreadPoolExecutor(8, 8, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ApiServer api = new ApiServer(server, workers, endpoints.router(), endpoints.setup(), endpoints.metrics(), endpoints.clock());
    api.metrics.counter(REQUESTS, "HTTP requests served, by route pattern, method and status.");
    server.setExecutor(workers);
    server.createContext("/", api::serve);
    server.start();
    return api;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Stops accepting, lets requests in flight finish for up to {@code deadline}, then stops the workers.
   * Returns how many requests were still running when the deadline passed.
   */
  public int stop(Duration deadline) {
    // The JDK 17 HttpServer.stop(delay) always sleeps the whole delay (fixed in later JDKs), so the wait for
    // requests in flight is ours: new requests get 503 meanwhile, then the listener closes at once.
    stopping = true;
    long until = System.nanoTime() + deadline.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < until) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int unfinished = inFlight.get();
    server.stop(0);
    workers.shutdownNow();
    return unfinished;
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }

  private void serve(HttpExchange ex) throws IOException {
    long started = System.nanoTime();
    String requestId = HexFormat.of().formatHex(randomBytes());
    String method = ex.getRequestMethod();
    URI uri = ex.getRequestURI();
    String route = "unmatched";
    Response response;
    Map<String, String> params = Map.of();
    inFlight.incrementAndGet();
    try {
      if (stopping) {
        throw new ApiException(503, "shutting_down", "the sidecar is shutting down; retry shortly");
      }
      Router.Match match = router.match(method, uri.getPath());
      route = match.route().pattern();
      params = match.params();
      byte[] body = readBody(ex);
      String pathWithQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      boolean bootstrap = authenticate(match.route().auth(), ex, method, pathWithQuery, body);
      Call call = new Call(method, uri.getPath(), query(uri.getRawQuery()), params, body, ex.getRemoteAddress(), requestId,
          bootstrap);
      response = match.route().handler().handle(call);
    } catch (ApiException e) {
      response = Response.error(e, requestId);
    } catch (SQLException e) {
      LOG.atError().setCause(e).addKeyValue("req", requestId).addKeyValue("route", route).log("store failure");
      response = Response.error(new ApiException(503, "store_unavailable",
          "the sidecar's store is unavailable; see the sidecar log for request " + requestId), requestId);
    } catch (Exception e) {
      LOG.atError().setCause(e).addKeyValue("req", requestId).addKeyValue("route", route).log("request failed");
      response = Response.error(new ApiException(500, "internal_error",
          "internal error; see the sidecar log for request " + requestId), requestId);
    }
    try {
      send(ex, response, requestId);
    } finally {
      inFlight.decrementAndGet();
      metrics.increment(REQUESTS, "route", route, "method", method, "status", Integer.toString(response.status()));
      logRequest(method, route, params, response, requestId, (System.nanoTime() - started) / 1_000_000);
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return b;
  }

  private static void logRequest(String method, String route, Map<String, String> params, Response r, String requestId, long ms) {
    boolean quiet = route.equals("/healthz") || route.equals("/metrics") || route.equals(AdminEndpoints.LOG_ROUTE);
    var event = quiet || r.status() < 400 ? (quiet ? LOG.atDebug() : LOG.atInfo()) : LOG.atWarn();
    event = event.addKeyValue("req", requestId).addKeyValue("method", method).addKeyValue("route", route)
        .addKeyValue("status", r.status()).addKeyValue("ms", ms);
    if (params.containsKey("db")) {
      event = event.addKeyValue("db", params.get("db")).addKeyValue("user", params.get("userId"));
    }
    event.log("request");
  }

  private static byte[] readBody(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("Content-Length is not a number");
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      if (declared > DRAIN_LIMIT) {
        throw tooLarge(); // not worth reading: the client may see the connection reset instead of the 413
      }
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        // Read the rest (bounded) so the client, still sending, gets the 413 rather than a connection reset.
        in.transferTo(new BoundedSink(DRAIN_LIMIT));
        throw tooLarge();
      }
      return body;
    }
  }

  /** Discards bytes, failing once more than {@code limit} arrived. */
  private static final class BoundedSink extends OutputStream {
    private long left;

    BoundedSink(long limit) {
      this.left = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      left -= len;
      if (left < 0) {
        throw tooLarge();
      }
    }
  }

  private static ApiException tooLarge() {
    return new ApiException(413, "too_large", "request bodies are limited to " + MAX_BODY_BYTES + " bytes");
  }

  /** Checks the signature; returns true when the call was accepted as the bootstrap. */
  private boolean authenticate(Router.Auth auth, HttpExchange ex, String method, String pathWithQuery, byte[] body) {
    if (auth == Router.Auth.NONE) {
      return false;
    }
    String ts = ex.getRequestHeaders().getFirst(Hmac.TIMESTAMP_HEADER);
    String signature = ex.getRequestHeaders().getFirst(Hmac.SIGNATURE_HEADER);
    if (ts == null || signature == null) {
      throw unauthenticated("unsigned", "missing " + Hmac.TIMESTAMP_HEADER + " or " + Hmac.SIGNATURE_HEADER + " header; see docs/api.md");
    }
    String timestamp = ts.strip();
    if (!timestamp.matches("[0-9]{1,12}(\\.[0-9]{1,9})?")) {
      throw unauthenticated("bad_timestamp", Hmac.TIMESTAMP_HEADER + " must be unix seconds, optionally with a fraction");
    }
    long seconds = Long.parseLong(timestamp.replaceFirst("\\..*", ""));
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - seconds) > TIMESTAMP_WINDOW_SECONDS) {
      throw unauthenticated("stale_timestamp", "the timestamp is " + (seconds - now) + " s off the sidecar's clock; at most "
          + TIMESTAMP_WINDOW_SECONDS + " s is accepted (check both machines' clocks)");
    }
    Optional<String> secret = setup.sharedSecret();
    boolean bootstrap = secret.isEmpty();
    if (bootstrap) {
      secret = Optional.of(bootstrapSecret(auth, ex, body));
    }
    if (!Hmac.verify(secret.get(), timestamp, method, pathWithQuery, body, signature.strip())) {
      throw unauthenticated("bad_signature", "the signature does not match (wrong shared secret, or the body, path or timestamp"
          + " differ from what was signed)");
    }
    if (!replays.firstUse(signature.strip().toLowerCase(java.util.Locale.ROOT), seconds, now)) {
      throw unauthenticated("replayed", "this signature was already used; sign every request afresh (a timestamp"
          + " with microseconds keeps identical requests apart)");
    }
    return bootstrap;
  }

  /** Before any secret exists: only configure, only from loopback, signed with the secret it sets. */
  private static String bootstrapSecret(Router.Auth auth, HttpExchange ex, byte[] body) {
    if (auth != Router.Auth.BOOTSTRAP) {
      throw unauthenticated("no_shared_secret", "no shared secret is configured yet: the addon must call POST /api/configure"
          + " with api_shared_secret first (see docs/api.md, bootstrap)");
    }
    if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
      throw new ApiException(403, "bootstrap_not_loopback", "the first configure call (which sets the shared secret) is"
          + " only accepted from loopback; or set api_shared_secret in the sidecar's configuration");
    }
    JsonNode secret;
    try {
      secret = Json.MAPPER.readTree(body).get("api_shared_secret");
    } catch (IOException | RuntimeException e) {
      secret = null;
    }
    if (secret == null || !secret.isTextual() || secret.asText().isBlank()) {
      throw unauthenticated("no_shared_secret", "no shared secret is configured yet: this configure call must carry"
          + " api_shared_secret and be signed with it");
    }
    return secret.asText();
  }

  private static ApiException unauthenticated(String code, String message) {
    return new ApiException(401, code, message);
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("the query string is not valid URL encoding");
      }
    }
    return out;
  }

  private static void send(HttpExchange ex, Response r, String requestId) throws IOException {
    ex.getResponseHeaders().set("Content-Type", r.contentType() + "; charset=utf-8");
    ex.getResponseHeaders().set("X-Request-Id", requestId);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    try (OutputStream out = ex.getResponseBody()) {
      ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
      if (r.body().length > 0) {
        out.write(r.body());
      }
    } finally {
      ex.close();
    }
  }
}
