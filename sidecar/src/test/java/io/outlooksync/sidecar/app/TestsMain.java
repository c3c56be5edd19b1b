package io.outlooksync.sidecar.app;

import java.io.PrintWriter;
import java.util.Arrays;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs test classes by name on the JUnit launcher, outside a build: the long runs (the full fault matrix, the
 * soak) from a class path saved once, while the build is free for other work. Exit status 1 when a test failed.
 */
public final class TestsMain {
  private TestsMain() {}

  public static void main(String[] classNames) {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(Arrays.stream(classNames).map(DiscoverySelectors::selectClass).toList()).build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launcher.execute(request, summary);
    TestExecutionSummary s = summary.getSummary();
    PrintWriter out = new PrintWriter(System.out, true);
    s.printTo(out);
    s.printFailuresTo(out, 40);
    System.exit(s.getTotalFailureCount() == 0 ? 0 : 1);
  }
}
