package io.outlooksync.sidecar.app;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.TestLogin;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooUser;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The people of the process benchmarks ({@link LatencyBench}, {@link ScaleBench}): users {@code user1..userN}
 * with a mailbox each and an Odoo login in database {@code prod}, where the sidecar acts as service user
 * {@code sync}; each user's Odoo calendar seeded with a few meetings they organize and attend alone.
 */
final class BenchUsers {
  static final String DB = "prod";

  private final int count;
  private final List<List<Long>> seeded = new ArrayList<>();

  private BenchUsers(int count) {
    this.count = count;
  }

  static BenchUsers of(int count) {
    return new BenchUsers(count);
  }

  int count() {
    return count;
  }

  String login(int i) {
    return "user" + (i + 1);
  }

  String address(int i) {
    return login(i) + "@example.com";
  }

  List<String> addresses() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(address(i));
    }
    return out;
  }

  long uid(OdooEmulator odoo, int i) {
    return odoo.uid(login(i));
  }

  /** The Odoo emulator's builder with the service user and every user. */
  OdooEmulator.Builder odoo() {
    OdooEmulator.Builder b = OdooEmulator.builder().database(DB)
        .user(OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").email("sync@example.com").asAdmin());
    for (int i = 0; i < count; i++) {
      b.user(OdooUser.of(login(i), login(i) + "-pw").name("User " + (i + 1)).email(address(i)).tz("Europe/Brussels"));
    }
    return b;
  }

  /** {@code events} meetings per user from tomorrow 09:00, one a day, created 500 to a call; returns the gateway. */
  XmlRpcOdooGateway seed(OdooEmulator odoo, int events) {
    XmlRpcOdooGateway gateway = new XmlRpcOdooGateway(OdooConfig.of(odoo.url(), DB, "sync", "sync-key"));
    gateway.authenticate();
    Instant first = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS).plus(9, ChronoUnit.HOURS);
    List<Long> uids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      uids.add(uid(odoo, i));
    }
    // The users' partners in pages of 500 (one call each), not a call per user.
    Map<Long, Long> partners = new java.util.HashMap<>();
    gateway.users(uids).forEach(u -> partners.put(u.id(), u.partnerId()));
    List<OdooEventDraft> batch = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      seeded.add(new ArrayList<>());
      long uid = uids.get(i);
      long partner = partners.get(uid);
      for (int e = 0; e < events; e++) {
        Instant start = first.plus(e, ChronoUnit.DAYS);
        batch.add(OdooEventDraft.timed("Meeting " + (e + 1) + " of " + login(i), start, start.plus(1, ChronoUnit.HOURS))
            .withOrganizer(uid).withPartners(List.of(partner)));
        owners.add(i);
      }
      if (batch.size() >= 500 || i == count - 1) {
        List<Long> ids = gateway.createEvents(batch);
        for (int k = 0; k < ids.size(); k++) {
          seeded.get(owners.get(k)).add(ids.get(k));
        }
        batch.clear();
        owners.clear();
      }
    }
    return gateway;
  }

  /** The Odoo ids of user {@code i}'s seeded meetings. */
  List<Long> seededIds(int i) {
    return seeded.get(i);
  }

  /** A sidecar's environment wired to both emulators (embedded store in {@code dir} unless a db_url is added). */
  Map<String, String> sidecarEnv(M365Emulator m365, OdooEmulator odoo, Path dir, String clientId, String clientSecret,
                                 String shared) throws IOException {
    Map<String, String> env = Demo.wiredTo(m365, dir, clientId, clientSecret, shared);
    env.put("OUTLOOK_SYNC_ODOO_URL", odoo.url());
    env.put("OUTLOOK_SYNC_ODOO_DB", DB);
    env.put("OUTLOOK_SYNC_ODOO_LOGIN", "sync");
    env.put("OUTLOOK_SYNC_ODOO_API_KEY", "sync-key");
    return env;
  }

  /** Each user's own Outlook: Graph through another app's token, as Outlook itself edits the mailbox. */
  List<GraphGateway> userOutlooks(M365Emulator m365) throws Exception {
    GraphClients clients = GraphClients.builder().baseUrl(m365.graphBaseUrl()).tls(m365.sslSocketFactory(), m365.trustManager()).build();
    List<GraphGateway> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String token = TestLogin.signIn(m365, address(i)).accessToken();
      out.add(clients.gateway("outlook-of-" + login(i), force -> token));
    }
    return out;
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
