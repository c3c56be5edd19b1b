package io.outlooksync.sidecar.app;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.graph.ChangeKind;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.sidecar.bench.BenchOptions;
import io.outlooksync.sidecar.bench.Benchmark;
import io.outlooksync.sidecar.bench.Figures;
import io.outlooksync.sidecar.auth.AccessTokens;
import io.outlooksync.sidecar.auth.MicrosoftIdentity;
import io.outlooksync.sidecar.auth.MsalApps;
import io.outlooksync.sidecar.auth.SignIn;
import io.outlooksync.sidecar.auth.TokenUnavailable;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import io.outlooksync.sidecar.store.SecretBox;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.sync.FilledAccounts;
import io.outlooksync.sidecar.sync.SyncRunner;
import io.outlooksync.sidecar.store.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issue #8's scale-out figure: accounts synced per second by one sidecar and by several ({@code Main serve}
 * processes sharing one PostgreSQL store, as docs/scale-out.md sets them up), over the same fixed workload, and
 * the journal checked for an account run by two at once.
 *
 * <p>Setup: N users sign in and confirm their first sync through one sidecar (the real API). Then for 1 sidecar,
 * and again for {@code --sidecars}: the processes start, take their leases and finish their start-up catch-up;
 * Graph's service time is set to {@code --service-ms} (work bound by Graph's latency, as in production); one Odoo
 * event of every user is renamed in one Odoo transaction and announced as the addon does after commit (ids in
 * chunks, spread over the sidecars as a load balancer would); the round ends when every renamed event has reached
 * its mailbox (the Graph emulator's change listener). Throughput = N / (last arrival - rename). CPU seconds of the
 * sidecars and of the emulators' JVM over the round show whether the machine, not Graph, was the limit.
 */
public final class ScaleBench implements Benchmark {
  private static final String CLIENT_ID = "4c1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c51";
  private static final String CLIENT_SECRET = "scale-bench-secret";
  private static final String SHARED = "scale-bench-shared-secret-0123456789";
  private static final int ANNOUNCE_CHUNK = 100;
  private static final String REDIRECT = "https://odoo.example.com/microsoft_account/authentication";

  /** What one round measured. */
  record Round(int serviceMs, int sidecars, int workers, int accounts, int arrived, double seconds, double firstArrivalSeconds,
               double sidecarCpu, double driverCpu, double machineBusy, String shares, double maxRssMb) {
    double perSecond() {
      return arrived / seconds;
    }
  }

  @Override
  public String describe() {
    return "scaleout --users 10000 --events 2 --sidecars 3 --service-ms 40 (or 40,150: each over one setup) [--wide-workers 12]: accounts synced per second "
        + "by 1 and by N sidecars on PostgreSQL, no account run by two at once";
  }

  @Override
  public Figures run(BenchOptions o) throws Exception {
    int n = o.integer("users", 10_000);
    int events = o.integer("events", 2);
    int many = o.integer("sidecars", 3);
    // several values (40,150) measure each over the same setup
    List<Integer> serviceTimes = java.util.Arrays.stream(o.text("service-ms", "40").split(",")).map(Integer::parseInt).toList();
    int lease = o.integer("lease-seconds", 15);
    int wideWorkers = o.integer("wide-workers", 0);
    int setupThreads = o.integer("setup-threads", 6);
    // "fill" (default): the store and mailboxes filled as first syncs leave them; "api": every user signs in and
    // runs a first sync through a sidecar's API (about 2 users a second here: for small sizes)
    boolean viaApi = o.text("setup", "fill").equals("api");
    // JVM options added to each sidecar's, for a profile of a round (-XX:StartFlightRecording=...)
    List<String> sidecarJvm = o.text("sidecar-jvm", "").isBlank() ? List.of() : List.of(o.text("sidecar-jvm", "").trim().split("\\s+"));
    boolean setupOnly = o.text("setup-only", "no").equals("yes");
    Path dir = Files.createTempDirectory("outlook-sync-bench-scale");
    BenchUsers people = BenchUsers.of(n);
    String keys = SecretBox.newKeyLine("k1");
    String database = TestPostgres.createDatabase("outlook_sync_bench_scale");
    Map<String, Instant> arrivals = new ConcurrentHashMap<>();
    try (M365Emulator m365 = M365Emulator.builder().mailboxes(people.addresses()).app(CLIENT_ID, CLIENT_SECRET).start();
         OdooEmulator odoo = people.odoo().build().start()) {
      long seedStarted = System.nanoTime();
      people.seed(odoo, events);
      double seedSeconds = (System.nanoTime() - seedStarted) / 1e9;
      Sidecars fleet = new Sidecars(people, m365, odoo, dir, database, keys, lease, sidecarJvm);
      long setupStarted = System.nanoTime();
      List<long[]> timings = List.of();
      Fill fill = null;
      if (viaApi) {
        try (ServeProcess first = fleet.start(0, 4)) {
          timings = connectAll(first, people, m365, odoo, setupThreads);
        }
      } else {
        fill = fill(people, m365, odoo, database, keys, setupThreads);
      }
      double setupSeconds = (System.nanoTime() - setupStarted) / 1e9;
      m365.directory().addListener((mailbox, event, kind) -> {
        if (kind == ChangeKind.UPDATED && event.subject() != null && event.subject().startsWith("Round ")) {
          arrivals.putIfAbsent(event.subject() + "|" + event.immutableId(), Instant.now());
        }
      });
      Instant roundsFrom = Instant.now();
      List<Round> rounds = new ArrayList<>();
      List<Round[]> pairs = new ArrayList<>();
      int number = 0;
      for (int serviceMs : setupOnly ? List.<Integer>of() : serviceTimes) {
        Round one = round(fleet, 1, 4, ++number, serviceMs, arrivals);
        Round scaled = round(fleet, many, 4, ++number, serviceMs, arrivals);
        rounds.addAll(List.of(one, scaled));
        pairs.add(new Round[] {one, scaled});
        if (wideWorkers > 0) {
          rounds.add(round(fleet, 1, wideWorkers, ++number, serviceMs, arrivals));
        }
      }
      Journal journal = Journal.check(database, roundsFrom);
      Figures f = new Figures(many + " sidecars against 1 on PostgreSQL, " + n + " users with " + events
          + " events each, Graph service time " + o.text("service-ms", "40") + " ms");
      f.add("setup: Odoo seeded in, s", seedSeconds);
      if (viaApi) {
        f.add("setup: " + n + " sign-ins and first syncs through one sidecar (" + setupThreads + " at a time), s", setupSeconds)
            .add("setup: p50 sign-in / p50 first sync, ms", LatencyBench.percentile(timings.stream().map(t -> t[0]).toList(), 50)
                + " / " + LatencyBench.percentile(timings.stream().map(t -> t[1]).toList(), 50));
      } else {
        f.add("setup: " + n + " accounts filled as a first sync leaves them (" + setupThreads + " at a time), s", setupSeconds)
            .atMost("setup: changes planned by dry runs over " + fill.checked() + " filled accounts", fill.changes(), 0, "");
      }
      for (Round r : rounds) {
        String who = r.serviceMs() + " ms: " + r.sidecars() + " sidecar" + (r.sidecars() > 1 ? "s" : "") + " x " + r.workers() + " workers";
        f.add(who + ": accounts synced / s (" + r.arrived() + " of " + r.accounts() + " in " + Figures.format(r.seconds()) + " s)",
                r.perSecond())
            .add(who + ": first change arrived after, s", r.firstArrivalSeconds())
            .add(who + ": CPU s of sidecars / emulators+driver JVM; machine busy", Figures.format(r.sidecarCpu()) + " / "
                + Figures.format(r.driverCpu()) + "; " + Math.round(r.machineBusy() * 100) + " %")
            .add(who + ": leases held (per sidecar) / highest RSS, MB", r.shares() + " / " + Math.round(r.maxRssMb()));
      }
      for (Round[] p : pairs) {
        f.atLeast(p[0].serviceMs() + " ms: speed-up of " + many + " sidecars over 1", p[1].perSecond() / p[0].perSecond(), 2.5, "x");
      }
      f.atMost("runs of one account overlapping in the journal (" + journal.runs() + " runs of " + journal.accounts()
              + " accounts)", journal.overlaps(), 0, "")
          .atMost("runs of the rounds that planned more than the renamed event's update", journal.strayPlans(), 0, "")
          .atMost("changes that never arrived", rounds.stream().mapToInt(r -> r.accounts() - r.arrived()).sum(), 0, "");
      return f.note("Each round: one event of every user renamed in one Odoo transaction, announced to the sidecars in chunks of "
          + ANNOUNCE_CHUNK + " ids (round-robin, as behind a load balancer); throughput = accounts whose change reached "
          + "Outlook / seconds from the rename to the last arrival (the scheduler's 2 s debounce included). Sidecars: "
          + "`Main serve`, -Xmx512m, lease_seconds " + lease + ", sync_workers as shown; the emulators and the driver run "
          + "in one other JVM; PostgreSQL on the same machine. \"machine busy\" is all CPUs over the round, other "
          + "tenants' load included.");
    } finally {
      TestPostgres.drop(database);
      BenchUsers.delete(dir);
    }
  }

  /** Every user signs in and confirms the first sync, {@code threads} at a time. */
  private static List<long[]> connectAll(ServeProcess sidecar, BenchUsers people, M365Emulator m365, OdooEmulator odoo, int threads)
      throws Exception {
    List<long[]> timings = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < people.count(); i++) {
        int u = i;
        done.add(pool.submit(() -> {
          long t0 = System.nanoTime();
          sidecar.signIn(m365, BenchUsers.DB, people.uid(odoo, u), people.login(u), people.address(u));
          long t1 = System.nanoTime();
          sidecar.syncNow(BenchUsers.DB, people.uid(odoo, u));
          timings.add(new long[] {(t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000});
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      return timings;
    } finally {
      pool.shutdownNow();
    }
  }

  /** What the fill did: accounts checked with a dry run and the changes those planned (-1 for a failed run). */
  private record Fill(int checked, int changes) {}

  /**
   * Every user's account filled in the shared store as a first sync leaves it ({@link FilledAccounts}), 500 users'
   * Odoo side read at a time and {@code threads} accounts at once; then dry runs of 20 accounts spread over them must plan
   * nothing.
   */
  private static Fill fill(BenchUsers people, M365Emulator m365, OdooEmulator odoo, String database, String keys, int threads)
      throws Exception {
    Clock clock = Clock.systemUTC();
    try (Store store = Store.open(io.outlooksync.sidecar.store.Database.open(TestPostgres.url(database), TestPostgres.user(),
        TestPostgres.password(), threads + 2), SecretBox.fromSpec(keys), clock)) {
      MsalApps apps = new MsalApps(store.secrets(), MicrosoftIdentity.at(m365.baseUrl(), "common", CLIENT_ID, CLIENT_SECRET,
          java.net.URI.create(REDIRECT), m365.sslSocketFactory()));
      AccessTokens tokens = new AccessTokens(store, apps);
      GraphClients graphs = GraphClients.builder().baseUrl(m365.graphBaseUrl()).tls(m365.sslSocketFactory(), m365.trustManager()).build();
      XmlRpcOdooGateway gateway = new XmlRpcOdooGateway(OdooConfig.of(odoo.url(), BenchUsers.DB, "sync", "sync-key"));
      gateway.authenticate();
      FilledAccounts filler = new FilledAccounts(store, gateway, new SignIn(store, apps, clock), tokens, graphs, m365, clock);
      List<Long> accounts = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        for (int from = 0; from < people.count(); from += 500) {
          List<FilledAccounts.User> chunk = new ArrayList<>();
          for (int u = from; u < Math.min(people.count(), from + 500); u++) {
            chunk.add(new FilledAccounts.User(BenchUsers.DB, people.uid(odoo, u), people.login(u), people.address(u), people.seededIds(u)));
          }
          Map<Long, FilledAccounts.Odoo> sides = filler.readOdoo(chunk);
          List<Future<Long>> done = new ArrayList<>();
          for (FilledAccounts.User u : chunk) {
            done.add(pool.submit(() -> filler.fill(u, sides.get(u.uid()))));
          }
          for (Future<Long> f : done) {
            accounts.add(f.get());
          }
        }
      } finally {
        pool.shutdownNow();
      }
      SyncRunner runner = new SyncRunner(store, gateway, account -> graphs.gateway("check-" + account.id(), force -> {
        try {
          return tokens.accessToken(account.id(), force);
        } catch (TokenUnavailable e) {
          throw new IllegalStateException(e);
        }
      }), clock);
      int checked = 0;
      int changes = 0;
      for (int i = 0; i < accounts.size(); i += Math.max(1, accounts.size() / 20)) {
        int planned = FilledAccounts.plannedChanges(runner, accounts.get(i));
        changes += planned < 0 ? 1_000_000 : planned;
        checked++;
      }
      return new Fill(checked, changes);
    }
  }

  private static Round round(Sidecars fleet, int count, int workers, int number, int serviceMs, Map<String, Instant> arrivals)
      throws Exception {
    List<ServeProcess> running = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        running.add(fleet.start(i, workers));
      }
      fleet.awaitSettled(running);
      fleet.m365.controls().serviceMillis(serviceMs);
      String marker = "Round " + number + " ";
      long[] cpuBefore = Cpu.ticks(running);
      long[] machineBefore = Cpu.machine();
      Instant renamed = Instant.now();
      List<Long> ids = new ArrayList<>();
      fleet.odoo.database().sudo(env -> {
        for (int u = 0; u < fleet.people.count(); u++) {
          long id = fleet.people.seededIds(u).get(0);
          env.orm().write("calendar.event", List.of((int) id), Map.of("name", marker + "of " + fleet.people.login(u)));
          ids.add(id);
        }
        return null;
      });
      for (int from = 0, chunk = 0; from < ids.size(); from += ANNOUNCE_CHUNK, chunk++) {
        String list = ids.subList(from, Math.min(ids.size(), from + ANNOUNCE_CHUNK)).toString();
        ApiClient.Reply r = running.get(chunk % count).api.post("/api/events/changed",
            "{\"db\": \"" + BenchUsers.DB + "\", \"model\": \"calendar.event\", \"ids\": " + list + "}");
        if (r.status() != 202) {
          throw new IllegalStateException("announcement refused: " + r.status() + " " + r.body());
        }
      }
      int n = fleet.people.count();
      long until = System.nanoTime() + Duration.ofSeconds(120 + n / 2).toNanos();
      while (count(arrivals, marker) < n && System.nanoTime() < until && running.stream().allMatch(s -> s.process.isAlive())) {
        Thread.sleep(100);
      }
      long[] cpuAfter = Cpu.ticks(running);
      long[] machineAfter = Cpu.machine();
      fleet.m365.controls().serviceMillis(0);
      List<Instant> times = arrivals.entrySet().stream().filter(e -> e.getKey().startsWith(marker)).map(Map.Entry::getValue)
          .sorted().toList();
      double seconds = times.isEmpty() ? Double.NaN : Duration.between(renamed, times.get(times.size() - 1)).toMillis() / 1000.0;
      double first = times.isEmpty() ? Double.NaN : Duration.between(renamed, times.get(0)).toMillis() / 1000.0;
      double rss = 0;
      for (ServeProcess s : running) {
        rss = Math.max(rss, s.residentMb());
      }
      return new Round(serviceMs, count, workers, n, times.size(), seconds, first, Cpu.seconds(cpuAfter, cpuBefore, 0, count),
          Cpu.seconds(cpuAfter, cpuBefore, count, count + 1), Cpu.busy(machineBefore, machineAfter), fleet.shares().toString(), rss);
    } finally {
      for (ServeProcess s : running) {
        s.close();
      }
    }
  }

  private static long count(Map<String, Instant> arrivals, String marker) {
    return arrivals.keySet().stream().filter(k -> k.startsWith(marker)).count();
  }

  /** The sidecars of the bench: their environment on the shared store, and what the store says of their leases. */
  private static final class Sidecars {
    final BenchUsers people;
    final M365Emulator m365;
    final OdooEmulator odoo;
    final Path dir;
    final String database;
    final String keys;
    final int lease;
    final List<String> jvm;

    Sidecars(BenchUsers people, M365Emulator m365, OdooEmulator odoo, Path dir, String database, String keys, int lease,
             List<String> jvm) {
      this.jvm = jvm;
      this.people = people;
      this.m365 = m365;
      this.odoo = odoo;
      this.dir = dir;
      this.database = database;
      this.keys = keys;
      this.lease = lease;
    }

    ServeProcess start(int index, int workers) throws Exception {
      Path home = Files.createDirectories(dir.resolve("sidecar-" + index));
      Map<String, String> env = people.sidecarEnv(m365, odoo, home, CLIENT_ID, CLIENT_SECRET, SHARED);
      env.put("OUTLOOK_SYNC_DB_URL", TestPostgres.url(database));
      env.put("OUTLOOK_SYNC_DB_USER", TestPostgres.user());
      if (!TestPostgres.password().isEmpty()) {
        env.put("OUTLOOK_SYNC_DB_PASSWORD", TestPostgres.password());
      }
      env.put("OUTLOOK_SYNC_SECRET_KEYS", keys);
      env.put("OUTLOOK_SYNC_LEASE_SECONDS", Integer.toString(lease));
      env.put("OUTLOOK_SYNC_SYNC_WORKERS", Integer.toString(workers));
      List<String> options = new ArrayList<>(List.of("-Xmx512m"));
      options.addAll(jvm);
      return ServeProcess.start(env, options, SHARED, dir.resolve("sidecar-" + index + ".log"));
    }

    /** Live leases per holder. */
    Map<String, Integer> shares() {
      Map<String, Integer> out = new TreeMap<>();
      try (Connection c = connect(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT holder, count(*) FROM sync_lease WHERE holder IS NOT NULL AND expires_at > now() "
               + "GROUP BY holder")) {
        while (rs.next()) {
          out.put(rs.getString(1).replaceFirst("^[^:]*:", ""), rs.getInt(2));
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return out;
    }

    Connection connect() throws Exception {
      return DriverManager.getConnection(TestPostgres.url(database), TestPostgres.user(), TestPostgres.password());
    }

    /** Every account leased, evenly over the running sidecars, and nothing running or due for 3 s. */
    void awaitSettled(List<ServeProcess> running) throws Exception {
      int n = people.count();
      int fair = (n + running.size() - 1) / running.size();
      long until = System.nanoTime() + Duration.ofMinutes(45).toNanos();
      double lastStarted = -1;
      int quiet = 0;
      while (quiet < 6) {
        if (System.nanoTime() > until) {
          throw new IllegalStateException("the sidecars did not settle: " + shares() + running.get(0).tail(10));
        }
        Map<String, Integer> shares = shares();
        boolean even = shares.size() == running.size() && shares.values().stream().mapToInt(Integer::intValue).sum() == n
            && shares.values().stream().allMatch(v -> v <= fair);
        double started = 0;
        boolean idle = true;
        for (ServeProcess s : running) {
          started += s.metric("outlook_sync_runs_started_total");
          idle &= s.metric("outlook_sync_runs_in_progress") == 0 && s.metric("outlook_sync_accounts_due") == 0;
        }
        quiet = even && idle && started == lastStarted ? quiet + 1 : 0;
        lastStarted = started;
        Thread.sleep(500);
      }
    }
  }

  /** CPU time from /proc: each sidecar's and this JVM's (the emulators and the driver), and the whole machine's. */
  private static final class Cpu {
    /** utime + stime in clock ticks of each process, this JVM last. */
    static long[] ticks(List<ServeProcess> sidecars) throws Exception {
      long[] out = new long[sidecars.size() + 1];
      for (int i = 0; i < sidecars.size(); i++) {
        out[i] = of(sidecars.get(i).process.pid());
      }
      out[sidecars.size()] = of(ProcessHandle.current().pid());
      return out;
    }

    private static long of(long pid) throws Exception {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
    }

    /** Seconds of CPU between two readings, summed over processes [from, to); 100 ticks a second (Linux's USER_HZ). */
    static double seconds(long[] after, long[] before, int from, int to) {
      long sum = 0;
      for (int i = from; i < to; i++) {
        sum += after[i] - before[i];
      }
      return sum / 100.0;
    }

    /** The machine's busy and total ticks (first line of /proc/stat). */
    static long[] machine() throws Exception {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    }

    static double busy(long[] before, long[] after) {
      return (after[0] - before[0]) / (double) Math.max(1, after[1] - before[1]);
    }
  }

  /**
   * The journal's runs on the shared store: any account with two runs whose times overlap? And any run that planned
   * more than the round's one change (an Outlook update of the renamed event): over filled accounts, anything else
   * would be the fill leaving an account out of sync.
   */
  private record Journal(int runs, int accounts, int overlaps, int strayPlans) {
    static Journal check(String database, Instant roundsFrom) throws Exception {
      try (Connection c = DriverManager.getConnection(TestPostgres.url(database), TestPostgres.user(), TestPostgres.password());
           Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT account_id, started_at, finished_at, plan FROM sync_run WHERE NOT dry_run "
               + "ORDER BY account_id, started_at, id")) {
        int stray = 0;
        long lastAccount = -1;
        Instant lastEnd = Instant.MIN;
        int runs = 0;
        int accounts = 0;
        int overlaps = 0;
        while (rs.next()) {
          long account = rs.getLong(1);
          Instant start = rs.getTimestamp(2).toInstant();
          Timestamp end = rs.getTimestamp(3);
          if (account != lastAccount) {
            accounts++;
            lastEnd = Instant.MIN;
          } else if (start.isBefore(lastEnd)) {
            overlaps++;
          }
          lastAccount = account;
          Instant ended = end == null ? Instant.MAX : end.toInstant(); // never finished: overlaps whatever follows
          lastEnd = ended.isAfter(lastEnd) ? ended : lastEnd;
          runs++;
          String plan = rs.getString(4);
          if (plan != null && !start.isBefore(roundsFrom)) {
            com.fasterxml.jackson.databind.JsonNode actions = new com.fasterxml.jackson.databind.ObjectMapper().readTree(plan).path("actions");
            if (actions.size() > 1 || actions.size() == 1 && !"UpdateOutlook".equals(actions.get(0).path("kind").asText())) {
              stray++;
            }
          }
        }
        return new Journal(runs, accounts, overlaps, stray);
      }
    }
  }
}
