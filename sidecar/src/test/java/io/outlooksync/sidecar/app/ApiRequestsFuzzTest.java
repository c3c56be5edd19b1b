package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outlooksync.sidecar.fuzz.Hostile;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes a real sidecar process's local API with seeded hostile requests ({@link Hostile}): signed requests whose
 * JSON bodies, query values and path segments are mutated or malformed, unsigned and wrongly signed ones, and
 * Graph notifications. Each must be answered within seconds, never with a 500 (an unhandled error); afterwards
 * the process still serves, and alice's account, connected before, still syncs to convergence. Requests that
 * would stop or reset the account for real are not sent (a reset is always a dry run). {@code -Dfuzz.scale=10}
 * runs ten times the cases, {@code -Dfuzz.seed=N} repeats a run.
 */
class ApiRequestsFuzzTest {
  @TempDir
  Path dir;

  @Test
  void hostileRequestsGetAnAnswerNeverAnInternalErrorAndSyncGoesOn() throws Exception {
    Hostile.Run run = Hostile.Run.start("ApiRequestsFuzzTest", 300);
    Hostile hostile = run.hostile();
    try (SyncBench b = new SyncBench(dir, run.seed(), Clock.systemUTC(), "fuzz", "api")) {
      b.seedBothCalendars(10, 10);
      b.startSidecar();
      b.connectAlice();
      b.assertSucceeds(b.syncToTheEnd());
      String user = "/api/users/prod/" + b.aliceUid;
      List<String[]> templates = List.of(
          new String[] {"POST", "/api/events/changed", "{\"db\": \"prod\", \"model\": \"calendar.event\", \"ids\": [1, 2, 3]}"},
          new String[] {"POST", user + "/signin/start", "{\"login\": \"alice\", \"login_hint\": \"alice@example.com\"}"},
          new String[] {"POST", "/api/signin/complete", "{\"code\": \"abc\", \"state\": \"def.ghi\"}"},
          new String[] {"POST", user + "/sync", "{\"dry_run\": true}"},
          new String[] {"POST", user + "/reset", "{\"delete\": \"both\", \"next\": \"all\", \"dry_run\": true}"},
          new String[] {"POST", user + "/options", "{\"quiet\": false, \"only_future\": true}"},
          new String[] {"GET", user + "/status", ""},
          new String[] {"GET", user + "/mappings?filter=Odoo&limit=5", ""},
          new String[] {"GET", user + "/runs?limit=3", ""},
          new String[] {"GET", "/api/logs?after=0&limit=5&grep=sync", ""},
          new String[] {"POST", "/api/graph/notifications", "{\"value\": [{\"subscriptionId\": \"s\", \"clientState\": \"x\", "
              + "\"changeType\": \"updated\", \"resource\": \"Users/u/Events/e\"}]}"});
      Map<String, Integer> statuses = new TreeMap<>();
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < run.cases() && failures.size() < 10; i++) {
        String[] t = hostile.pick(templates);
        String method = t[0];
        String path = t[1];
        byte[] body = t[2].getBytes(StandardCharsets.UTF_8);
        switch (hostile.nextInt(4)) {
          case 0 -> body = hostile.mutateText(t[2]);
          case 1 -> path = hostilePath(path, hostile);
          default -> {
            if (!t[2].isEmpty()) {
              JsonNode mutated = hostile.mutateNode(Hostile.JSON.readTree(t[2]));
              if (path.endsWith("/reset") && mutated instanceof ObjectNode o) {
                o.put("dry_run", true);
              }
              body = Hostile.JSON.writeValueAsBytes(mutated);
            }
          }
        }
        if (path.endsWith("/reset") && !new String(body, StandardCharsets.UTF_8).contains("\"dry_run\":true")) {
          body = "{\"dry_run\": true}".getBytes(StandardCharsets.UTF_8); // never a real reset
        }
        int how = hostile.nextInt(10);
        HttpRequest request = request(b, method, path, body, how);
        try {
          HttpResponse<String> r = b.api.http.send(request, HttpResponse.BodyHandlers.ofString());
          statuses.merge(r.statusCode() + (how == 0 ? " unsigned" : how == 1 ? " badly signed" : ""), 1, Integer::sum);
          if (r.statusCode() >= 500 && r.statusCode() != 503) {
            failures.add("case " + i + ": " + r.statusCode() + " " + Hostile.describe(r.body()) + " for " + method + " " + path + " "
                + Hostile.describe(new String(body, StandardCharsets.UTF_8)));
          }
          if (how <= 1 && !path.startsWith("/api/graph/") && r.statusCode() != 401 && r.statusCode() != 400 && r.statusCode() != 404) {
            failures.add("case " + i + ": an unsigned or badly signed request got " + r.statusCode() + " for " + method + " " + path);
          }
        } catch (java.net.http.HttpTimeoutException hang) {
          failures.add("case " + i + ": no answer within 30 s for " + method + " " + path);
        } catch (IllegalArgumentException unsendable) {
          statuses.merge("not sendable by the client", 1, Integer::sum);
        }
      }
      System.out.println("ApiRequestsFuzzTest statuses " + statuses);
      run.assertNone(failures, b.context());
      assertTrue(b.sidecar.isAlive(), "the sidecar survived" + b.context());
      assertEquals(200, b.api.unsigned("GET", "/healthz", "").status());
      // The account goes on syncing: an edit on each side after the storm arrives, and nothing was doubled.
      b.editBothSides("");
      b.syncUntilSucceeded(3);
      b.assertConverged();
    }
  }

  /** A path with one segment or query value replaced by a hostile string (percent-encoded, as a client would). */
  private static String hostilePath(String path, Hostile h) {
    String[] parts = path.split("/");
    String raw = h.string();
    String evil = URLEncoder.encode(raw.substring(0, Math.min(2000, raw.length())), StandardCharsets.UTF_8);
    if (path.contains("?")) {
      return path.replaceFirst("=[^&]*", "=" + evil);
    }
    parts[2 + h.nextInt(parts.length - 2)] = evil;
    return String.join("/", parts);
  }

  /** Signed as the addon signs ({@code how} >= 2), unsigned (0), or signed with another secret (1). */
  private static HttpRequest request(SyncBench b, String method, String path, byte[] body, int how) {
    String ts = ApiClient.now();
    String text = new String(body, StandardCharsets.UTF_8);
    HttpRequest.Builder r = HttpRequest.newBuilder(b.api.base.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .method(method, body.length == 0 && method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (how >= 1) {
      String secret = how == 1 ? "not-the-shared-secret-0123456789" : SyncBench.SHARED;
      r.header("X-Outlook-Sync-Timestamp", ts).header("X-Outlook-Sync-Signature", ApiClient.signature(secret, ts, method, path, text));
    }
    return r.build();
  }
}
