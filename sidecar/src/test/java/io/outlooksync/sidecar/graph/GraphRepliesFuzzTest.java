package io.outlooksync.sidecar.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outlooksync.sidecar.fuzz.Hostile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the Graph gateway's reading of delta pages with seeded hostile replies ({@link Hostile}): one event of
 * a page mutated (a node of the wrong type, a 5 MB description, 1,000 attendees, invalid e-mails, unknown time
 * zones, control characters), or the whole body malformed. Each case must end within seconds in a page or a
 * {@link GraphException}, never another exception; with one event mutated, the page's other events are read.
 * {@code -Dfuzz.scale=10} runs ten times the cases, {@code -Dfuzz.seed=N} repeats a run.
 */
class GraphRepliesFuzzTest {
  private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2027-01-01T00:00:00Z");
  private static final int GOOD = 4;

  @Test
  void hostileDeltaPagesEndInAPageOrAGraphErrorAndTheOtherEventsAreRead() throws Exception {
    Hostile.Run run = Hostile.Run.start("GraphRepliesFuzzTest", 400);
    Hostile hostile = run.hostile();
    List<String> failures = new ArrayList<>();
    int perItem = 0;
    int whole = 0;
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      // The same reply however often it is asked for: the gateway reads a page it cannot parse a second time.
      byte[][] current = {new byte[0]};
      server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
        @Override
        public MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest request) {
          return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
              .setBody(new Buffer().write(current[0]));
        }
      });
      GraphGateway gateway = GraphClients.builder().baseUrl(server.url("/v1.0").toString()).readTimeout(Duration.ofSeconds(5)).build()
          .gateway("alice", force -> "token");
      String deltaLink = server.url("/v1.0/me/calendarView/delta?$deltatoken=d").toString();
      for (int i = 0; i < run.cases() && failures.size() < 10; i++) {
        ObjectNode page = Hostile.JSON.createObjectNode();
        ArrayNode value = page.putArray("value");
        for (int e = 0; e < GOOD; e++) {
          value.add(event("good-" + e));
        }
        boolean oneItem = hostile.nextInt(3) != 0;
        JsonNode bad = null;
        byte[] body;
        if (oneItem) {
          perItem++;
          bad = hostile.nextInt(4) == 0 ? hostileEvent(hostile) : hostile.mutateNode(event("bad"));
          value.insert(hostile.nextInt(GOOD + 1), bad);
          page.put("@odata.deltaLink", deltaLink);
          body = Hostile.JSON.writeValueAsBytes(page);
        } else {
          whole++;
          page.put("@odata.deltaLink", deltaLink);
          body = hostile.nextInt(2) == 0 ? Hostile.JSON.writeValueAsBytes(hostile.mutateNode(page))
              : hostile.mutateText(Hostile.JSON.writeValueAsString(page));
        }
        current[0] = body;
        Future<DeltaPage> read = caller.submit(() -> gateway.firstPage(FROM, TO, 50));
        try {
          DeltaPage got = read.get(20, TimeUnit.SECONDS);
          if (oneItem) {
            long good = got.items().stream().filter(it -> it instanceof GraphEvent g && g.id().startsWith("good-")).count();
            if (good != GOOD) {
              failures.add("case " + i + ": " + good + " of the " + GOOD + " good events read beside " + Hostile.describe(bad));
            }
          }
        } catch (TimeoutException hang) {
          read.cancel(true);
          failures.add("case " + i + ": no answer within 20 s");
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof GraphException)) {
            failures.add("case " + i + ": " + e.getCause() + " for " + Hostile.describe(new String(body, 0, Math.min(body.length, 400),
                java.nio.charset.StandardCharsets.UTF_8)));
          } else if (oneItem) {
            failures.add("case " + i + ": one bad event failed the whole page: " + e.getCause() + " for " + Hostile.describe(bad));
          }
        }
      }
    } finally {
      caller.shutdownNow();
    }
    System.out.println("GraphRepliesFuzzTest: " + perItem + " pages with one hostile event, " + whole + " hostile pages");
    run.assertNone(failures, "");
    assertEquals(run.cases(), perItem + whole);
  }

  private static ObjectNode event(String id) {
    ObjectNode e = Hostile.JSON.createObjectNode();
    e.put("id", id).put("type", "singleInstance").put("subject", "Event " + id).put("iCalUId", "uid-" + id)
        .put("changeKey", "ck").put("lastModifiedDateTime", "2026-11-20T10:00:00Z").put("isOrganizer", true)
        .put("isCancelled", false).put("isAllDay", false).put("showAs", "busy").put("sensitivity", "normal");
    e.putObject("start").put("dateTime", "2026-12-01T09:00:00.0000000").put("timeZone", "UTC");
    e.putObject("end").put("dateTime", "2026-12-01T10:00:00.0000000").put("timeZone", "UTC");
    e.putObject("body").put("contentType", "html").put("content", "<p>Agenda</p>");
    e.putObject("location").put("displayName", "Room 1");
    e.putObject("organizer").putObject("emailAddress").put("address", "alice@example.com").put("name", "Alice");
    ArrayNode attendees = e.putArray("attendees");
    attendees.addObject().put("type", "required").putObject("emailAddress").put("address", "bob@example.com").put("name", "Bob");
    e.putObject("responseStatus").put("response", "organizer");
    return e;
  }

  /** A well-formed event with hostile content where Outlook allows any: the cases named in the issue. */
  private static ObjectNode hostileEvent(Hostile h) {
    ObjectNode e = event("bad");
    switch (h.nextInt(5)) {
      case 0 -> e.putObject("body").put("contentType", "html").put("content", "<p>" + "z".repeat(5 * 1024 * 1024) + "</p>");
      case 1 -> e.set("attendees", h.attendees(1000));
      case 2 -> ((ObjectNode) e.get("start")).put("timeZone", "Mars Standard Time");
      case 3 -> e.put("subject", "tab\tnul\u0000bell\u0007esc\u001b[2J" + "\ud800");
      default -> ((ObjectNode) e.get("organizer").get("emailAddress")).put("address", "not an e-mail");
    }
    return e;
  }
}
