package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.TestLogin;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooUser;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.graph.WriteResult;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import io.outlooksync.sidecar.store.Database;
import io.outlooksync.sidecar.store.SecretBox;
import io.outlooksync.sidecar.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Alice's account on both emulators, as the sync tests start it: an Odoo emulator (database prod, service user
 * sync, users alice and bob), a store in {@code dataDir} with alice's account connected, and her Outlook
 * calendar through the Graph client, signed in at the Microsoft 365 emulator.
 */
public final class EmulatedAccount implements AutoCloseable {
  public static final String ALICE = "alice@example.com";
  public static final String BOB = "bob@example.com";
  static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

  final OdooEmulator odooEmulator;
  final XmlRpcOdooGateway odoo;
  final Store store;
  final GraphGateway outlook;
  final long account;
  final long aliceUid;
  final long alicePartner;

  EmulatedAccount(M365Emulator m365, Path dataDir) throws Exception {
    odooEmulator = OdooEmulator.builder().database("prod")
        .user(OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").email("sync@example.com").asAdmin())
        .user(OdooUser.of("alice", "alice-pw").name("Alice").email(ALICE).tz("Europe/Brussels"))
        .user(OdooUser.of("bob", "bob-pw").name("Bob").email(BOB).tz("Europe/Brussels"))
        .build().start();
    odoo = new XmlRpcOdooGateway(OdooConfig.of(odooEmulator.url(), "prod", "sync", "sync-key"));
    odoo.authenticate();
    aliceUid = odooEmulator.uid("alice");
    alicePartner = odoo.user(aliceUid).partnerId();
    store = Store.open(Database.embedded(dataDir), SecretBox.fromSpec(SecretBox.newKeyLine("k1")), Clock.systemUTC());
    account = store.accounts().ensure("prod", aliceUid, "alice").id();
    store.accounts().connected(account, "home-alice", ALICE, "tenant");
    TestLogin.Tokens tokens = TestLogin.signIn(m365, ALICE);
    outlook = GraphClients.builder().baseUrl(m365.graphBaseUrl()).tls(m365.sslSocketFactory(), m365.trustManager()).build()
        .gateway(ALICE, force -> tokens.accessToken());
  }

  /** A meeting alice organizes in Odoo, with her and {@code attendees} (partners made as needed) attending. */
  long odooMeeting(String title, Instant start, String... attendees) {
    List<Long> partners = new ArrayList<>(List.of(alicePartner));
    if (attendees.length > 0) {
      partners.addAll(odoo.partnersByEmail(List.of(attendees), true).values());
    }
    return odoo.createEvents(List.of(OdooEventDraft.timed(title, start, start.plusSeconds(3600))
        .withOrganizer(aliceUid).withPartners(partners))).get(0);
  }

  /** {@code n} one-hour events alice organizes and alone attends, an hour apart from {@code first}: "title 0", "title 1"... */
  List<OdooEventDraft> hourly(String title, Instant first, int n) {
    List<OdooEventDraft> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant start = first.plus(i, ChronoUnit.HOURS);
      out.add(OdooEventDraft.timed(title + " " + i, start, start.plus(1, ChronoUnit.HOURS)).withOrganizer(aliceUid)
          .withPartners(List.of(alicePartner)));
    }
    return out;
  }

  /** A half-hour event of alice's own, written to Outlook through Graph. */
  GraphEvent outlookEvent(String title, Instant start) {
    CalEvent c = new CalEvent(title, When.timed(start, start.plusSeconds(1800), BRUSSELS), null, null, null, null, null, null, null, null);
    WriteResult r = outlook.write(List.of(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "test-" + title))).get(0);
    assertTrue(r.done(), r.toString());
    return outlook.event(r.id()).orElseThrow();
  }

  /** A mailbox's calendar as a full delta round sees it (30 days back, 300 ahead), cancelled events left out. */
  public static List<GraphEvent> outlookEvents(GraphGateway outlook) {
    return io.outlooksync.sidecar.graph.CalendarRound.events(outlook, Instant.now().minus(30, ChronoUnit.DAYS),
        Instant.now().plus(300, ChronoUnit.DAYS));
  }


  public static boolean hasTitle(GraphGateway outlook, String title) {
    return outlookEvents(outlook).stream().anyMatch(e -> title.equals(e.subject()));
  }

  @Override
  public void close() throws Exception {
    store.close();
    odooEmulator.close();
  }
}
