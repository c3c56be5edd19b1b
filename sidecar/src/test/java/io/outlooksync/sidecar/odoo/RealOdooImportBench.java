package io.outlooksync.sidecar.odoo;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.TestLogin;
import io.outlooksync.sidecar.bench.BenchOptions;
import io.outlooksync.sidecar.bench.Benchmark;
import io.outlooksync.sidecar.bench.Figures;
import io.outlooksync.sidecar.bench.ImportSeed;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.store.Database;
import io.outlooksync.sidecar.store.SecretBox;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.sync.SyncRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The import figure against a real Odoo 18 ({@code ODOO_HOME_18} or {@code ODOO_HOME}, started for the run as the
 * contract tests start it): a mailbox of N Outlook events, 20 of them weekly series, brought into Odoo by one run.
 */
public final class RealOdooImportBench implements Benchmark {
  @Override
  public String describe() {
    return "import-real --events 5000 --series 20 --service-ms 40: as import, into a real Odoo 18 (ODOO_HOME)";
  }

  @Override
  public Figures run(BenchOptions o) throws Exception {
    String home = System.getenv().getOrDefault("ODOO_HOME_18", System.getenv("ODOO_HOME"));
    if (home == null) {
      throw new IllegalStateException("set ODOO_HOME (or ODOO_HOME_18) to an Odoo 18 source tree");
    }
    int n = o.integer("events", 5000);
    int series = o.integer("series", 20);
    int serviceMs = o.integer("service-ms", 40);
    Path dir = Files.createTempDirectory("outlook-sync-bench-real");
    String address = "alice@example.com";
    try (RealOdoo odooServer = RealOdoo.start(Path.of(home), 18);
         M365Emulator m365 = M365Emulator.builder().mailboxes(address).start();
         Store store = Store.open(Database.embedded(dir.resolve("data")), SecretBox.fromSpec(SecretBox.newKeyLine("k1")), Clock.systemUTC())) {
      long uid = odooServer.createUser("alice", "Alice", address, "Europe/Brussels");
      XmlRpcOdooGateway odoo = new XmlRpcOdooGateway(odooServer.serviceConfig());
      odoo.authenticate();
      long partner = odoo.user(uid).partnerId();
      long account = store.accounts().ensure(odooServer.database(), uid, "alice").id();
      store.accounts().connected(account, "home-alice", address, m365.tenantId());
      TestLogin.Tokens tokens = TestLogin.signIn(m365, address);
      GraphGateway outlook = GraphClients.builder().baseUrl(m365.graphBaseUrl()).tls(m365.sslSocketFactory(), m365.trustManager()).build()
          .gateway(address, force -> tokens.accessToken());
      ImportSeed.seed(outlook, n - series, series);
      m365.controls().serviceMillis(serviceMs);
      SyncRunner runner = new SyncRunner(store, odoo, a -> outlook, Clock.systemUTC());
      long started = System.nanoTime();
      SyncRunner.RunResult result = runner.run(account, "bench", false);
      double wall = (System.nanoTime() - started) / 1e9;
      int created = result.counts().getOrDefault("CreateInOdoo", 0);
      Map<String, Integer> byName = new HashMap<>();
      java.util.Set<Long> seriesInOdoo = new java.util.HashSet<>();
      for (OdooEvent e : odoo.eventsOfUserChangedSince(partner, uid, Instant.EPOCH, 0, n * 2).items()) {
        if (e.recurrenceId() == null) {
          byName.merge(e.name(), 1, Integer::sum); // a series' occurrences share its name
        } else {
          seriesInOdoo.add(e.recurrenceId());
        }
      }
      long duplicates = byName.values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
      SyncRunner.RunResult again = runner.run(account, "bench", false);
      return new Figures("import " + n + " Outlook events (" + series + " of them weekly series) into " + odooServer.describe()
          + " (--service-ms " + serviceMs + ")")
          .add("single events created in Odoo", created)
          .add("series created in Odoo (recurrences holding events)", result.counts().getOrDefault("CreateSeriesInOdoo", 0)
              + " (" + seriesInOdoo.size() + ")")
          .add("items skipped", result.counts().getOrDefault("Skip", 0))
          .atMost("run errors", result.errors().size(), 0, "")
          .add("wall, s", wall)
          .add("events per second", created / wall)
          .atMost("duplicates in Odoo (single events)", duplicates, 0, "")
          .atMost("changes planned by a second run", again.changes(), 0, "")
          .note("Odoo runs with one worker (--workers=0) on the same machine, its PostgreSQL too.");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
