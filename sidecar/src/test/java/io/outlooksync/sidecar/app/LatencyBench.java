package io.outlooksync.sidecar.app;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.graph.StoredEvent;
import io.outlooksync.sidecar.bench.BenchOptions;
import io.outlooksync.sidecar.bench.Benchmark;
import io.outlooksync.sidecar.bench.Figures;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Issue #8's latency figure: how long a change takes to reach the other side with notifications on. A whole
 * sidecar (in this JVM, as the API tests run one) with alice connected, synced once and subscribed to Graph's
 * change notifications through {@code public_base_url}; Graph at {@code --service-ms} per request. Each sample:
 * an event written in Outlook, timed until it is in Odoo; an event created in Odoo and announced as the addon's
 * after-commit hook does, timed until it is in Outlook. Samples are taken one at a time, the sidecar idle between.
 */
public final class LatencyBench implements Benchmark {
  private static final String CLIENT_ID = "3c1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  private static final String CLIENT_SECRET = "client-secret-for-the-latency-bench";
  private static final String SHARED = "shared-secret-for-the-latency-bench-0123456789";
  private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

  @Override
  public String describe() {
    return "latency --samples 20 --service-ms 40: Outlook -> Odoo and Odoo -> Outlook with notifications (p50, p95)";
  }

  @Override
  public Figures run(BenchOptions o) throws Exception {
    int samples = o.integer("samples", 20);
    int serviceMs = o.integer("service-ms", 40);
    Path dir = Files.createTempDirectory("outlook-sync-bench-latency");
    try (M365Emulator m365 = M365Emulator.builder().mailboxes("alice@example.com").app(CLIENT_ID, CLIENT_SECRET).start();
         EmulatedSidecar emulated = new EmulatedSidecar(m365, dir, CLIENT_ID, CLIENT_SECRET, SHARED)) {
      long account = emulated.connectAlice();
      check(emulated.api.post("/api/users/prod/" + emulated.aliceUid + "/sync", "{}"), "first sync");
      check(emulated.api.post("/api/configure", "{\"public_base_url\": \"http://127.0.0.1:" + emulated.sidecar.address().getPort() + "\"}"),
          "public_base_url");
      emulated.sidecar.subscriptions().wake();
      await(() -> m365.subscriptions().list().size() == 1, Duration.ofSeconds(60), "the sidecar's subscription");
      m365.controls().serviceMillis(serviceMs);
      GraphGateway outlook = emulated.outlook(account);
      long partner = emulated.odoo.user(emulated.aliceUid).partnerId();
      Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(2, ChronoUnit.DAYS).plus(8, ChronoUnit.HOURS);

      List<Double> toOdoo = new ArrayList<>();
      List<Double> toOutlook = new ArrayList<>();
      for (int i = 0; i < samples; i++) {
        Instant start = day.plus(i, ChronoUnit.HOURS);
        String fromOutlook = "From Outlook " + i;
        CalEvent c = new CalEvent(fromOutlook, When.timed(start, start.plus(30, ChronoUnit.MINUTES), BRUSSELS), null, null, null, null,
            null, null, null, null);
        Instant since = Instant.now().minusSeconds(2);
        long t0 = System.nanoTime();
        if (!outlook.write(List.of(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "latency-" + i))).get(0).done()) {
          throw new IllegalStateException("the Outlook write failed");
        }
        await(() -> inOdoo(emulated, since, fromOutlook), Duration.ofMinutes(20), fromOutlook + " in Odoo");
        toOdoo.add((System.nanoTime() - t0) / 1e9);
        settle(emulated);

        String fromOdoo = "From Odoo " + i;
        Instant at = start.plus(30, ChronoUnit.MINUTES);
        t0 = System.nanoTime();
        long id = emulated.odoo.createEvents(List.of(OdooEventDraft.timed(fromOdoo, at, at.plus(30, ChronoUnit.MINUTES))
            .withOrganizer(emulated.aliceUid).withPartners(List.of(partner)))).get(0);
        ApiClient.Reply announced = emulated.api.post("/api/events/changed",
            "{\"db\": \"prod\", \"model\": \"calendar.event\", \"ids\": [" + id + "]}");
        if (announced.status() != 202) {
          throw new IllegalStateException("announcement refused: " + announced.status() + " " + announced.body());
        }
        await(() -> inOutlook(m365, fromOdoo), Duration.ofMinutes(20), fromOdoo + " in Outlook");
        toOutlook.add((System.nanoTime() - t0) / 1e9);
        settle(emulated);
      }
      return new Figures("change latency with notifications, " + samples + " samples each way (--service-ms " + serviceMs + ")")
          .add("Outlook -> Odoo p50, s", percentile(toOdoo, 50))
          .atMost("Outlook -> Odoo p95", percentile(toOdoo, 95), 2, " s")
          .add("Outlook -> Odoo max, s", percentile(toOdoo, 100))
          .add("Odoo -> Outlook p50, s", percentile(toOutlook, 50))
          .atMost("Odoo -> Outlook p95", percentile(toOutlook, 95), 2, " s")
          .add("Odoo -> Outlook max, s", percentile(toOutlook, 100))
          .note("The scheduler's debouncing (a run once announcements have been quiet for 2 s, at most 10 s after the first) "
              + "is in every sample; polling for the result adds up to 20 ms.");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static boolean inOdoo(EmulatedSidecar emulated, Instant since, String title) {
    return emulated.odoo.eventsChangedSince(since, 0, 500).items().stream().map(OdooEvent::name).anyMatch(title::equals);
  }

  private static boolean inOutlook(M365Emulator m365, String title) {
    return m365.mailbox("alice@example.com").storedEvents().stream().map(StoredEvent::subject).anyMatch(title::equals);
  }

  /** Until the account is idle again (the runs our own writes cause included), so samples do not overlap. */
  private static void settle(EmulatedSidecar emulated) throws Exception {
    Thread.sleep(3000);
    await(() -> {
      try {
        return !emulated.api.get("/api/users/prod/" + emulated.aliceUid + "/status").json().path("syncing").asBoolean(false);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, Duration.ofMinutes(5), "the account idle");
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
  }

  private static void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
    long until = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("waited " + limit.toSeconds() + " s for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static void check(ApiClient.Reply r, String what) {
    if (r.status() != 200) {
      throw new IllegalStateException(what + ": HTTP " + r.status() + " " + r.body());
    }
  }
}
