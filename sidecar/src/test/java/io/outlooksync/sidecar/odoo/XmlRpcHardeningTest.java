package io.outlooksync.sidecar.odoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway against a hostile or broken server: an HTTP server of our own answers each call with a canned
 * body. Nothing it sends may resolve an entity, fetch a DTD, deserialize an object, or escape as anything but
 * an {@link OdooException}.
 */
class XmlRpcHardeningTest {
  private HttpServer server;
  private final AtomicInteger dtdFetches = new AtomicInteger();
  private volatile int status = 200;
  private volatile String contentType = "text/xml";
  private volatile String reply;
  private OdooGateway gateway;

  /** A gadget: if a reply could make the client deserialize it, this flag would flip. */
  static final class Canary implements Serializable {
    static volatile boolean woke;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      woke = true;
    }
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    server.createContext("/evil.dtd", exchange -> {
      dtdFetches.incrementAndGet();
      send(exchange, 200, "application/xml-dtd", "<!ENTITY leak \"leaked\">");
    });
    server.createContext("/xmlrpc/2/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (body.contains("<methodName>authenticate</methodName>")) {
        send(exchange, 200, "text/xml", response("<int>2</int>"));
      } else {
        send(exchange, status, contentType, reply);
      }
    });
    server.start();
    gateway = new XmlRpcOdooGateway(OdooConfig.of("http://127.0.0.1:" + server.getAddress().getPort(), "db", "sync", "key"));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void send(com.sun.net.httpserver.HttpExchange exchange, int code, String type, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  static String response(String value) {
    return "<?xml version=\"1.0\"?><methodResponse><params><param><value>" + value + "</value></param></params></methodResponse>";
  }

  private static String fault(int code, String text, String extraMember) {
    return "<?xml version=\"1.0\"?><methodResponse><fault><value><struct>"
        + "<member><name>faultCode</name><value><int>" + code + "</int></value></member>"
        + "<member><name>faultString</name><value><string>" + text + "</string></value></member>"
        + extraMember + "</struct></value></fault></methodResponse>";
  }

  private String dtdUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/evil.dtd";
  }

  @Test
  void aDoctypeIsRefusedAndNothingIsFetched() {
    reply = "<?xml version=\"1.0\"?><!DOCTYPE methodResponse SYSTEM \"" + dtdUrl() + "\">"
        + "<methodResponse><params><param><value><string>&leak;</string></value></param></params></methodResponse>";
    OdooProtocolException external = assertThrows(OdooProtocolException.class, gateway::version);
    assertTrue(external.getMessage().contains("DOCTYPE is disallowed"), external.getMessage());

    reply = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY host SYSTEM \"file:///etc/hostname\"><!ENTITY % d SYSTEM \""
        + dtdUrl() + "\"> %d;]>" + response("<string>&host;</string>").substring("<?xml version=\"1.0\"?>".length());
    OdooProtocolException internal = assertThrows(OdooProtocolException.class, gateway::version);
    assertTrue(internal.getMessage().startsWith("common.version: the reply is not valid XML-RPC"), internal.getMessage());
    assertEquals(0, dtdFetches.get(), "no DTD was fetched");
  }

  /**
   * The JDK's parser prints a "[Fatal Error] :1:7: ..." line on stderr for every malformed document unless the
   * reader has an error handler: the reply must be the call's error and nothing else, outside our log.
   */
  @Test
  void aMalformedReplyIsTheCallsErrorAndNothingReachesStderr() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    java.io.PrintStream previous = System.err;
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (String malformed : List.of("<?xml version=\"1.0\"?><methodResponse><params><param><val",
          "<methodResponse><params></methodResponse>", "<?xml version=\"1.0\"?><!DOCTYPE methodResponse><methodResponse/>",
          "not xml at all")) {
        reply = malformed;
        OdooProtocolException e = assertThrows(OdooProtocolException.class, () -> gateway.events(List.of(5L)), malformed);
        assertTrue(e.getMessage().contains("the reply is not valid XML-RPC"), e.getMessage());
      }
    } finally {
      System.setErr(previous);
    }
    assertEquals("", captured.toString(StandardCharsets.UTF_8), "nothing may be printed on stderr");
  }

  @Test
  void aFaultCauseIsNeverDeserialized() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new Canary());
    }
    String blob = Base64.getEncoder().encodeToString(bytes.toByteArray());
    reply = fault(1, "Traceback (most recent call last):\n  File \"x.py\", line 1\nValueError: boom",
        "<member><name>faultCause</name><value><base64>" + blob + "</base64></value></member>");
    OdooException e = assertThrows(OdooException.class, () -> gateway.events(List.of(5L)));
    assertEquals(OdooException.class, e.getClass());
    assertEquals("calendar.event.search_read ids 5: Odoo fault 1: ValueError: boom", e.getMessage());
    assertFalse(Canary.woke, "the serialized object was not read");
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(t.getClass().getName().contains("Canary"));
    }
  }

  @Test
  void wrongShapesAreProtocolErrorsNamingTheCall() {
    reply = response("<string>not a list</string>");
    OdooProtocolException notList = assertThrows(OdooProtocolException.class, () -> gateway.events(List.of(11L, 12L)));
    assertEquals("calendar.event.search_read: the reply is a string, not a list", notList.getMessage());

    reply = response("<array><data><value><int>3</int></value></data></array>");
    OdooProtocolException notDict = assertThrows(OdooProtocolException.class, () -> gateway.attendees(List.of(1L)));
    assertTrue(notDict.getMessage().contains("calendar.attendee.search_read: a record is a integer, not a dict"), notDict.getMessage());

    reply = response("<array><data><value><int>3</int></value></data></array>");
    OdooProtocolException fewIds = assertThrows(OdooProtocolException.class, () -> gateway.createEvents(List.of(
        OdooEventDraft.timed("a", java.time.Instant.EPOCH, java.time.Instant.EPOCH.plusSeconds(60)),
        OdooEventDraft.timed("b", java.time.Instant.EPOCH, java.time.Instant.EPOCH.plusSeconds(60)))));
    assertTrue(fewIds.getMessage().startsWith("calendar.event.create: the reply is a list, not 2 ids"), fewIds.getMessage());

    reply = response("<struct><member><name>nothing</name><value><int>1</int></value></member></struct>");
    assertThrows(OdooProtocolException.class, gateway::version);

    reply = response("<nil/>");
    assertInstanceOf(OdooProtocolException.class, assertThrows(OdooException.class, () -> gateway.users(List.of(2L))));

    reply = response("<boolean>0</boolean>");
    OdooProtocolException notTrue = assertThrows(OdooProtocolException.class, () -> gateway.archiveEvents(List.of(4L)));
    assertTrue(notTrue.getMessage().contains("calendar.event.write ids [4]"), notTrue.getMessage());
  }

  @Test
  void aMalformedRecordIsReportedAloneAndTheOthersAreRead() {
    String good = row(21, "<string>2026-01-05 10:00:00</string>");
    String bad = row(22, "<int>17</int>"); // start is not a datetime string
    reply = response("<array><data><value>" + good + "</value><value>" + bad + "</value></data></array>");
    Found<OdooEvent> found = gateway.events(List.of(21L, 22L, 23L));
    assertEquals(List.of(21L), found.items().stream().map(OdooEvent::id).toList());
    assertEquals(Set.of(22L), found.malformed().keySet());
    assertEquals("calendar.event.search_read record 22: field start is a integer, not a string",
        found.malformed().get(22L).getMessage());
    assertEquals(Set.of(23L), found.missing());
    OdooEvent event = found.items().get(0);
    assertEquals(java.time.Instant.parse("2026-01-05T10:00:00Z"), event.start());
    assertEquals(null, event.description());
    assertEquals(2L, event.userId());
    assertEquals(List.of(7L, 8L), event.partnerIds());
  }

  /**
   * A record with a field nested 200 arrays deep (600 elements) is that record's error on every JDK; JDK 24 and
   * later would refuse the whole reply past 100 elements by default. Past our own bound the reply is the error.
   */
  @Test
  void aDeeplyNestedRecordIsReportedAloneOnEveryJdkAndAnAbsurdOneIsTheCallsError() {
    String good = row(21, "<string>2026-01-05 10:00:00</string>");
    String deep = row(22, nested(200));
    reply = response("<array><data><value>" + good + "</value><value>" + deep + "</value></data></array>");
    Found<OdooEvent> found = gateway.events(List.of(21L, 22L));
    assertEquals(List.of(21L), found.items().stream().map(OdooEvent::id).toList());
    assertEquals(Set.of(22L), found.malformed().keySet());

    reply = response("<array><data><value>" + row(23, nested(QuietParsing.MAX_DEPTH)) + "</value></data></array>");
    OdooProtocolException absurd = assertThrows(OdooProtocolException.class, () -> gateway.events(List.of(23L)));
    assertTrue(absurd.getMessage().contains("not valid XML-RPC"), absurd.getMessage());
  }

  private static String nested(int levels) {
    return "<array><data><value>".repeat(levels) + "<int>1</int>" + "</value></data></array>".repeat(levels);
  }

  /** A calendar.event row as Odoo sends it, with {@code start} as given. */
  static String row(int id, String start) {
    StringBuilder s = new StringBuilder("<struct>");
    Map<String, String> values = new java.util.LinkedHashMap<>();
    values.put("id", "<int>" + id + "</int>");
    values.put("name", "<string>Event</string>");
    values.put("start", start);
    values.put("stop", "<string>2026-01-05 11:00:00</string>");
    values.put("allday", "<boolean>0</boolean>");
    values.put("start_date", "<boolean>0</boolean>");
    values.put("stop_date", "<boolean>0</boolean>");
    values.put("description", "<boolean>0</boolean>");
    values.put("location", "<boolean>0</boolean>");
    values.put("videocall_location", "<boolean>0</boolean>");
    values.put("privacy", "<string>public</string>");
    values.put("show_as", "<string>busy</string>");
    values.put("user_id", "<array><data><value><int>2</int></value><value><string>Sync</string></value></data></array>");
    values.put("partner_ids", "<array><data><value><int>7</int></value><value><int>8</int></value></data></array>");
    values.put("attendee_ids", "<array><data></data></array>");
    values.put("alarm_ids", "<array><data></data></array>");
    values.put("recurrency", "<boolean>0</boolean>");
    values.put("recurrence_id", "<boolean>0</boolean>");
    values.put("active", "<boolean>1</boolean>");
    values.put("write_date", "<string>2026-01-04 09:00:00</string>");
    values.put("create_date", "<string>2026-01-04 09:00:00</string>");
    values.forEach((k, v) -> s.append("<member><name>").append(k).append("</name><value>").append(v).append("</value></member>"));
    return s.append("</struct>").toString();
  }

  @Test
  void httpErrorsAreTold() {
    status = 502;
    contentType = "text/html";
    reply = "<html><body>502 Bad Gateway</body></html>";
    assertTrue(assertThrows(OdooUnavailableException.class, gateway::version).retryable());
    status = 404;
    OdooException notFound = assertThrows(OdooException.class, gateway::version);
    assertFalse(notFound.retryable());
    assertTrue(notFound.getMessage().contains("HTTP 404"), notFound.getMessage());
    status = 200;
    reply = "<html><body>Please log in</body></html>";
    assertThrows(OdooProtocolException.class, gateway::version);
  }
}
