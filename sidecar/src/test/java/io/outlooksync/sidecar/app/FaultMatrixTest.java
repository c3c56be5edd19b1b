package io.outlooksync.sidecar.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@link FaultMatrix}, one dynamic test per fault. In {@code mvn verify} the SHORT form (kill -9 is left
 * to {@link CrashSafetyTest}, which already runs there); {@code -Dfaults.form=full} runs the FULL form (what
 * {@code sidecar/bin/outlook-sync-faults --full} does), {@code -Dfaults.only=a,b} some faults, {@code
 * -Dfaults.seed=N} repeats a run. Each fault's figures go to {@code target/faults/report-<form>.md}.
 */
class FaultMatrixTest {
  static final FaultMatrix.Form FORM = FaultMatrix.Form.of(System.getProperty("faults.form", "short"));
  static final long SEED = Long.getLong("faults.seed", System.nanoTime());
  static final List<FaultMatrix.Outcome> OUTCOMES = new ArrayList<>();

  @TempDir
  static Path dir;

  @TestFactory
  Stream<DynamicTest> everyFaultConverges() {
    System.out.println("FaultMatrixTest " + FORM + " seed " + SEED + " (repeat with -Dfaults.seed=" + SEED + ")");
    String only = System.getProperty("faults.only", "");
    List<String> faults = FaultMatrix.FAULTS.stream()
        .filter(f -> only.isBlank() ? FORM == FaultMatrix.Form.FULL || !f.equals("kill-9") : Arrays.asList(only.split(",")).contains(f))
        .toList();
    return faults.stream().map(f -> DynamicTest.dynamicTest(f, () -> {
      FaultMatrix.Outcome o = new FaultMatrix(FORM, dir, SEED).run(f);
      System.out.println("fault " + o.row());
      synchronized (OUTCOMES) {
        OUTCOMES.add(o);
      }
    }));
  }

  @AfterAll
  static void report() throws Exception {
    Path report = Files.createDirectories(Path.of("target", "faults")).resolve("report-" + FORM.name().toLowerCase() + ".md");
    StringBuilder sb = new StringBuilder("\n## " + FORM + " form, seed " + SEED + ", " + java.time.Instant.now() + "\n\n"
        + "| fault | events | time | what happened |\n|---|---|---|---|\n");
    OUTCOMES.forEach(o -> sb.append(o.row()).append('\n'));
    Files.writeString(report, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.println("fault matrix report: " + report.toAbsolutePath());
  }
}
