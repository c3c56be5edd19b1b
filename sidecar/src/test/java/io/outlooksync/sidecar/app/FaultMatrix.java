package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.fixtures.m365.Controls;
import io.outlooksync.fixtures.odoo.OdooFault;
import io.outlooksync.fixtures.odoo.Outage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The fault matrix: each fault hurts a real sidecar process ({@link SyncBench}) while it syncs alice's two
 * calendars, twice (during the first sync, then during the sync of edits made on both sides); then the fault is
 * lifted and the account must converge: each event once on each side with every edit, mappings one to one, no
 * mail twice, nothing left pending or parked, a last run that changes nothing, and an account status that said
 * what happened while it lasted and is clean afterwards.
 *
 * <p>Two forms ({@link Form}): SHORT runs in {@code mvn verify} with small calendars and compressed outages;
 * FULL ({@code sidecar/bin/outlook-sync-faults --full}) uses 2,000 events and the real durations. docs/reliability.md
 * has the figures.
 */
final class FaultMatrix {
  /** Sizes and durations of one form of the matrix. */
  enum Form {
    SHORT(40, Duration.ofSeconds(5), Duration.ofSeconds(5), 0),
    FULL(2000, Duration.ofSeconds(60), Duration.ofMinutes(5), 20);

    final int events;
    final Duration networkCut;
    final Duration odooDown;
    final int kills;

    Form(int events, Duration networkCut, Duration odooDown, int kills) {
      this.events = events;
      this.networkCut = networkCut;
      this.odooDown = odooDown;
      this.kills = kills;
    }

    static Form of(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  /** What one fault did: its name, how long it took, what the account status showed while it lasted. */
  record Outcome(String fault, Form form, int events, long millis, List<String> observed) {
    String row() {
      return "| " + fault + " | " + events + " | " + millis / 1000 + " s | " + String.join("; ", observed) + " |";
    }
  }

  /** A fault: put on, and lifted. {@code hold} is how long it lasts once on (zero: until the run it hurt ended). */
  interface Hurt {
    void on() throws Exception;

    void off() throws Exception;

    default Duration hold() {
      return Duration.ZERO;
    }
  }

  /** The faults, by name, as the runner and the docs name them. */
  static final List<String> FAULTS = List.of("kill-9", "429-storm", "5xx-20pct", "connection-resets", "network-cut", "odoo-down",
      "odoo-faults", "revoked-refresh-token", "delta-expired-mid-round", "clock-skew", "disk-full");

  private final Form form;
  private final Path dir;
  private final long seed;

  FaultMatrix(Form form, Path dir, long seed) {
    this.form = form;
    this.dir = dir;
    this.seed = seed;
  }

  /** Runs one fault on a bench of its own and checks that everything converged. */
  Outcome run(String fault) throws Exception {
    long began = System.nanoTime();
    List<String> observed = new ArrayList<>();
    Path here = Files.createDirectories(dir.resolve(fault));
    Clock odooClock = fault.equals("clock-skew") ? Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)) : Clock.systemUTC();
    try (SyncBench b = new SyncBench(here, seed, odooClock, "faults", fault)) {
      b.syncTimeout = Duration.ofSeconds(form == Form.FULL ? 900 : 120);
      switch (fault) {
        case "kill-9" -> killRepeatedly(b, form.events / 2, form.kills * 3 / 5, form.kills - form.kills * 3 / 5, observed);
        case "429-storm" -> twice(b, graphControls(b,
            c -> c.requestsPerWindow(form == Form.FULL ? 100 : 25).rateWindowSeconds(3).maxInFlightPerMailbox(1)),
            observed);
        case "5xx-20pct" -> twice(b, graphControls(b, c -> c.serverErrorRate(0.2)), observed);
        case "connection-resets" -> twice(b, graphControls(b, c -> c.resetBeforeRate(0.1).resetAfterRate(0.1)), observed);
        case "network-cut" -> networkCut(b, observed);
        case "odoo-down" -> twice(b, odooDown(b), observed);
        case "odoo-faults" -> twice(b, odooFaults(b), observed);
        case "revoked-refresh-token" -> twice(b, revoked(b), observed);
        // Enough events for a round of several pages (100 a page), so that the tokens expire in the middle of one.
        case "delta-expired-mid-round" -> twice(b, Math.max(form.events, 400), new Hurt() {
          @Override
          public void on() {
            b.m365.expireDeltaTokens(SyncBench.ALICE);
          }

          @Override
          public void off() {}
        }, observed);
        case "clock-skew" -> {
          b.m365.controls().clockOffsetSeconds(600);
          observed.add("Graph +10 min, Odoo -10 min from the sidecar throughout");
          twice(b, graphControls(b, c -> c), observed);
        }
        case "disk-full" -> diskFull(b, observed);
        default -> throw new IllegalArgumentException("no fault " + fault);
      }
    }
    int events = fault.equals("delta-expired-mid-round") ? Math.max(form.events, 400) : form.events;
    return new Outcome(fault, form, events, (System.nanoTime() - began) / 1_000_000, observed);
  }

