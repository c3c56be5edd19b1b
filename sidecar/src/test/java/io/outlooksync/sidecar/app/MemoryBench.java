package io.outlooksync.sidecar.app;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.TestLogin;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.sidecar.bench.BenchOptions;
import io.outlooksync.sidecar.bench.BenchWorld;
import io.outlooksync.sidecar.bench.Benchmark;
import io.outlooksync.sidecar.bench.Figures;
import io.outlooksync.sidecar.bench.ImportSeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Issue #8, "memory stays flat with the number of events": for each size N, a mailbox of N new Outlook events
 * imported by one user's first sync in a sidecar process of its own ({@code Main serve} with the launcher's heap
 * and a GC log; the emulators stay in this JVM, so their data is not counted), then a run with nothing changed. The
 * figures: the sidecar's heap in use after each collection during the run, at its highest, and the run's time.
 */
public final class MemoryBench implements Benchmark {
  private static final String CLIENT_ID = "6d0b1c2a-3e4f-4a5b-9c8d-7e6f5a4b3c21";
  private static final String CLIENT_SECRET = "memory-bench-secret";
  private static final String SHARED = "memory-bench-shared-secret-0123456789";
  /** A unified-logging GC line: "... GC(12) Pause Young (Normal) (G1 Evacuation Pause) 45M->12M(64M) 3.456ms". */
  private static final Pattern AFTER = Pattern.compile("GC\\(\\d+\\) Pause.* (\\d+)M->(\\d+)M\\((\\d+)M\\)");

  @Override
  public String describe() {
    return "memory --sizes 5000,20000,50000 --serve-opts -Xmx256m: a sidecar process's heap over a first sync of N Outlook events";
  }

  @Override
  public Figures run(BenchOptions o) throws Exception {
    List<String> serveOpts = List.of(o.text("serve-opts", "-Xmx256m").trim().split("\\s+"));
    Figures f = new Figures("heap of a sidecar process over a first sync as the mailbox grows (Outlook events imported into the "
        + "emulated Odoo)");
    for (String size : o.text("sizes", "5000,20000,50000").split(",")) {
      int n = Integer.parseInt(size.trim());
      long[] first;
      long[] idle;
      Path dir = Files.createTempDirectory("outlook-sync-bench-memory");
      BenchUsers people = BenchUsers.of(1);
      try (M365Emulator m365 = M365Emulator.builder().mailboxes(people.addresses()).app(CLIENT_ID, CLIENT_SECRET)
          .app(TestLogin.CLIENT_ID, TestLogin.SECRET).start();
           OdooEmulator odoo = people.odoo().build().start()) {
        // All in the sync window (two years ahead by default), however many.
        Duration apart = Duration.ofDays(700).dividedBy(n);
        BenchWorld.seedMailbox(m365, people.address(0), outlook -> ImportSeed.seed(outlook, n, 0, apart, ZoneOffset.UTC));
        Map<String, String> env = people.sidecarEnv(m365, odoo, dir, CLIENT_ID, CLIENT_SECRET, SHARED);
        Path gcLog = dir.resolve("gc.log");
        List<String> jvm = new ArrayList<>(serveOpts);
        jvm.add("-Xlog:gc:file=" + gcLog);
        try (ServeProcess sidecar = ServeProcess.start(env, jvm, SHARED, dir.resolve("sidecar.log"))) {
          long uid = people.uid(odoo, 0);
          sidecar.signIn(m365, BenchUsers.DB, uid, people.login(0), people.address(0));
          first = measured(sidecar, uid, gcLog);
          idle = measured(sidecar, uid, gcLog);
          boolean failed = sidecar.api.get("/metrics").body().lines()
              .anyMatch(l -> l.startsWith("outlook_sync_runs_finished_total{") && l.contains("failed") && !l.endsWith(" 0"));
          if (failed) {
            throw new IllegalStateException("a run failed:" + sidecar.tail(20));
          }
        }
      } finally {
        BenchUsers.delete(dir);
      }
      f.add(n + " events: first sync, heap in use before it / at most during it (full collections every second) / highest "
              + "after any collection, MB", first[0] + " / " + first[1] + " / " + first[2])
          .add(n + " events: first sync, s (collections)", Figures.format(first[4] / 1000.0) + " (" + first[3] + ")")
          .add(n + " events: run with nothing changed, the same, MB", idle[0] + " / " + idle[1] + " / " + idle[2])
          .add(n + " events: run with nothing changed, s (collections)", Figures.format(idle[4] / 1000.0) + " (" + idle[3] + ")");
    }
    return f.note("The sidecar runs as `Main serve` with " + String.join(" ", serveOpts) + " and its GC log. Before each run "
        + "`jcmd PID GC.run` gives the heap in use at the start; during the run the benchmark asks for a full collection every "
        + "second, and the most any of them left is what the run kept alive at its fullest (sampled). The highest heap after "
        + "any collection is an upper bound: G1's young collections leave the old generation's garbage in it. Past 500 new "
        + "Outlook events a run sets them aside in a file; the journal keeps a run's input and plan up to 4,000,000 and "
        + "1,500,000 characters.");
  }

  /**
   * Sync now for the user, after a full collection: the heap in use after that collection, the most a full collection
   * during the run left, the highest after any collection (MB); the collections; the run's time (ms).
   */
  private static long[] measured(ServeProcess sidecar, long uid, Path gcLog) throws Exception {
    Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
    fullCollection(jcmd, sidecar.process.pid());
    Thread.sleep(200);
    List<String> atStart = lines(gcLog);
    long baseline = -1;
    for (String line : atStart) {
      Matcher m = AFTER.matcher(line);
      if (m.find() && line.contains("Pause Full")) {
        baseline = Long.parseLong(m.group(2));
      }
    }
    int before = atStart.size();
    // A full collection every second while the run goes on: what it leaves is what the run keeps alive then.
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          fullCollection(jcmd, sidecar.process.pid());
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    long started = System.nanoTime();
    sampler.start();
    try {
      try {
        sidecar.syncNow(BenchUsers.DB, uid, Duration.ofMinutes(20));
      } catch (IllegalStateException e) {
        // The data directory goes with the benchmark: the reply alone rarely says enough.
        throw new IllegalStateException(e.getMessage() + sidecar.tail(40), e);
      }
    } finally {
      sampler.interrupt();
      sampler.join();
    }
    long ms = (System.nanoTime() - started) / 1_000_000;
    Thread.sleep(200); // the log is written as collections end
    List<String> during = lines(gcLog);
    long peak = 0;
    long live = 0;
    long collections = 0;
    for (String line : during.subList(Math.min(before, during.size()), during.size())) {
      Matcher m = AFTER.matcher(line);
      if (m.find()) {
        long after = Long.parseLong(m.group(2));
        peak = Math.max(peak, after);
        if (line.contains("Pause Full")) {
          live = Math.max(live, after);
        }
        collections++;
      }
    }
    return new long[] {baseline, live, peak, collections, ms};
  }

  private static void fullCollection(Path jcmd, long pid) throws Exception {
    Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true).start();
    gc.getInputStream().readAllBytes();
    gc.waitFor();
  }

  private static List<String> lines(Path file) throws Exception {
    if (!Files.exists(file)) {
      return List.of();
    }
    try (Stream<String> lines = Files.lines(file)) {
      return lines.toList();
    }
  }
}
