package io.outlooksync.sidecar.app;

import io.outlooksync.fixtures.m365.Browser;
import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooUser;
import io.outlooksync.sidecar.bench.BenchOptions;
import io.outlooksync.sidecar.bench.Benchmark;
import io.outlooksync.sidecar.bench.Figures;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Issue #8's figure for many users on one sidecar: N users connected through the real sign-in and synced once
 * (each with a few events), then the sidecar started as its own process ({@code Main serve}, {@code -Xmx256m} as
 * bin/outlook-sync starts it) on that data: time to a healthy {@code /healthz}, then its resident memory once the
 * start-up catch-up run of every account is over (and the highest it reached).
 */
public final class UsersBench implements Benchmark {
  private static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";
  private static final String CLIENT_SECRET = "bench-secret";
  private static final String SHARED = "bench-shared-secret-of-enough-length-0123456789";

  @Override
  public String describe() {
    return "users --users 1000 --events 2 --setup-threads 4 --serve-opts -Xmx256m: one sidecar process with N connected users "
        + "(start time, RSS)";
  }

  @Override
  public Figures run(BenchOptions o) throws Exception {
    int n = o.integer("users", 1000);
    int events = o.integer("events", 2);
    int setupThreads = o.integer("setup-threads", 4);
    // The launcher's default JAVA_OPTS (bin/outlook-sync, the systemd unit); others to compare heap and GC settings.
    // Several variants separated by '|' are measured one after the other on the same store; a NAME=VALUE word is
    // put in the process's environment (MALLOC_ARENA_MAX=2, say), the other words are JVM options.
    List<String> variants = Stream.of(o.text("serve-opts", "-Xmx256m").split("\\|")).map(String::trim)
        .filter(v -> !v.isEmpty()).toList();
    Path dir = Files.createTempDirectory("outlook-sync-bench-users");
    List<String> addresses = new ArrayList<>();
    OdooEmulator.Builder odooBuilder = OdooEmulator.builder().database("prod")
        .user(OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").email("sync@example.com").asAdmin());
    for (int i = 1; i <= n; i++) {
      addresses.add("user" + i + "@example.com");
      odooBuilder.user(OdooUser.of("user" + i, "pw").name("User " + i).email("user" + i + "@example.com").tz("Europe/Brussels"));
    }
    try (M365Emulator m365 = M365Emulator.builder().mailboxes(addresses).app(CLIENT_ID, CLIENT_SECRET).start();
         OdooEmulator odoo = odooBuilder.build().start()) {
      Map<String, String> env = Demo.wiredTo(m365, dir, CLIENT_ID, CLIENT_SECRET, SHARED);
      env.put("OUTLOOK_SYNC_ODOO_URL", odoo.url());
      env.put("OUTLOOK_SYNC_ODOO_DB", "prod");
      env.put("OUTLOOK_SYNC_ODOO_LOGIN", "sync");
      env.put("OUTLOOK_SYNC_ODOO_API_KEY", "sync-key");
      seedOdoo(odoo, n, events);
      long setupStarted = System.nanoTime();
      try (Sidecar sidecar = Sidecar.start(Config.load(null, env, new ArrayList<>()))) {
        ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + sidecar.address().getPort()), SHARED);
        connectAndSyncAll(api, m365, odoo, n, setupThreads);
      }
      double setupSeconds = (System.nanoTime() - setupStarted) / 1e9;

      Figures figures = new Figures("one sidecar with " + n + " connected users (" + events + " events each)")
          .add("setup: " + n + " sign-ins through the API and first syncs (" + setupThreads + " at a time), s", setupSeconds);
      for (String variant : variants) {
        measure(variant, env, dir, n, figures, variants.size() > 1 ? " [" + variant + "]" : "");
      }
      return figures.note("The sidecar runs with the test class path (the emulators' classes are on it, unused) and "
          + String.join("; then ", variants) + ".");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Starts the sidecar with one variant of options on the store the setup left, and adds its figures. */
  private static void measure(String variant, Map<String, String> env, Path dir, int n, Figures figures, String suffix)
      throws Exception {
    List<String> jvm = new ArrayList<>();
    Map<String, String> variantEnv = new LinkedHashMap<>(env);
    for (String word : variant.split("\\s+")) {
      if (word.matches("[A-Z_][A-Z0-9_]*=.*")) {
        variantEnv.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
      } else {
        jvm.add(word);
      }
    }
    long started = System.nanoTime();
    try (ServeProcess sidecar = ServeProcess.start(variantEnv, jvm, SHARED, dir.resolve("sidecar.log"))) {
      double startSeconds = (System.nanoTime() - started) / 1e9;
      long catchUpStarted = System.nanoTime();
      long finished = waitCatchUp(sidecar.api, n);
      double catchUpSeconds = (System.nanoTime() - catchUpStarted) / 1e9;
      long pid = sidecar.process.pid();
      long rss = status(pid, "VmRSS");
      long hwm = status(pid, "VmHWM");
      figures.atMost("start: process launched to /healthz answering" + suffix, startSeconds, 3, " s")
          .add("catch-up runs finished after start / time they took, s" + suffix, finished + " / " + Figures.format(catchUpSeconds))
          .atMost("resident memory after the catch-up" + suffix, rss / 1024.0, 400, " MB")
          .add("highest resident memory (VmHWM), MB" + suffix, hwm / 1024.0);
      if (variant.contains("NativeMemoryTracking")) {
        String java = ProcessHandle.current().info().command().orElse("java");
        figures.add("where the memory is (jcmd VM.native_memory, committed)" + suffix, nativeMemory(java, pid));
      }
    }
  }

  /** The committed size of each area Native Memory Tracking reports, as "Java Heap 180 MB, Class 46 MB, ...". */
  private static String nativeMemory(String java, long pid) throws Exception {
    Path jcmd = Path.of(java).resolveSibling("jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.native_memory", "summary", "scale=MB")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    List<String> areas = new ArrayList<>();
    Matcher m = Pattern
        .compile("(?m)^-?\\s*([A-Za-z][A-Za-z ]*?) \\(reserved=\\d+MB, committed=(\\d+)MB\\)").matcher(out);
    while (m.find()) {
      if (!m.group(2).equals("0")) {
        areas.add(m.group(1).trim() + " " + m.group(2));
      }
    }
    return areas.isEmpty() ? "(no summary: " + out.strip().lines().findFirst().orElse("") + ")" : String.join(", ", areas) + " MB";
  }

  private static void seedOdoo(OdooEmulator odoo, int users, int events) {
    XmlRpcOdooGateway gateway = new XmlRpcOdooGateway(OdooConfig.of(odoo.url(), "prod", "sync", "sync-key"));
    gateway.authenticate();
    Instant tomorrow = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS).plus(9, ChronoUnit.HOURS);
    List<OdooEventDraft> drafts = new ArrayList<>();
    for (int i = 1; i <= users; i++) {
      long uid = odoo.uid("user" + i);
      long partner = gateway.user(uid).partnerId();
      for (int e = 0; e < events; e++) {
        Instant start = tomorrow.plus(e, ChronoUnit.DAYS);
        drafts.add(OdooEventDraft.timed("Meeting " + e + " of user " + i, start, start.plus(1, ChronoUnit.HOURS)).withOrganizer(uid)
            .withPartners(List.of(partner)));
      }
      if (drafts.size() >= 500 || i == users) {
        gateway.createEvents(drafts);
        drafts.clear();
      }
    }
  }

