package io.outlooksync.sidecar.bench;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.TestLogin;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooUser;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import io.outlooksync.sidecar.store.Database;
import io.outlooksync.sidecar.store.SecretBox;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.sync.SyncRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The world a benchmark runs in: the Microsoft 365 emulator with one mailbox per user, the Odoo emulator (database
 * prod, service user sync) with the same users, a store with every user's account connected, and each mailbox's
 * Graph gateway from one {@link GraphClients}, as one sidecar has them. The store is the embedded HSQLDB in a
 * fresh directory unless a {@link Database} is given (PostgreSQL, for several sidecars).
 */
public final class BenchWorld implements AutoCloseable {
  static final String DB = "prod";

  /** One connected user: mailbox, Odoo user and partner, account, and Graph gateway. */
  record User(String address, long uid, long partnerId, long accountId, GraphGateway outlook) {}

  final M365Emulator m365;
  final OdooEmulator odooEmulator;
  final XmlRpcOdooGateway odoo;
  final Store store;
  final GraphClients graphClients;
  final List<User> users;
  private final Path dir;
  private final Map<Long, GraphGateway> byAccount = new HashMap<>();

  private BenchWorld(int userCount, Database database) throws Exception {
    dir = Files.createTempDirectory("outlook-sync-bench");
    List<String> addresses = new ArrayList<>();
    OdooEmulator.Builder odooBuilder = OdooEmulator.builder().database(DB)
        .user(OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").email("sync@example.com").asAdmin());
    for (int i = 1; i <= userCount; i++) {
      String login = "user" + i;
      addresses.add(login + "@example.com");
      odooBuilder.user(OdooUser.of(login, login + "-pw").name("User " + i).email(login + "@example.com").tz("Europe/Brussels"));
    }
    m365 = M365Emulator.builder().mailboxes(addresses).start();
    odooEmulator = odooBuilder.build().start();
    odoo = new XmlRpcOdooGateway(OdooConfig.of(odooEmulator.url(), DB, "sync", "sync-key"));
    odoo.authenticate();
    store = Store.open(database != null ? database : Database.embedded(dir.resolve("data")),
        SecretBox.fromSpec(SecretBox.newKeyLine("k1")), Clock.systemUTC());
    graphClients = GraphClients.builder().baseUrl(m365.graphBaseUrl()).tls(m365.sslSocketFactory(), m365.trustManager()).build();
    List<User> made = new ArrayList<>();
    for (int i = 1; i <= userCount; i++) {
      String login = "user" + i;
      String address = addresses.get(i - 1);
      long uid = odooEmulator.uid(login);
      long account = store.accounts().ensure(DB, uid, login).id();
      store.accounts().connected(account, "home-" + login, address, m365.tenantId());
      TestLogin.Tokens tokens = TestLogin.signIn(m365, address);
      GraphGateway gateway = graphClients.gateway(address, force -> tokens.accessToken());
      byAccount.put(account, gateway);
      made.add(new User(address, uid, odoo.user(uid).partnerId(), account, gateway));
    }
    users = List.copyOf(made);
  }

  static BenchWorld start(int users) throws Exception {
    return new BenchWorld(users, null);
  }

  static BenchWorld start(int users, Database database) throws Exception {
    return new BenchWorld(users, database);
  }

  User user(int index) {
    return users.get(index);
  }

  /** A runner as the sidecar wires one: each account with its own mailbox's gateway. */
  SyncRunner runner() {
    return new SyncRunner(store, odoo, a -> byAccount.get(a.id()), Clock.systemUTC());
  }

  /**
   * Writes a mailbox's starting content at full speed: Outlook's request budget (the emulator's and the gateway's)
   * is lifted for it, since 20,000 seeded events would otherwise wait out two 10-minute windows before timing.
   * Afterwards the emulator's clock is 11 minutes later (access tokens last an hour).
   */
  void seedOutlook(User user, java.util.function.Consumer<GraphGateway> seeding) throws Exception {
    seedMailbox(m365, user.address(), seeding);
  }

  /**
   * Writes a mailbox at full speed through a client without our per-mailbox budget (as Outlook's own apps wrote it
   * over the years); the emulator's clock then moves past its rate window, so a timed run starts with Outlook's
   * whole budget, as for a mailbox written long before.
   */
  public static void seedMailbox(M365Emulator m365, String address, java.util.function.Consumer<GraphGateway> seeding)
      throws Exception {
    int budget = m365.controls().requestsPerWindow();
    m365.controls().requestsPerWindow(Integer.MAX_VALUE);
    try {
      GraphClients unlimited = GraphClients.builder().baseUrl(m365.graphBaseUrl()).tls(m365.sslSocketFactory(), m365.trustManager())
          .requestBudget(Integer.MAX_VALUE, java.time.Duration.ofMinutes(10)).build();
      TestLogin.Tokens tokens = TestLogin.signIn(m365, address);
      seeding.accept(unlimited.gateway(address, force -> tokens.accessToken()));
    } finally {
      m365.controls().requestsPerWindow(budget);
      m365.controls().clockOffsetSeconds(m365.controls().clockOffsetSeconds() + m365.controls().rateWindowSeconds() + 60);
      m365.requestLog().clear();
    }
  }

  /** Graph's service time for every request and batch step from now on (setup ran at full speed). */
  void serviceMillis(long millis) {
    m365.controls().serviceMillis(millis);
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() throws Exception {
    try {
      store.close();
    } finally {
      odooEmulator.close();
      m365.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
