package io.outlooksync.sidecar.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sidecar/bin/outlook-sync-bench NAME [--option value ...]}: runs one benchmark against the emulators and
 * prints its figures with the machine they ran on (docs/benchmarks.md). Exits 1 when a figure misses its bound.
 * Benchmarks are test code: never part of {@code mvn verify} (only {@code BenchHarnessTest}'s small smoke runs).
 */
public final class Bench {
  /** Every benchmark by name. Another benchmark is one more entry here. */
  static final Map<String, Benchmark> ALL = new LinkedHashMap<>();

  static {
    ALL.put("push", new PushBench());
    ALL.put("import", new ImportBench());
    ALL.put("import-real", new io.outlooksync.sidecar.odoo.RealOdooImportBench());
    ALL.put("idle", new IdleBench());
    ALL.put("memory", new io.outlooksync.sidecar.app.MemoryBench());
    ALL.put("users", new io.outlooksync.sidecar.app.UsersBench());
    ALL.put("latency", new io.outlooksync.sidecar.app.LatencyBench());
    ALL.put("scaleout", new io.outlooksync.sidecar.app.ScaleBench());
  }

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !ALL.containsKey(args[0])) {
      System.err.println("usage: outlook-sync-bench NAME [--option value ...]; NAME is one of:");
      ALL.forEach((name, b) -> System.err.println("  " + name + ": " + b.describe()));
      System.exit(2);
    }
    Machine machine = Machine.now();
    Figures figures = ALL.get(args[0]).run(BenchOptions.parse(args, 1));
    System.out.println();
    System.out.println("## " + figures.benchmark());
    System.out.println();
    System.out.print(figures.markdown(machine));
    System.exit(figures.met() ? 0 : 1);
  }
}
