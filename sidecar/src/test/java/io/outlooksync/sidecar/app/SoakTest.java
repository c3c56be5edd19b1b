package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.TestLogin;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CalendarRound;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.graph.GraphEventDraft;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.graph.WriteResult;
import io.outlooksync.sidecar.odoo.EventChanges;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak: a real sidecar process serving many connected users (200 by default) for a long time (30 minutes),
 * while random edits land on both sides (creates and renames in Odoo, announced as the addon would; creates and
 * renames in Outlook, found by the scheduler's fallback runs every minute). The process is sampled every 30 s:
 * heap after a full GC, live threads, open file descriptors and sockets. At the end every calendar must have
 * converged, and the samples of the last fifth of the run must not have grown over those of the first fifth.
 * Not part of {@code mvn verify}: {@code sidecar/bin/outlook-sync-faults --soak [MINUTES] [USERS]}.
 */
@EnabledIfSystemProperty(named = "soak.minutes", matches = "\\d+")
class SoakTest {
  static final int MINUTES = Integer.getInteger("soak.minutes", 30);
  static final int USERS = Integer.getInteger("soak.users", 200);
  static final int EVENTS_PER_SIDE = 5;

  @TempDir
  Path dir;

  /** One user's two calendars, as the test wrote them: title by key, on the side the event was made. */
  record User(String login, long uid, long partner, GraphGateway outlook, Map<String, String> titles) {}

  /** One sample of the process. */
  record Sample(long second, long heapAfterGc, long threads, long fds, long sockets, long rss) {
    String csv() {
      return second + "," + heapAfterGc + "," + threads + "," + fds + "," + sockets + "," + rss;
    }
  }

  /** The soak outside a build (same checks; {@code -Dsoak.minutes}, {@code -Dsoak.users}), run from the test class path. */
  public static void main(String[] args) throws Exception {
    SoakTest soak = new SoakTest();
    soak.dir = Files.createTempDirectory("outlook-sync-soak");
    soak.manyUsersEditingForALongTimeLeakNothingAndConverge();
  }

  @Test
  void manyUsersEditingForALongTimeLeakNothingAndConverge() throws Exception {
    long seed = Long.getLong("soak.seed", System.nanoTime());
    List<String> logins = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      logins.add(String.format("user%03d", i));
    }
    Path out = Files.createDirectories(Path.of("target", "soak"));
    try (SyncBench b = new SyncBench(dir, seed, Clock.systemUTC(), "soak", "soak", logins)) {
      b.extraEnv.put("OUTLOOK_SYNC_SYNC_INTERVAL", "60");
      b.extraEnv.put("OUTLOOK_SYNC_SYNC_WORKERS", "4");
      b.syncTimeout = Duration.ofSeconds(300);
      GraphClients graph = GraphClients.builder().baseUrl(b.m365.graphBaseUrl()).tls(b.m365.sslSocketFactory(), b.m365.trustManager())
          .build();
      List<User> users = new ArrayList<>();
      Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.DAYS);
      for (String login : logins) {
        String mailbox = login + "@example.com";
        String token = TestLogin.signIn(b.m365, mailbox).accessToken();
        long uid = b.odooEmulator.uid(login);
        User u = new User(login, uid, b.odoo.user(uid).partnerId(), graph.gateway(mailbox, force -> token), new TreeMap<>());
        users.add(u);
        for (int i = 0; i < EVENTS_PER_SIDE; i++) {
          create(b, u, true, base.plus(3L * i, ChronoUnit.HOURS), "seed-odoo-" + i);
          create(b, u, false, base.plus(3L * i + 1, ChronoUnit.HOURS), "seed-outlook-" + i);
        }
      }
      b.startSidecar();
      long pid = b.sidecar.pid();
      for (User u : users) {
        b.connect(u.login(), u.login() + "@example.com");
        b.assertSucceeds(b.syncToTheEnd(u.uid()));
      }
      System.out.println("soak: " + USERS + " users connected and synced once; editing for " + MINUTES + " min, seed " + seed);

      List<Sample> samples = new ArrayList<>();
      long began = System.nanoTime();
      long end = began + Duration.ofMinutes(MINUTES).toNanos();
      long nextSample = began;
      int edits = 0;
      while (System.nanoTime() < end) {
        if (System.nanoTime() >= nextSample) {
          samples.add(sample(pid, (System.nanoTime() - began) / 1_000_000_000));
          nextSample += Duration.ofSeconds(30).toNanos();
        }
        User u = users.get(b.random.nextInt(users.size()));
        edit(b, u, base.plus(b.random.nextInt(2000), ChronoUnit.HOURS), edits++);
        Thread.sleep(500);
      }
      samples.add(sample(pid, (System.nanoTime() - began) / 1_000_000_000));
      System.out.println("soak: " + edits + " edits; syncing everyone to the end");
      for (User u : users) {
        boolean ok = false;
        for (int i = 0; i < 3 && !ok; i++) {
          ok = b.syncToTheEnd(u.uid()).path("succeeded").asBoolean();
        }
        assertTrue(ok, u.login() + " syncs to the end" + b.context());
      }
      int events = 0;
      for (User u : users) {
        events += assertConverged(b, u);
      }
      String report = report(samples, edits, events);
      Files.writeString(out.resolve("samples.csv"), "second,heap_after_gc,threads,fds,sockets,rss\n"
          + samples.stream().map(Sample::csv).collect(Collectors.joining("\n")) + "\n");
      Files.writeString(out.resolve("report.md"), report);
      System.out.println(report);
      assertFlat(samples);
      b.stopSidecar();
    }
  }

  // ---------------------------------------------------------------- edits

  private static void create(SyncBench b, User u, boolean inOdoo, Instant start, String key) {
    String title = u.login() + " " + key;
    if (inOdoo) {
      b.odoo.createEvents(List.of(OdooEventDraft.timed(title, start, start.plusSeconds(3600)).withOrganizer(u.uid())
          .withPartners(List.of(u.partner()))));
    } else {
      CalEvent c = new CalEvent(title, When.timed(start, start.plusSeconds(1800), SyncBench.BRUSSELS), null, null, null, null, null,
          null, null, null);
      WriteResult r = u.outlook().write(List.of(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "soak-" + key))).get(0);
      assertTrue(r.done(), r.toString());
    }
    u.titles().put(key, title);
  }

  /** A random edit of one user: an event created or renamed, in Odoo (announced) or in Outlook. */
  private static void edit(SyncBench b, User u, Instant start, int n) throws Exception {
    boolean inOdoo = b.random.nextBoolean();
    if (b.random.nextInt(3) == 0) {
      create(b, u, inOdoo, start, "new-" + n);
      if (inOdoo) {
        announce(b, odooEvents(b, u).stream().filter(e -> e.name().endsWith("new-" + n)).map(OdooEvent::id).toList());
      }
      return;
    }
    List<String> keys = new ArrayList<>(u.titles().keySet());
    String key = keys.get(b.random.nextInt(keys.size()));
    String now = u.titles().get(key);
    String renamed = u.login() + " " + key + " edit " + n;
    if (inOdoo) {
      OdooEvent e = odooEvents(b, u).stream().filter(o -> o.name().equals(now)).findFirst().orElse(null);
      if (e == null) {
        return; // not in Odoo yet: its sync has not run; another edit instead
      }
      b.odoo.writeEvents(Map.of(e.id(), EventChanges.of().name(renamed)));
      announce(b, List.of(e.id()));
    } else {
      GraphEvent g = outlookEvents(u).stream().filter(o -> now.equals(o.subject())).findFirst().orElse(null);
      if (g == null) {
        return;
      }
      WriteResult r = u.outlook().write(List.of(new GraphWrite.Update(g.id(), GraphEventDraft.timed(renamed, g.start(), g.end(),
          SyncBench.BRUSSELS), java.util.Set.of(GraphEventDraft.Field.SUBJECT), null))).get(0);
      assertTrue(r.done(), r.toString());
    }
    u.titles().put(key, renamed);
  }

  /** What the addon's after-commit hook sends. */
  private static void announce(SyncBench b, List<Long> ids) throws Exception {
    if (!ids.isEmpty()) {
      b.api.post("/api/events/changed", "{\"db\": \"prod\", \"model\": \"calendar.event\", \"ids\": " + ids + "}");
    }
  }

  private static List<OdooEvent> odooEvents(SyncBench b, User u) {
    return b.odoo.eventsOfUserChangedSince(u.partner(), u.uid(), Instant.EPOCH, 0, 5000).items().stream()
        .filter(OdooEvent::active).toList();
  }

  private static List<GraphEvent> outlookEvents(User u) {
    return CalendarRound.events(u.outlook(), Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(400, ChronoUnit.DAYS));
  }

  private static int assertConverged(SyncBench b, User u) {
    Map<String, Long> inOdoo = odooEvents(b, u).stream().collect(Collectors.groupingBy(OdooEvent::name, TreeMap::new,
        Collectors.counting()));
    Map<String, Long> inOutlook = outlookEvents(u).stream().collect(Collectors.groupingBy(GraphEvent::subject, TreeMap::new,
        Collectors.counting()));
    TreeSet<String> expected = new TreeSet<>(u.titles().values());
    assertEquals(expected, inOdoo.keySet(), u.login() + ": Odoo holds every event with its last title" + b.context());
    assertEquals(expected, inOutlook.keySet(), u.login() + ": Outlook holds every event with its last title" + b.context());
    assertTrue(inOdoo.values().stream().allMatch(c -> c == 1), u.login() + ": doubled in Odoo " + inOdoo);
    assertTrue(inOutlook.values().stream().allMatch(c -> c == 1), u.login() + ": doubled in Outlook " + inOutlook);
    return expected.size();
  }

  // ---------------------------------------------------------------- samples

  private static Sample sample(long pid, long second) throws Exception {
    new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor();
    Map<String, Long> status = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      String[] kv = line.split(":\\s+", 2);
      if (kv.length == 2 && (kv[0].equals("Threads") || kv[0].equals("VmRSS"))) {
        status.put(kv[0], Long.parseLong(kv[1].replaceAll("[^0-9]", "")));
      }
    }
    long fds = 0;
    long sockets = 0;
    try (var files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : files.toList()) {
        fds++;
        try {
          sockets += Files.readSymbolicLink(fd).toString().startsWith("socket:") ? 1 : 0;
        } catch (java.io.IOException closedMeanwhile) {
          // the descriptor closed while we looked
        }
      }
    }
    return new Sample(second, heapAfterGc(pid), status.getOrDefault("Threads", -1L), fds, sockets, status.getOrDefault("VmRSS", -1L));
  }

  /** Heap in use right after the full GC above, in bytes, from {@code jcmd GC.heap_info}. */
  private static long heapAfterGc(long pid) throws Exception {
    Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    java.util.regex.Matcher total = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(text);
    long sum = 0;
    while (total.find()) {
      sum += Long.parseLong(total.group(1)) * 1024;
    }
    return sum; // young and old generations (SerialGC lists both)
  }

  /** The last fifth of the run against the first fifth (after the warm-up sample): no growth beyond noise. */
  private static void assertFlat(List<Sample> samples) {
    int fifth = Math.max(1, samples.size() / 5);
    List<Sample> first = samples.subList(1, Math.min(samples.size(), 1 + fifth));
    List<Sample> last = samples.subList(samples.size() - fifth, samples.size());
    long heapFirst = first.stream().mapToLong(Sample::heapAfterGc).max().orElseThrow();
    long heapLast = last.stream().mapToLong(Sample::heapAfterGc).min().orElseThrow();
    assertTrue(heapLast <= heapFirst * 1.25 + 16 * 1024 * 1024, "heap after GC grew: " + heapFirst + " -> " + heapLast);
    long threadsFirst = first.stream().mapToLong(Sample::threads).max().orElseThrow();
    long threadsLast = last.stream().mapToLong(Sample::threads).min().orElseThrow();
    assertTrue(threadsLast <= threadsFirst + 4, "threads grew: " + threadsFirst + " -> " + threadsLast);
    long fdsFirst = first.stream().mapToLong(Sample::fds).max().orElseThrow();
    long fdsLast = last.stream().mapToLong(Sample::fds).min().orElseThrow();
    assertTrue(fdsLast <= fdsFirst + 16, "file descriptors grew: " + fdsFirst + " -> " + fdsLast);
  }

  private static String report(List<Sample> samples, int edits, int events) {
    StringBuilder sb = new StringBuilder("## Soak: " + USERS + " users, " + MINUTES + " min, " + edits + " edits, " + events
        + " events converged\n\n| second | heap after GC (MB) | threads | fds | sockets | RSS (MB) |\n|---|---|---|---|---|---|\n");
    int step = Math.max(1, samples.size() / 12);
    for (int i = 0; i < samples.size(); i += step) {
      Sample s = samples.get(i);
      sb.append("| ").append(s.second()).append(" | ").append(s.heapAfterGc() / (1024 * 1024)).append(" | ").append(s.threads())
          .append(" | ").append(s.fds()).append(" | ").append(s.sockets()).append(" | ").append(s.rss() / 1024).append(" |\n");
    }
    Sample last = samples.get(samples.size() - 1);
    sb.append("| ").append(last.second()).append(" (last) | ").append(last.heapAfterGc() / (1024 * 1024)).append(" | ")
        .append(last.threads()).append(" | ").append(last.fds()).append(" | ").append(last.sockets()).append(" | ")
        .append(last.rss() / 1024).append(" |\n");
    return sb.toString();
  }
}
