package io.outlooksync.shell;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The admin API for JShell snippets, bound to the shell's sidecar as the variable {@code admin}: the same calls
 * as the commands, answers as Jackson trees. Failures are unchecked ({@link Failed}), so snippets and lambdas
 * need no try blocks. Example: {@code admin.mappings("alice").findValues("title")}.
 */
public final class Admin {
  private static volatile Admin bound;

  private final Session session;

  Admin(Session session) {
    this.session = session;
  }

  /** The instance the JShell mode binds to {@code admin}. */
  public static Admin bound() {
    return bound;
  }

  static void bind(Admin admin) {
    bound = admin;
  }

  /** A failed call: the sidecar's error code and request id are in the message. */
  public static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failed(ShellException e) {
      super(e.getMessage());
    }
  }

  /** Any GET of the API, e.g. {@code admin.get("/api/status")}. */
  public JsonNode get(String path) {
    try {
      return session.client().get(path);
    } catch (ShellException e) {
      throw new Failed(e);
    }
  }

  /** Any POST of the API with a JSON body, e.g. {@code admin.post("/api/pause", "")}. */
  public JsonNode post(String path, String json) {
    try {
      return session.client().post(path, json);
    } catch (ShellException e) {
      throw new Failed(e);
    }
  }

  public List<JsonNode> accounts() {
    List<JsonNode> out = new ArrayList<>();
    get("/api/accounts").path("accounts").forEach(out::add);
    return out;
  }

  /** A user's status; {@code user} is {@code db/userId} or a login, as in the commands. */
  public JsonNode account(String user) {
    return get(path(user) + "/status");
  }

  public JsonNode mappings(String user) {
    return get(path(user) + "/mappings?limit=5000");
  }

  public JsonNode runs(String user) {
    return get(path(user) + "/runs?limit=100");
  }

  /** One run with its whole recorded input. */
  public JsonNode run(long runId) {
    return get("/api/runs/" + runId + "?inputs=true");
  }

  public JsonNode replay(long runId) {
    return get("/api/runs/" + runId + "/replay");
  }

  private String path(String user) {
    try {
      return session.userPath(user);
    } catch (ShellException e) {
      throw new Failed(e);
    }
  }

  @Override
  public String toString() {
    return "admin API of " + session.client().base() + " (get, post, accounts, account, mappings, runs, run, replay)";
  }
}
