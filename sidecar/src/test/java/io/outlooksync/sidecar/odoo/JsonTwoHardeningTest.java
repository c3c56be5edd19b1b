package io.outlooksync.sidecar.odoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JSON-2 gateway against a broken or hostile server: an HTTP server of our own answers each model call with a
 * canned status and body (login is answered as Odoo 19 does). Nothing it sends may crash the gateway or escape
 * as anything but an {@link OdooException}; a bad record is that record's error only.
 */
class JsonTwoHardeningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long LIMIT = 64 * 1024;

  private HttpServer server;
  private volatile int status = 200;
  private volatile String contentType = "application/json; charset=utf-8";
  private volatile String reply;
  private volatile Map<String, String> lastHeaders = Map.of();
  private volatile JsonNode lastBody;
  private volatile String lastPath;
  private OdooGateway gateway;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    server.createContext("/json/2/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (path.equals("/json/2/res.users/context_get")) {
        send(exchange, 200, "application/json", "{\"lang\": \"en_US\", \"tz\": false, \"uid\": 2}");
      } else if (path.equals("/json/2/res.users/search_read") && new String(body, StandardCharsets.UTF_8).contains("\"login\"")) {
        send(exchange, 200, "application/json", "[{\"id\": 2, \"login\": \"sync\"}]");
      } else {
        lastPath = path;
        lastHeaders = Map.of("authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
            "database", String.valueOf(exchange.getRequestHeaders().getFirst("X-Odoo-Database")),
            "type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
        lastBody = JSON.readTree(body);
        send(exchange, status, contentType, reply);
      }
    });
    server.start();
    OdooConfig config = OdooConfig.of("http://127.0.0.1:" + server.getAddress().getPort(), "db", "sync", "the-key");
    gateway = new JsonTwoOdooGateway(config, new JsonTwoChannel(config, LIMIT));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void send(HttpExchange exchange, int code, String type, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** Odoo 19's error body (odoo/http.py serialize_exception). */
  private static String error(String name, String message) throws IOException {
    return JSON.writeValueAsString(Map.of("name", name, "message", message, "arguments", List.of(message), "context", Map.of(),
        "debug", "Traceback (most recent call last):\n  secret internals\n"));
  }

  @Test
  void aCallIsOneJsonObjectWithTheKeyAsBearerAndTheDatabaseInAHeader() {
    reply = "true";
    gateway.writeEvents(Map.of(7L, EventChanges.of().location("Room 1")));
    assertEquals("/json/2/calendar.event/write", lastPath);
    assertEquals("bearer the-key", lastHeaders.get("authorization"));
    assertEquals("db", lastHeaders.get("database"));
    assertTrue(lastHeaders.get("type").startsWith("application/json"), lastHeaders.get("type"));
    assertEquals("[7]", lastBody.get("ids").toString());
    assertEquals("Room 1", lastBody.get("vals").get("location").asText());
    assertTrue(lastBody.get("context").get("outlook_sync_origin").asBoolean());
    assertTrue(lastBody.get("context").get("no_mail_to_attendees").asBoolean());

    reply = "[]";
    gateway.events(List.of(3L));
    assertEquals("/json/2/calendar.event/search_read", lastPath);
    assertFalse(lastBody.has("ids"), "search_read is a model method: no ids");
    assertFalse(lastBody.has("context"), "reads carry no context");
    assertEquals(List.of("domain", "fields", "order"), iterable(lastBody.fieldNames()));
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> out = new java.util.ArrayList<>();
    names.forEachRemaining(out::add);
    return out;
  }

  @Test
  void wrongShapesAreProtocolErrorsNamingTheCall() {
    reply = "\"not a list\"";
    assertEquals("calendar.event.search_read: the reply is a string, not a list",
        assertThrows(OdooProtocolException.class, () -> gateway.events(List.of(11L))).getMessage());
    reply = "[3]";
    assertTrue(assertThrows(OdooProtocolException.class, () -> gateway.attendees(List.of(1L))).getMessage()
        .contains("a record is a integer, not a dict"));
    reply = "[5]";
    assertTrue(assertThrows(OdooProtocolException.class, () -> gateway.createEvents(List.of(draft("a"), draft("b"))))
        .getMessage().startsWith("calendar.event.create: the reply is a list, not 2 ids"));
    reply = "[5, 4294967296]";
    assertTrue(assertThrows(OdooProtocolException.class, () -> gateway.createEvents(List.of(draft("a"), draft("b"))))
        .getMessage().contains("an id is a long"), "an id past int4 is not an Odoo id");
    reply = "null";
    assertThrows(OdooProtocolException.class, () -> gateway.archiveEvents(List.of(4L)));
    reply = "false";
    assertTrue(assertThrows(OdooProtocolException.class, () -> gateway.archiveEvents(List.of(4L))).getMessage()
        .contains("calendar.event.write ids [4]"));
  }

  private static OdooEventDraft draft(String name) {
    return OdooEventDraft.timed(name, Instant.EPOCH, Instant.EPOCH.plusSeconds(60));
  }

  @Test
  void notJsonTooLargeOrTooDeepIsAProtocolError() {
    contentType = "text/html; charset=utf-8";
    reply = "<html><body>Please log in</body></html>";
    assertTrue(assertThrows(OdooProtocolException.class, () -> gateway.events(List.of(1L))).getMessage()
        .contains("the reply is text/html; charset=utf-8, not JSON"));
    contentType = "application/json";
    reply = "[{\"id\": 1, \"name\": ";
    assertTrue(assertThrows(OdooProtocolException.class, () -> gateway.events(List.of(1L))).getMessage()
        .startsWith("calendar.event.search_read ids 1: the reply is not valid JSON"));
    reply = "[" + "\"x\",".repeat((int) LIMIT / 4) + "\"x\"]";
    assertTrue(assertThrows(OdooProtocolException.class, () -> gateway.partners(List.of(1L))).getMessage()
        .contains("over the limit of " + LIMIT));
    reply = "[".repeat(5_000) + "]".repeat(5_000);
    assertInstanceOf(OdooProtocolException.class, assertThrows(OdooException.class, () -> gateway.partners(List.of(1L))));
  }

  @Test
  void aMalformedRecordIsReportedAloneAndTheOthersAreRead() throws IOException {
    Map<String, Object> good = row(21, "2026-01-05 10:00:00");
    Map<String, Object> bad = row(22, 17);
    reply = JSON.writeValueAsString(List.of(good, bad));
    Found<OdooEvent> found = gateway.events(List.of(21L, 22L, 23L));
    assertEquals(List.of(21L), found.items().stream().map(OdooEvent::id).toList());
    assertEquals("calendar.event.search_read record 22: field start is a integer, not a string", found.malformed().get(22L).getMessage());
    assertEquals(Set.of(23L), found.missing());
    OdooEvent event = found.items().get(0);
    assertEquals(Instant.parse("2026-01-05T10:00:00Z"), event.start());
    assertEquals(2L, event.userId());
    assertEquals(List.of(7L, 8L), event.partnerIds());
  }

  /** A calendar.event as Odoo 19 sends it in JSON, with {@code start} as given. */
  private static Map<String, Object> row(int id, Object start) {
    Map<String, Object> values = new java.util.LinkedHashMap<>();
    values.put("id", id);
    values.put("name", "Event");
    values.put("start", start);
    values.put("stop", "2026-01-05 11:00:00");
    for (String empty : List.of("allday", "start_date", "stop_date", "description", "location", "videocall_location",
        "recurrency", "recurrence_id")) {
      values.put(empty, false);
    }
    values.put("privacy", "public");
    values.put("show_as", "busy");
    values.put("user_id", List.of(2, "Sync"));
    values.put("partner_ids", List.of(7, 8));
    values.put("attendee_ids", List.of());
    values.put("alarm_ids", List.of());
    values.put("active", true);
    values.put("write_date", "2026-01-04 09:00:00");
    values.put("create_date", "2026-01-04 09:00:00");
    return values;
  }

  @Test
  void errorRepliesBecomeTypedExceptionsWithoutRecordContentOrTraceback() throws IOException {
    status = 401;
    reply = error("werkzeug.exceptions.Unauthorized", "Invalid apikey");
    OdooAuthException auth = assertThrows(OdooAuthException.class, () -> gateway.events(List.of(1L)));
    assertTrue(auth.getMessage().contains("login sync on database db"), auth.getMessage());
    assertFalse(auth.getMessage().contains("the-key"));

    status = 403;
    reply = error("odoo.exceptions.AccessError", "You are not allowed to modify 'Meeting' (calendar.event) records.\n\nDetails");
    assertEquals("calendar.event.write ids 7,8: You are not allowed to modify 'Meeting' (calendar.event) records.",
        assertThrows(OdooAccessException.class, () -> gateway.archiveEvents(List.of(7L, 8L))).getMessage());

    status = 422;
    reply = error("odoo.exceptions.ValidationError", "The ending date and time cannot be earlier than the starting date and time.\n"
        + "Meeting \u201cSecret board meeting\u201d starts at ...");
    OdooUserError user = assertThrows(OdooUserError.class, () -> gateway.writeEvents(Map.of(9L, EventChanges.of().name("x"))));
    assertFalse(user.getMessage().contains("Secret"), user.getMessage());

    status = 404;
    reply = error("odoo.exceptions.MissingError", "Record does not exist or has been deleted.\n(Record: calendar.event(9,), User: 2)");
    assertInstanceOf(OdooUserError.class, assertThrows(OdooException.class, () -> gateway.archiveEvents(List.of(9L))));

    status = 500;
    reply = error("builtins.ValueError", "Invalid field 'x' on 'calendar.event'");
    OdooException other = assertThrows(OdooException.class, () -> gateway.attendees(List.of(3L)));
    assertEquals(OdooException.class, other.getClass());
    assertEquals("calendar.attendee.search_read ids 3: Odoo error ValueError: Invalid field 'x' on 'calendar.event'", other.getMessage());
    assertFalse(other.getMessage().contains("internals"));

    status = 404;
    contentType = "text/html; charset=utf-8";
    reply = "<!doctype html><title>404 Not Found</title>";
    OdooException notFound = assertThrows(OdooException.class, () -> gateway.events(List.of(1L)));
    assertTrue(notFound.getMessage().contains("JSON-2 needs Odoo 19"), notFound.getMessage());
    assertFalse(notFound.retryable());

    status = 503;
    assertTrue(assertThrows(OdooUnavailableException.class, () -> gateway.events(List.of(1L))).retryable());
  }
}
