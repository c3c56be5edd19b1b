package io.outlooksync.sidecar.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies the emulator never sends (malformed events, odd errors), crafted on a MockWebServer, and what the
 * gateway puts on the wire.
 */
class CraftedRepliesTest {
  private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2027-01-01T00:00:00Z");

  private MockWebServer server;
  private final List<Boolean> tokenCalls = new ArrayList<>();
  private AccessTokenSource tokens;
  private GraphGateway gateway;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    tokens = force -> {
      tokenCalls.add(force);
      return force ? "fresh.token" : "old.token";
    };
    gateway = GraphClients.builder().baseUrl(server.url("/v1.0").toString()).readTimeout(java.time.Duration.ofSeconds(5)).build().gateway("alice", f -> tokens.accessToken(f));
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
  }

  private static String event(String id, String subject, String zone) {
    return "{\"id\":\"" + id + "\",\"type\":\"singleInstance\",\"subject\":\"" + subject + "\","
        + "\"start\":{\"dateTime\":\"2026-12-01T09:00:00.0000000\",\"timeZone\":\"" + zone + "\"},"
        + "\"end\":{\"dateTime\":\"2026-12-01T10:00:00.0000000\",\"timeZone\":\"" + zone + "\"}}";
  }

  @Test
  void aMalformedEventBecomesAnErrorAndTheOthersStillArrive() throws Exception {
    server.enqueue(json(200, "{\"value\":["
        + event("good-1", "Fine", "UTC") + ","
        + event("bad-1", "Secret board meeting", "Mars Standard Time") + ","
        + "{\"id\":\"stub-1\",\"type\":\"occurrence\",\"seriesMasterId\":\"master-1\","
        + "\"start\":{\"dateTime\":\"2026-12-02T09:00:00.0000000\",\"timeZone\":\"UTC\"},"
        + "\"end\":{\"dateTime\":\"2026-12-02T09:30:00.0000000\",\"timeZone\":\"UTC\"}},"
        + "{\"id\":\"bad-2\",\"type\":\"singleInstance\",\"subject\":\"No times\"},"
        + "{\"@odata.type\":\"#microsoft.graph.event\",\"id\":\"gone-1\",\"@removed\":{\"reason\":\"changed\"}},"
        + event("good-2", "Also fine", "W. Europe Standard Time")
        + "],\"@odata.deltaLink\":\"" + server.url("/v1.0/me/calendarView/delta?$deltatoken=abc") + "\"}"));

    DeltaPage page = gateway.firstPage(FROM, TO, 50);

    assertEquals(6, page.items().size());
    assertEquals("Fine", assertInstanceOf(GraphEvent.class, page.items().get(0)).subject());
    GraphEventError bad = assertInstanceOf(GraphEventError.class, page.items().get(1));
    assertEquals("bad-1", bad.id());
    assertTrue(bad.reason().contains("time zone"), bad.reason());
    assertTrue(!bad.reason().contains("Secret"), "reasons never quote content");
    DeltaItem.OccurrenceStub stub = assertInstanceOf(DeltaItem.OccurrenceStub.class, page.items().get(2));
    assertEquals("master-1", stub.seriesMasterId());
    assertEquals(Instant.parse("2026-12-02T09:00:00Z"), stub.start());
    assertEquals("bad-2", assertInstanceOf(GraphEventError.class, page.items().get(3)).id());
    DeltaItem.Removed removed = assertInstanceOf(DeltaItem.Removed.class, page.items().get(4));
    assertEquals("changed", removed.reason());
    GraphEvent berlin = assertInstanceOf(GraphEvent.class, page.items().get(5));
    assertEquals(Instant.parse("2026-12-01T08:00:00Z"), berlin.start(), "a Windows zone name in a reply is read");
    assertTrue(page.last());
    assertTrue(page.deltaLink().contains("deltatoken=abc"));
  }

  /** The SDK cannot parse this page whole; read again event by event, only the odd one is lost (ItemwisePage). */
  @Test
  void anEventOfAnUnexpectedShapeFailsAloneNotTheWholePage() throws Exception {
    String page = "{\"value\":[" + event("good-1", "Fine", "UTC") + ","
        + event("odd-1", "Odd", "UTC").replace("\"type\":\"singleInstance\"", "\"type\":\"singleInstance\",\"isCancelled\":-9223372036854775808")
        + "," + event("good-2", "Also fine", "UTC")
        + "],\"@odata.deltaLink\":\"" + server.url("/v1.0/me/calendarView/delta?$deltatoken=abc") + "\"}";
    server.enqueue(json(200, page));
    server.enqueue(json(200, page));

    DeltaPage read = gateway.firstPage(FROM, TO, 50);

    assertEquals(3, read.items().size(), read.items().toString());
    assertEquals("Fine", assertInstanceOf(GraphEvent.class, read.items().get(0)).subject());
    GraphEventError odd = assertInstanceOf(GraphEventError.class, read.items().get(1));
    assertEquals("odd-1", odd.id());
    assertTrue(!odd.reason().contains("Odd"), "reasons never quote content");
    assertEquals("Also fine", assertInstanceOf(GraphEvent.class, read.items().get(2)).subject());
    assertTrue(read.deltaLink().contains("deltatoken=abc"));
    assertEquals(2, server.getRequestCount(), "the page was asked for a second time, raw");
  }

  @Test
  void firstRequestCarriesWindowExpandAndEveryPreference() throws Exception {
    server.enqueue(json(200, "{\"value\":[],\"@odata.nextLink\":\"" + server.url("/v1.0/me/calendarView/delta?$skiptoken=p2") + "\"}"));
    server.enqueue(json(200, "{\"value\":[],\"@odata.deltaLink\":\"" + server.url("/v1.0/me/calendarView/delta?$deltatoken=d") + "\"}"));
    DeltaPage first = gateway.firstPage(FROM, TO, 25);
    gateway.nextPage(first.nextLink(), 25);

    RecordedRequest r1 = server.takeRequest();
    String url = java.net.URLDecoder.decode(r1.getRequestUrl().toString(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(url.contains("/v1.0/me/calendarView/delta"), url);
    assertTrue(url.contains("startDateTime=2026-11-01T00:00:00Z") && url.contains("endDateTime=2027-01-01T00:00:00Z"), url);
    assertTrue(url.contains("$expand=singleValueExtendedProperties($filter=id eq '" + OdooTag.PROPERTY_ID + "')"), url);
    assertEquals(1, r1.getHeaders().values("Prefer").size(), "one merged Prefer header");
    String prefer = r1.getHeader("Prefer");
    assertTrue(prefer.contains("odata.maxpagesize=25"), prefer);
    assertTrue(prefer.contains("IdType=\"ImmutableId\""), prefer);
    assertTrue(prefer.contains("outlook.timezone=\"UTC\""), prefer);
    assertEquals("Bearer old.token", r1.getHeader("Authorization"));

    RecordedRequest r2 = server.takeRequest();
    assertTrue(r2.getPath().contains("$skiptoken=p2"), r2.getPath());
    assertTrue(r2.getHeader("Prefer").contains("IdType=\"ImmutableId\"") && r2.getHeader("Prefer").contains("odata.maxpagesize=25"));
  }

  @Test
  void anExpiredTokenIsRefreshedOnceThenTheRequestRepeated() throws Exception {
    server.enqueue(json(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Lifetime validation failed, the token is expired.\"}}"));
    server.enqueue(json(200, "{\"value\":[],\"@odata.deltaLink\":\"" + server.url("/v1.0/d") + "\"}"));
    gateway.firstPage(FROM, TO, 10);
    assertEquals(List.of(false, true), tokenCalls);
    assertEquals("Bearer old.token", server.takeRequest().getHeader("Authorization"));
    assertEquals("Bearer fresh.token", server.takeRequest().getHeader("Authorization"));
  }

  @Test
  void aStill401AfterTheRefreshIsAnErrorNotALoop() {
    String expired = "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"expired\"}}";
    server.enqueue(json(401, expired));
    server.enqueue(json(401, expired));
    GraphException e = assertThrows(GraphException.class, () -> gateway.firstPage(FROM, TO, 10));
    assertEquals(401, e.status());
    assertEquals("InvalidAuthenticationToken", e.code());
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void theTokenSourcesOwnExceptionReachesTheCallerUnchanged() {
    IllegalStateException reauth = new IllegalStateException("account 7 must sign in again");
    tokens = force -> {
      throw reauth;
    };
    RuntimeException e = assertThrows(RuntimeException.class, () -> gateway.event("some-id"));
    assertSame(reauth, e);
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void goneSyncStateAndThrottlingAndOutagesAreTyped() {
    server.enqueue(json(410, "{\"error\":{\"code\":\"SyncStateNotFound\",\"message\":\"The sync state generation is not found\"}}"));
    assertThrows(DeltaExpiredException.class, () -> gateway.nextPage(server.url("/v1.0/me/calendarView/delta?$skiptoken=x").toString(), 10));

    // The SDK's RetryHandler waits out a whole-request 429 three times, then we report it.
    for (int i = 0; i < 4; i++) {
      server.enqueue(json(429, "{\"error\":{\"code\":\"ApplicationThrottled\",\"message\":\"over its limit\"}}").setHeader("Retry-After", "0.01"));
    }
    GraphThrottledException throttled = assertThrows(GraphThrottledException.class, () -> gateway.event("x"));
    assertEquals(1 + 4, server.getRequestCount());
    assertEquals(java.time.Duration.ofMillis(10), throttled.retryAfter());
    assertEquals("ApplicationThrottled", throttled.code());

    for (int i = 0; i < 4; i++) {
      server.enqueue(json(503, "{\"error\":{\"code\":\"serviceNotAvailable\",\"message\":\"later\"}}").setHeader("Retry-After", "0.01"));
    }
    GraphUnavailableException down = assertThrows(GraphUnavailableException.class, () -> gateway.event("x"));
    assertEquals(503, down.status());
    assertEquals(1 + 4 + 4, server.getRequestCount());
  }

  @Test
  void anUnreadableEventFetchedAloneIsAnErrorNamingItsId() {
    server.enqueue(json(200, event("odd-1", "x", "Nowhere Standard Time")));
    GraphException e = assertThrows(GraphException.class, () -> gateway.event("odd-1"));
    assertTrue(e.getMessage().contains("odd-1"), e.getMessage());
    assertNull(e.getCause());
  }
}
