package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.odoo.EventParties;
import io.outlooksync.sidecar.odoo.OdooGateway;
import io.outlooksync.sidecar.odoo.OdooUser;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.AccountState;
import io.outlooksync.sidecar.store.Store;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which connected accounts an announced change concerns. Odoo's announcements name records; their events are
 * read in one call for organizer and attendees, matched against the connected users, and the events' mappings
 * add the accounts that synced them before (an attendee removed, an event deleted). Graph's notifications name
 * the mailbox in their resource path. What matches nobody is dropped: the fallback interval finds every change
 * anyway, so a miss here only delays a run.
 */
public final class ChangeRouter {
  /** The Odoo gateway for a database, if the sidecar serves it and its settings are known. */
  @FunctionalInterface
  public interface OdooFor {
    Optional<OdooGateway> gateway(String db);
  }

  private static final Pattern USER_SEGMENT = Pattern.compile("^/?users(?:\\('([^'/]+)'\\)|/([^/]+))", Pattern.CASE_INSENSITIVE);

  private static final Logger LOG = LoggerFactory.getLogger(ChangeRouter.class);

  private final Store store;
  private final OdooFor odoo;
  /** Partner of each account's Odoo user: stable, so read once per account. */
  private final Map<Long, Long> partners = new ConcurrentHashMap<>();

  public ChangeRouter(Store store, OdooFor odoo) {
    this.store = store;
    this.odoo = odoo;
  }

  /**
   * The connected accounts of database {@code db} that records {@code ids} of {@code model} (calendar.event,
   * calendar.attendee or calendar.recurrence) concern. Odoo unreachable or not served: the mapped accounts only.
   */
  public Set<Long> odooChanged(String db, String model, Collection<Long> ids) throws SQLException {
    List<Account> accounts = new ArrayList<>();
    for (Account a : store.accounts().all()) {
      if (a.state() == AccountState.CONNECTED && a.odooDb().equals(db)) {
        accounts.add(a);
      }
    }
    Set<Long> out = new TreeSet<>();
    if (accounts.isEmpty()) {
      return out;
    }
    Set<Long> eventIds = new TreeSet<>();
    if (model.equals("calendar.event")) {
      eventIds.addAll(ids);
    }
    OdooGateway gateway = null;
    List<EventParties> parties = List.of();
    try {
      gateway = odoo.gateway(db).orElse(null);
      if (gateway != null) {
        parties = gateway.eventParties(model, ids);
      }
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).addKeyValue("db", db).addKeyValue("model", model).addKeyValue("ids", ids.size())
          .log("Odoo cannot say whom the announced events concern; only the accounts that synced them run now");
    }
    parties.forEach(p -> eventIds.add(p.eventId()));
    Set<Long> inDb = new TreeSet<>();
    accounts.forEach(a -> inDb.add(a.id()));
    for (long id : store.mappings().accountsOfOdooEvents(eventIds)) {
      if (inDb.contains(id)) {
        out.add(id);
      }
    }
    if (parties.isEmpty()) {
      return out;
    }
    Map<Long, Long> partnerOf;
    try {
      partnerOf = partnersOf(gateway, accounts);
    } catch (RuntimeException e) {
      partnerOf = partners; // the partners known so far; organizers match without them
      LOG.atWarn().setCause(e).addKeyValue("db", db).log("Odoo cannot say which partner each connected user is");
    }
    for (EventParties p : parties) {
      for (Account a : accounts) {
        Long partner = partnerOf.get(a.id());
        if (Long.valueOf(a.odooUserId()).equals(p.organizerUserId()) || partner != null && p.partnerIds().contains(partner)) {
          out.add(a.id());
        }
      }
    }
    return out;
  }

  private Map<Long, Long> partnersOf(OdooGateway gateway, List<Account> accounts) {
    List<Long> unknownUsers = new ArrayList<>();
    for (Account a : accounts) {
      if (!partners.containsKey(a.id())) {
        unknownUsers.add(a.odooUserId());
      }
    }
    if (!unknownUsers.isEmpty()) {
      Map<Long, Long> byUser = new ConcurrentHashMap<>();
      for (OdooUser u : gateway.users(unknownUsers)) {
        byUser.put(u.id(), u.partnerId());
      }
      for (Account a : accounts) {
        Long p = byUser.get(a.odooUserId());
        if (p != null) {
          partners.put(a.id(), p);
        }
      }
    }
    return partners;
  }

  /**
   * The connected account whose mailbox each Graph resource path names, for those that name one:
   * {@code Users/{user object id}/Events/...} (the id Microsoft's sign-in gives as the first part of the home
   * account id) or {@code users/{address}/...}.
   */
  public Map<String, Long> graphChanged(Collection<String> resources) throws SQLException {
    Map<String, Long> byMailbox = new HashMap<>();
    for (Account a : store.accounts().all()) {
      if (a.state() == AccountState.CONNECTED) {
        String home = a.msHomeAccountId();
        if (home != null) {
          byMailbox.put((home.contains(".") ? home.substring(0, home.indexOf('.')) : home).toLowerCase(Locale.ROOT), a.id());
        }
        if (a.msUsername() != null) {
          byMailbox.put(a.msUsername().toLowerCase(Locale.ROOT), a.id());
        }
      }
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (String resource : resources) {
      String user = mailboxOf(resource);
      Long account = user == null ? null : byMailbox.get(user.toLowerCase(Locale.ROOT));
      if (account != null) {
        out.put(resource, account);
      }
    }
    return out;
  }

  /**
   * The account of each subscription id this store knows (the sidecar made it), when that account is connected; a
   * known subscription of another account maps to null (routed nowhere, not by its resource either).
   */
  public Map<String, Long> graphSubscriptions(Collection<String> subscriptionIds) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String id : new java.util.LinkedHashSet<>(subscriptionIds)) {
      Optional<io.outlooksync.sidecar.store.GraphSubscriptions.Row> row = id == null ? Optional.empty() : store.subscriptions().byId(id);
      if (row.isPresent()) {
        Optional<Account> a = store.accounts().get(row.get().accountId());
        out.put(id, a.isPresent() && a.get().state() == AccountState.CONNECTED ? a.get().id() : null);
      }
    }
    return out;
  }

  /** The user segment of {@code Users/{id}/Events/...} or {@code Users('{id}')/Events('...')}; null for others. */
  static String mailboxOf(String resource) {
    if (resource == null) {
      return null;
    }
    Matcher m = USER_SEGMENT.matcher(resource);
    return m.find() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
  }
}