  // ---------------------------------------------------------------- the shape most faults share

  /**
   * Seeds both calendars, connects alice, hurts the first sync, lifts the fault and syncs to the end; edits both
   * sides and does the same again; then a quiet run and every check.
   */
  private void twice(SyncBench b, Hurt hurt, List<String> observed) throws Exception {
    twice(b, form.events, hurt, observed);
  }

  private void twice(SyncBench b, int events, Hurt hurt, List<String> observed) throws Exception {
    b.seedBothCalendars(events / 2, events / 2);
    b.startSidecar();
    b.connectAlice();
    hurtASync(b, hurt, "first sync (fault from its start)", false, observed);
    b.editBothSides("");
    hurtASync(b, hurt, "edits (fault mid-run)", true, observed);
    settle(b, observed);
  }

  /**
   * Asks for a sync with the services slowed, puts the fault on while it runs, keeps it on for its hold, lifts
   * it, and syncs until a run succeeds. Records what the account status said while the fault was on.
   */
  private void hurtASync(SyncBench b, Hurt hurt, String phase, boolean midRun, List<String> observed) throws Exception {
    // Slow enough for a fault put on after a short delay to land inside the run's reads and writes.
    b.slowServices(20, Duration.ofMillis(30));
    CompletableFuture<java.net.http.HttpResponse<String>> reply;
    if (midRun) {
      reply = b.requestSync();
      Thread.sleep(50 + b.random.nextInt(150));
      hurt.on();
    } else {
      hurt.on();
      reply = b.requestSync();
    }
    // A fault that lasts a while is lifted on time whatever the run does meanwhile (it may wait on the fault).
    CompletableFuture<Void> lifted = hurt.hold().isZero() ? null : CompletableFuture.runAsync(() -> {
      try {
        Thread.sleep(hurt.hold().toMillis());
        hurt.off();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    java.net.http.HttpResponse<String> r = reply.get(b.syncTimeout.toSeconds() + hurt.hold().toSeconds(), TimeUnit.SECONDS);
    JsonNode during = b.status();
    if (lifted == null) {
      hurt.off();
    } else {
      lifted.get();
    }
    b.slowServices(false);
    boolean busy = r.statusCode() == 409 && r.body().contains("\"busy\"");
    boolean failed = !busy && (r.statusCode() != 200 || !ApiClient.JSON.readTree(r.body()).path("succeeded").asBoolean());
    String said = during.has("error") ? "answered " + during.path("error").path("code").asText() + " \""
        + during.path("error").path("message").asText() + "\""
        : "state " + during.path("state").asText() + ", last run " + during.path("last_run").path("status").asText("-")
        + (during.path("last_error").isNull() ? "" : ", last_error \"" + during.path("last_error").asText() + "\"");
    observed.add(phase + ": run " + (busy ? "refused as busy (a scheduled run held the account)" : failed ? "failed (HTTP "
        + r.statusCode() + ")" : "succeeded") + ", status " + said);
    assertTrue(r.statusCode() < 500 || r.statusCode() == 503, "Sync now never answers an internal error: " + r.body() + b.context());
    if (failed) {
      assertTrue(during.has("error") || !during.path("last_error").isNull() || !"CONNECTED".equals(during.path("state").asText()),
          "a failed run shows in the account status: " + during + b.context());
    }
    JsonNode run = b.syncUntilSucceeded(5);
    observed.add(phase + " converged (" + run.path("changes").asInt() + " changes in the last run)");
  }

  /** A last run changes nothing, the status is clean, and every check of the bench holds. */
  private void settle(SyncBench b, List<String> observed) throws Exception {
    JsonNode quiet = b.syncToTheEnd();
    b.assertSucceeds(quiet);
    assertEquals(0, quiet.get("changes").asInt(), "a run after everything is in sync changes nothing: " + quiet + b.context());
    JsonNode after = b.status();
    assertEquals("CONNECTED", after.path("state").asText(), after.toString());
    assertTrue(after.path("last_error").isNull(), "no error left once converged: " + after);
    assertEquals(0, after.path("parked").size(), "nothing parked: " + after);
    b.assertConverged();
    observed.add("converged: " + b.expectedTitles.size() + " events once on each side, 0 duplicates, 0 lost");
  }

  // ---------------------------------------------------------------- the faults

  private static Hurt graphControls(SyncBench b, java.util.function.UnaryOperator<Controls> set) {
    return new Hurt() {
      @Override
      public void on() {
        set.apply(b.m365.controls());
      }

      @Override
      public void off() {
        Controls c = b.m365.controls();
        c.requestsPerWindow(10_000).rateWindowSeconds(600).maxInFlightPerMailbox(4).serverErrorRate(0).resetBeforeRate(0)
            .resetAfterRate(0);
      }
    };
  }

  private Hurt odooDown(SyncBench b) {
    return new Hurt() {
      @Override
      public void on() {
        b.odooEmulator.outage(Outage.REFUSED);
      }

      @Override
      public void off() {
        b.odooEmulator.outage(Outage.NONE);
      }

      @Override
      public Duration hold() {
        return form.odooDown;
      }
    };
  }

  private static Hurt odooFaults(SyncBench b) {
    return new Hurt() {
      @Override
      public void on() {
        b.odooEmulator.controls().failNext(3, OdooFault.serverError("psycopg2.errors.SerializationFailure",
            "could not serialize access due to concurrent update"));
      }

      @Override
      public void off() {
        b.odooEmulator.controls().failNext(0, null);
      }
    };
  }

  /** The user's refresh token is revoked (a password reset): the account needs the user; the user signs in again. */
  private static Hurt revoked(SyncBench b) {
    return new Hurt() {
      @Override
      public void on() {
        b.m365.revokeRefreshTokens(SyncBench.ALICE);
        b.m365.expireAccessTokens(SyncBench.ALICE);
      }

      @Override
      public void off() throws Exception {
        JsonNode s = b.status();
        assertEquals("NEEDS_REAUTH", s.path("state").asText(), "a revoked token puts the account in NEEDS_REAUTH: " + s);
        b.connectAlice();
      }
    };
  }

  /** Graph and Odoo behind relays whose network is cut mid-sync for the form's duration, twice. */
  private void networkCut(SyncBench b, List<String> observed) throws Exception {
    int graphPort = java.net.URI.create(b.m365.graphBaseUrl()).getPort();
    int odooPort = java.net.URI.create(b.odooEmulator.url()).getPort();
    try (CutProxy graph = new CutProxy(graphPort); CutProxy odoo = new CutProxy(odooPort)) {
      b.graphUrl = graph.in(b.m365.graphBaseUrl(), graphPort);
      b.odooUrl = odoo.in(b.odooEmulator.url(), odooPort);
      twice(b, new Hurt() {
        @Override
        public void on() {
          graph.cut();
          odoo.cut();
        }

        @Override
        public void off() {
          graph.heal();
          odoo.heal();
        }

        @Override
        public Duration hold() {
          return form.networkCut;
        }
      }, observed);
    }
  }

  /**
   * The data directory on a small tmpfs of its own, filled up while a sync runs; then room is made again. Needs
   * root (mount); elsewhere the fault is reported as not run, saying why.
   */
  private void diskFull(SyncBench b, List<String> observed) throws Exception {
    Files.createDirectories(b.dataDir);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + (form == Form.FULL ? 256 : 64) + "m", "tmpfs",
        b.dataDir.toString()).redirectErrorStream(true).start();
    String said = new String(mount.getInputStream().readAllBytes());
    if (mount.waitFor() != 0) {
      observed.add("not run: cannot mount a tmpfs here (" + said.strip() + "); run the matrix as root");
      org.junit.jupiter.api.Assumptions.abort("disk-full needs to mount a tmpfs (root): " + said.strip());
    }
    Path filler = b.dataDir.resolve("filler");
    try {
      twice(b, new Hurt() {
        @Override
        public void on() throws IOException {
          fill(filler);
          observed.add("filled: " + Files.getFileStore(filler).getUsableSpace() + " bytes left");
        }

        @Override
        public void off() throws Exception {
          // Killed while the disk is full, so that nothing the store kept only in memory survives, then room made.
          if (b.sidecar != null) {
            b.kill();
          }
          Files.deleteIfExists(filler);
          b.startSidecar();
        }
      }, observed);
    } finally {
      if (b.sidecar != null) {
        b.kill();
      }
      new ProcessBuilder("umount", "-l", b.dataDir.toString()).start().waitFor();
    }
  }

  /** Writes until the file system refuses: no space left. */
  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left")) {
        throw full;
      }
    }
  }

  /**
   * SIGKILL at seeded random points: {@code whileCreating} times during the first sync of {@code perSide} events
   * per side, {@code whileEditing} times during the sync of edits; restarted on the same data each time.
   */
  static void killRepeatedly(SyncBench b, int perSide, int whileCreating, int whileEditing, List<String> observed) throws Exception {
    b.seedBothCalendars(perSide, perSide);
    b.startSidecar();
    b.connectAlice();
    b.slowServices(true);
    boolean caughtUp = false;
    for (int i = 0; i < whileCreating; i++) {
      caughtUp |= b.syncAndKill("create-" + i, caughtUp);
    }
    b.slowServices(false);
    b.assertSucceeds(b.syncToTheEnd());
    b.editBothSides("");
    b.slowServices(true);
    caughtUp = false;
    for (int i = 0; i < whileEditing; i++) {
      caughtUp |= b.syncAndKill("edit-" + i, caughtUp);
    }
    b.slowServices(false);
    b.assertSucceeds(b.syncToTheEnd());
    JsonNode quiet = b.syncToTheEnd();
    b.assertSucceeds(quiet);
    assertEquals(0, quiet.get("changes").asInt(), "a run after everything is in sync changes nothing: " + quiet + b.context());
    JsonNode after = b.status();
    assertTrue(after.path("last_error").isNull(), "no error left once converged: " + after);
    b.assertConverged();
    long cut = b.killLog.stream().filter(k -> !k.endsWith("(the run had already ended)")).count();
    observed.add((whileCreating + whileEditing) + " kills (" + cut + " inside a run)");
    try (io.outlooksync.sidecar.store.Database db = io.outlooksync.sidecar.store.Database.embedded(b.dataDir)) {
      observed.add("journal: runs by status " + SyncBench.runsByStatus(db));
    }
    observed.add("converged: " + b.expectedTitles.size() + " events once on each side, 0 duplicates, 0 lost");
  }
}