  /** Every user signs in as the addon has them do it, then syncs once through Sync now; {@code threads} at a time. */
  private static void connectAndSyncAll(ApiClient api, M365Emulator m365, OdooEmulator odoo, int n, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        String login = "user" + i;
        long uid = odoo.uid(login);
        done.add(pool.submit(() -> {
          String authorize = api.post("/api/users/prod/" + uid + "/signin/start", "{\"login\": \"" + login + "\"}").json()
              .get("authorize_url").asText();
          Map<String, String> redirect = new Browser(m365).signIn(URI.create(authorize), login + "@example.com").redirect();
          ApiClient.Reply signedIn = api.post("/api/signin/complete",
              "{\"code\": \"" + redirect.get("code") + "\", \"state\": \"" + redirect.get("state") + "\"}");
          check(signedIn, "sign-in of " + login);
          check(api.post("/api/users/prod/" + uid + "/sync", "{}"), "first sync of " + login);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void check(ApiClient.Reply r, String what) {
    if (r.status() != 200) {
      throw new IllegalStateException(what + ": HTTP " + r.status() + " " + r.body());
    }
  }

  /** Waits until every account's start-up run finished (from the metrics); returns how many runs finished. */
  private static long waitCatchUp(ApiClient api, int n) throws Exception {
    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    long finished = 0;
    while (System.nanoTime() < until) {
      String metrics = api.get("/metrics").body();
      finished = sum(metrics, "outlook_sync_runs_finished_total");
      if (finished >= n && sum(metrics, "outlook_sync_runs_in_progress") == 0) {
        return finished;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the catch-up runs did not finish: " + finished + " of " + n);
  }

  private static long sum(String metrics, String name) {
    return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** A field of /proc/PID/status in kB. */
  private static long status(long pid, String field) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
