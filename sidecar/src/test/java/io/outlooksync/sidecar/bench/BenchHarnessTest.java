package io.outlooksync.sidecar.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The benchmarks at toy sizes, so the harness cannot rot between the runs whose figures go into
 * docs/benchmarks.md. Nothing here is timed: the figures are checked for what they count, not how fast.
 */
class BenchHarnessTest {
  private static String value(Figures f, String name) {
    return f.figures().stream().filter(x -> x.name().startsWith(name)).findFirst().orElseThrow(() -> new AssertionError(name)).value();
  }

  @Test
  void pushCountsItsRequestsAndFindsNoDuplicates() throws Exception {
    Figures f = new PushBench().run(new BenchOptions().with("events", 45).with("service-ms", 0));
    assertEquals("45", value(f, "events created in Outlook"));
    assertEquals("0", value(f, "duplicates in Outlook"));
    assertEquals("4", value(f, "HTTP requests to Graph"), "one delta page, three batches");
    assertEquals("0", value(f, "changes planned by a second run"));
    assertTrue(f.markdown(Machine.now()).contains("| wall |"));
  }

  @Test
  void importCreatesTheSinglesInOdooOnce() throws Exception {
    Figures f = new ImportBench().run(new BenchOptions().with("events", 42).with("series", 2).with("service-ms", 0));
    assertEquals("40", value(f, "single events created in Odoo"));
    assertEquals("0", value(f, "duplicates in Odoo"));
    assertEquals("2 (2)", value(f, "series created in Odoo"));
    assertEquals("0", value(f, "run errors"));
    assertEquals("0", value(f, "changes planned by a second run"));
  }

  @Test
  void idleCountsOneDeltaRequestPerRun() throws Exception {
    Figures f = new IdleBench().run(new BenchOptions().with("users", 2).with("events", 3).with("minutes", 0.05).with("speed", 900));
    assertEquals("1", value(f, "Graph requests of one idle run"));
    assertEquals("4", value(f, "computed: per run"));
  }
}
