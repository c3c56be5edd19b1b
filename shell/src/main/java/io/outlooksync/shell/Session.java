package io.outlooksync.shell;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What commands share: the client, the output, the command table and the last account list (used for
 * completion and to find a user by login).
 */
public final class Session {
  private static final Pattern USER_KEY = Pattern.compile("([A-Za-z0-9_.-]{1,63})/([1-9][0-9]{0,18})");

  private final Api client;
  private final Output out;
  private final Commands commands;
  private volatile List<AccountView> accounts = List.of();
  private volatile List<String> runIds = List.of();
  private boolean quit;
  private Predicate<String> confirmation = question -> true;
  private Mode jshell = () -> {
    throw ShellException.usage("jshell needs the interactive shell on a terminal");
  };

  public Session(Api client, Output out, Commands commands) {
    this.client = client;
    this.out = out;
    this.commands = commands;
  }

  public Api client() {
    return client;
  }

  public Output out() {
    return out;
  }

  public Commands commands() {
    return commands;
  }

  /** The accounts as last fetched; may be empty when the list could not be read. */
  public List<AccountView> accounts() {
    return accounts;
  }

  /** Fetches the account list afresh. */
  public List<AccountView> fetchAccounts() throws ShellException {
    JsonNode list = client.get("/api/accounts").path("accounts");
    List<AccountView> fresh = new ArrayList<>();
    list.forEach(n -> fresh.add(AccountView.of(n)));
    accounts = List.copyOf(fresh);
    return accounts;
  }

  /** For completion: a failure leaves the previous list (a bad secret shows up when a command runs). */
  void refreshAccountsQuietly() {
    try {
      fetchAccounts();
    } catch (ShellException e) {
      // keep what we had
    }
  }

  /** Resolves {@code db/userId} as given, or a login against the fresh account list. */
  public String userPath(String user) throws ShellException {
    Matcher m = USER_KEY.matcher(user);
    if (m.matches()) {
      return "/api/users/" + m.group(1) + "/" + m.group(2);
    }
    if (user.contains("/")) {
      throw ShellException.usage("a user is <db>/<userId> (e.g. prod/7) or an Odoo login; got " + user);
    }
    List<AccountView> found = fetchAccounts().stream().filter(a -> user.equals(a.login())).toList();
    if (found.isEmpty()) {
      throw ShellException.failed("no account with the login " + user + " (`accounts` lists them)");
    }
    if (found.size() > 1) {
      throw ShellException.failed("the login " + user + " has accounts in several databases: say "
          + String.join(" or ", found.stream().map(AccountView::key).toList()));
    }
    return found.get(0).apiPath();
  }

  /** User keys and logins, for completing a user argument. */
  public List<String> userCandidates() {
    List<String> c = new ArrayList<>();
    for (AccountView a : accounts) {
      c.add(a.key());
      if (a.login() != null && !c.contains(a.login())) {
        c.add(a.login());
      }
    }
    return c;
  }

  /** The Odoo event ids of a user's mappings, for completing an event argument; empty when they cannot be read. */
  public List<String> eventIds(String user) {
    try {
      List<String> ids = new ArrayList<>();
      client.get(userPath(user) + "/mappings?limit=500").path("mappings").forEach(m -> {
        if (m.hasNonNull("odoo_event_id")) {
          ids.add(m.get("odoo_event_id").asText());
        }
      });
      return ids;
    } catch (ShellException e) {
      return List.of();
    }
  }

  /** Run ids seen last (`runs`, `sync`, `diff`), for completing a run argument. */
  public List<String> runIds() {
    return runIds;
  }

  public void rememberRuns(List<String> ids) {
    List<String> merged = new ArrayList<>(ids);
    runIds.stream().filter(id -> !merged.contains(id)).forEach(merged::add);
    runIds = List.copyOf(merged.subList(0, Math.min(merged.size(), 50)));
  }

  /**
   * Asks before a sweeping change. Scripts and {@code -c} said what they meant on the command line, so only
   * the interactive shell installs a real question.
   */
  public boolean confirm(String question) {
    return confirmation.test(question);
  }

  void confirmWith(Predicate<String> asker) {
    confirmation = asker;
  }

  /** Something the interactive shell lends a command (the JShell mode needs its terminal). */
  @FunctionalInterface
  public interface Mode {
    void run() throws ShellException;
  }

  /** Enters the JShell mode; only the interactive shell has one. */
  public void enterJShell() throws ShellException {
    jshell.run();
  }

  void jshellWith(Mode mode) {
    jshell = mode;
  }

  public void quit() {
    quit = true;
  }

  public boolean quitting() {
    return quit;
  }
}
