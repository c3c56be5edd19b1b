package io.outlooksync.shell.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.shell.AccountView;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Output;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code sync <user> [--dry-run]}: runs one sync through the API and, while it runs, follows the run's progress
 * lines in the sidecar's log ({@code GET /api/logs?account=ID}). {@code diff <user>} is the dry run shown as a
 * plan.
 */
public final class SyncCommand implements Command {
  /** A run of one account takes seconds; a first run of a big calendar, minutes. */
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);
  private final boolean diff;

  private SyncCommand(boolean diff) {
    this.diff = diff;
  }

  public static SyncCommand sync() {
    return new SyncCommand(false);
  }

  public static SyncCommand diff() {
    return new SyncCommand(true);
  }

  @Override
  public String name() {
    return diff ? "diff" : "sync";
  }

  @Override
  public String usage() {
    return diff ? "diff <user>" : "sync <user> [--dry-run]";
  }

  @Override
  public String summary() {
    return diff ? "what a sync would do now: the plan, with the e-mails it would cause (a dry run)"
        : "sync a user now, with live progress; --dry-run changes nothing";
  }

  @Override
  public String help() {
    return diff
        ? "Runs a dry run of the user's sync (nothing is written, nobody is mailed, no cursor moves) and prints its\n"
            + "plan: each change with the Odoo and Outlook ids it touches and why, the notes (skipped events,\n"
            + "conflicts), and the e-mails Outlook would send. The dry run is journaled like any run (`runs`)."
        : "Runs one sync of the user now and prints its progress as the sidecar logs it (started, planned,\n"
            + "finished), then what it did: actions by kind, e-mails, errors. The account must be CONNECTED and sync\n"
            + "not paused. Ctrl-C stops watching; the run itself goes on in the sidecar (`runs <user>`).\n"
            + "--dry-run  plan only: nothing is written, nobody is mailed (`diff` shows the plan)";
  }

  @Override
  public List<String> candidates(List<String> before, Session session) {
    return before.isEmpty() ? session.userCandidates() : diff ? List.of() : List.of("--dry-run");
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Flags f = Flags.parse(this, args, diff ? Set.of() : Set.of("--dry-run"), Set.of());
    Args.exactly(this, f.words, 1);
    boolean dryRun = diff || f.has("--dry-run");
    String userPath = session.userPath(f.words.get(0));
    AccountView account = AccountView.of(session.client().get(userPath + "/status"));
    Output out = session.out();
    JsonNode result = diff ? session.client().post(userPath + "/sync", "{\"dry_run\": true}", RUN_TIMEOUT)
        : withProgress(session, account, userPath, dryRun);
    session.rememberRuns(List.of(result.path("run_id").asText()));
    if (diff) {
      out.println("dry run " + result.path("run_id").asText() + " of " + account.key() + " (nothing was written):");
      out.println("");
      PlanView.print(session.client().get("/api/runs/" + result.path("run_id").asText()).path("plan"), out);
      return;
    }
    StringBuilder counts = new StringBuilder();
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) () -> result.path("counts").fields()) {
      counts.append(counts.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().asInt());
    }
    out.println((dryRun ? "dry run " : "run ") + result.path("run_id").asText() + ": " + result.path("changes").asInt() + " change(s)"
        + (counts.length() == 0 ? "" : " (" + counts + ")") + ", e-mails " + result.path("mail").path("count").asInt()
        + (dryRun ? " forecast" : ""));
    JsonNode errors = result.path("errors");
    if (errors.size() > 0) {
      errors.forEach(e -> out.println("  " + out.style(e.asText(), Output.Style.RED)));
      throw ShellException.failed(errors.size() + " action(s) failed; `run " + result.path("run_id").asText() + "` shows the plan");
    }
  }

  /** The run in a thread of its own; this one follows the account's log lines until it ends. */
  private static JsonNode withProgress(Session session, AccountView account, String userPath, boolean dryRun) throws ShellException {
    long cursor = session.client().get("/api/logs?limit=0").path("next").asLong();
    CompletableFuture<JsonNode> run = CompletableFuture.supplyAsync(() -> {
      try {
        return session.client().post(userPath + "/sync", dryRun ? "{\"dry_run\": true}" : "{}", RUN_TIMEOUT);
      } catch (ShellException e) {
        throw new Failed(e);
      }
    });
    Output out = session.out();
    try {
      while (true) {
        boolean last = run.isDone();
        JsonNode slice = session.client().get("/api/logs?after=" + cursor + "&account=" + account.id() + "&wait=" + (last ? 0 : 1));
        slice.path("lines").forEach(l -> out.println("  " + out.style(TailCommand.progress(l.path("line").asText()), Output.Style.DIM)));
        cursor = slice.path("next").asLong();
        if (last) {
          break;
        }
      }
      return run.get();
    } catch (ShellException e) {
      run.cancel(true);
      if ("cancelled".equals(e.getMessage())) {
        throw ShellException.failed("stopped watching; the run goes on in the sidecar (`runs " + account.key() + "` shows it)");
      }
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ShellException.failed("stopped watching; the run goes on in the sidecar");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Failed failed) {
        throw failed.reason;
      }
      throw ShellException.failed("the run could not be followed: " + e.getCause());
    }
  }

  /** Carries a ShellException out of the run's thread. */
  private static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient ShellException reason;

    Failed(ShellException reason) {
      super(reason.getMessage(), null, false, false);
      this.reason = reason;
    }
  }
}
