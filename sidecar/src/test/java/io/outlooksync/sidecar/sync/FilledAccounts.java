package io.outlooksync.sidecar.sync;

import io.outlooksync.fixtures.m365.Browser;
import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.sidecar.auth.AccessTokens;
import io.outlooksync.sidecar.auth.SignIn;
import io.outlooksync.sidecar.auth.TokenUnavailable;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Mapping;
import io.outlooksync.sidecar.core.Reconciler;
import io.outlooksync.sidecar.core.SyncOptions;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.DeltaPage;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.graph.WriteResult;
import io.outlooksync.sidecar.odoo.Mapped;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooGateway;
import io.outlooksync.sidecar.odoo.OdooUser;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.DeltaState;
import io.outlooksync.sidecar.store.Store;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bench setup at scale: an account left as its first sync leaves it (docs/sync.md), without running that sync
 * per account. The user signs in through the sidecar's own {@link SignIn} (the emulator's authorize answers
 * {@code login_hint} at once, so no page), so the token cache is msal4j's own, encrypted in the store; the Odoo
 * events are read in bulk and mapped as a run maps them; their Outlook copies are created through Graph with the
 * very drafts and transaction ids a run sends; the mappings hold both snapshots as a run writes them (Outlook's
 * read back from the create); the delta link comes from a delta round over the run's window after the creates,
 * and the Odoo watermark is the newest write date of the user's events. A run over a filled account then finds
 * nothing to do, which {@link #plannedChanges} checks with a dry run.
 */
public final class FilledAccounts {
  /** One user to fill: their Odoo login and mailbox, and their Odoo events (all organized by them). */
  public record User(String db, long uid, String login, String address, List<Long> odooEventIds) {}

  private final Store store;
  private final OdooGateway odoo;
  private final SignIn signIn;
  private final AccessTokens tokens;
  private final GraphClients graphs;
  private final Browser browser;
  private final Clock clock;

  public FilledAccounts(Store store, OdooGateway odoo, SignIn signIn, AccessTokens tokens, GraphClients graphs, M365Emulator m365,
                        Clock clock) {
    this.store = store;
    this.odoo = odoo;
    this.signIn = signIn;
    this.tokens = tokens;
    this.graphs = graphs;
    this.browser = new Browser(m365);
    this.clock = clock;
  }

  /**
   * The Odoo side of a group of users, read as a run reads it, in one round of calls for all of them (so
   * thousands of users cost tens of Odoo calls): each user's events in their mailbox's terms, and the watermark.
   */
  public Map<Long, Odoo> readOdoo(List<User> users) {
    List<Long> ids = new ArrayList<>();
    List<Long> uids = new ArrayList<>();
    users.forEach(u -> {
      ids.addAll(u.odooEventIds());
      uids.add(u.uid());
    });
    List<OdooEvent> events = odoo.events(ids).items();
    Map<Long, OdooEvent> byId = new HashMap<>();
    events.forEach(e -> byId.put(e.id(), e));
    Map<Long, OdooUser> owners = new HashMap<>();
    odoo.users(uids).forEach(o -> owners.put(o.id(), o));
    OdooSide.Read read = new OdooSide(odoo).read(events);
    Map<Long, Odoo> out = new HashMap<>();
    for (User u : users) {
      OdooUser owner = owners.get(u.uid());
      MailboxIdentity identity = new MailboxIdentity(owner.email(), u.address(), owner.partnerId());
      Map<Long, CalEvent> content = new java.util.LinkedHashMap<>();
      Instant watermark = Instant.EPOCH;
      for (long id : u.odooEventIds()) {
        OdooEvent e = byId.get(id);
        Mapped<CalEvent> mapped = read.events().get(id);
        if (e == null || mapped == null || mapped.value() == null) {
          throw new IllegalStateException("Odoo event " + id + " of " + u.login() + " cannot be read or mapped");
        }
        content.put(id, identity.read(mapped.value(), e.userId() != null && e.userId() == owner.id()));
        watermark = e.writeDate().isAfter(watermark) ? e.writeDate() : watermark;
      }
      out.put(u.uid(), new Odoo(content, watermark));
    }
    return out;
  }

  /** A user's Odoo events as the mailbox sees them, by id, and the watermark a first run would store. */
  public record Odoo(Map<Long, CalEvent> content, Instant watermark) {}

  /** Signs the user in, writes their Outlook copies and the sync state; returns the account id. */
  public long fill(User u, Odoo side) throws Exception {
    URI authorize = signIn.start(u.db(), u.uid(), u.login(), u.address());
    Map<String, String> back = browser.signIn(authorize, u.address()).redirect();
    Account account = signIn.complete(back.get("code"), back.get("state"));
    long id = account.id();
    GraphGateway graph = graphs.gateway("fill-" + id, force -> {
      try {
        return tokens.accessToken(id, force);
      } catch (TokenUnavailable e) {
        throw new IllegalStateException(e);
      }
    });
    SyncOptions options = RunSettings.DEFAULTS.optionsAt(clock.instant(), UserOptions.read(store, id, RunSettings.DEFAULTS));
    List<GraphWrite> writes = new ArrayList<>();
    List<Long> order = new ArrayList<>();
    side.content().forEach((odooId, content) -> {
      writes.add(new GraphWrite.Create(CoreMapping.toDraft(content, options.quiet(), u.db() + ":" + odooId),
          Reconciler.id("create-outlook", u.address(), odooId)));
      order.add(odooId);
    });
    List<WriteResult> results = graph.write(writes);
    List<Mapping> mappings = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      WriteResult r = results.get(i);
      if (!r.done() || r.event() == null) {
        throw new IllegalStateException("Outlook refused the copy of Odoo event " + order.get(i) + ": " + r.status() + " " + r.httpStatus());
      }
      CalEvent content = side.content().get(order.get(i));
      mappings.add(new Mapping(0, id, order.get(i), r.id(), r.event().iCalUId(), r.changeKey(), null, null, Snapshots.write(content),
          Snapshots.withQuiet(Snapshots.write(CoreMapping.toCore(r.event())), options.quiet() && content.isMeeting()), null, null));
    }
    DeltaPage page = graph.firstPage(options.windowStart(), options.windowEnd(), 100);
    while (!page.last()) {
      page = graph.nextPage(page.nextLink(), 100);
    }
    store.mappings().saveAll(mappings);
    store.deltaStates().save(new DeltaState(id, options.windowStart(), options.windowEnd(), page.deltaLink(), null));
    store.settings().put(SyncRunner.watermarkKey(id), side.watermark().toString());
    UserOptions.confirmFirstSync(store, id);
    store.accounts().recordSync(id, clock.instant());
    return id;
  }

  /** Changes a dry run of the account plans (0 for an account left in sync); -1 when the run failed. */
  public static int plannedChanges(SyncRunner runner, long accountId) throws Exception {
    SyncRunner.RunResult r = runner.run(accountId, "fill-check", true);
    return r.succeeded() ? (int) r.changes() : -1;
  }
}
