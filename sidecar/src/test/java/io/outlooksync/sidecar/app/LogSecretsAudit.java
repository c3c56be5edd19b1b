package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Greps every log line the sidecar module's tests produced for secrets ({@link SecretScan}): the lines of the
 * sidecar processes the crash test, the fault matrix and the fuzzers started ({@code target/<dir>/*.log}) and
 * those our Log wrote to stderr in the test JVM (surefire's {@code *-output.txt}). It runs in the {@code verify}
 * phase, after the module's tests (its own surefire execution, docs/security.md), so it sees the whole suite.
 */
class LogSecretsAudit {
  @Test
  void noLogLineOfTheSuiteHoldsASecretOrAToken() throws IOException {
    Path target = Path.of("target");
    List<Path> logs;
    try (Stream<Path> files = Files.walk(target, 3)) {
      logs = files.filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().endsWith(".log") || f.getFileName().toString().endsWith("-output.txt"))
          .filter(f -> !f.startsWith(target.resolve("classes")) && !f.startsWith(target.resolve("test-classes")))
          .toList();
    }
    List<String> findings = new ArrayList<>();
    int lines = 0;
    for (Path log : logs) {
      int n = 0;
      for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
        n++;
        if (line.startsWith("ts=")) { // a line of our Log: test code's own prints are not the sidecar's log
          lines++;
          findings.addAll(SecretScan.findIn(line, log + ":" + n));
        }
      }
    }
    System.out.println("LogSecretsAudit: " + lines + " log lines in " + logs.size() + " files");
    assertTrue(lines > 0, "no log line found under target: run the module's tests first (mvn verify does)");
    assertEquals(List.of(), findings.subList(0, Math.min(20, findings.size())), findings.size() + " finding(s)");
  }
}
