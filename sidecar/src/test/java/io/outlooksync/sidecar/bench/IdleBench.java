package io.outlooksync.sidecar.bench;

import io.outlooksync.fixtures.m365.RequestLog;
import io.outlooksync.sidecar.sync.ScheduleSettings;
import io.outlooksync.sidecar.sync.SyncRunner;
import io.outlooksync.sidecar.sync.SyncScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue #8's idle figure: Graph requests per user per hour when nothing changes. Users with a few synced events
 * each are left to the real scheduler. Measured in two ways, both printed:
 * <ul>
 *   <li>one idle run per user, counted at the emulator, times the fallback runs per hour (60 / 15 min);</li>
 *   <li>the scheduler running for {@code --minutes} real minutes with every duration of its schedule divided by
 *   {@code --speed} (60: the 15-minute fallback every 15 s, an hour in a minute), requests counted at the emulator
 *   and scaled back to an hour. The catch-up run at start-up is left out (it follows a restart, not idleness).</li>
 * </ul>
 * Graph change notifications are not part of this measure: without subscriptions the fallback is all there is.
 */
final class IdleBench implements Benchmark {
  @Override
  public String describe() {
    return "idle --users 20 --events 20 --minutes 2 --speed 60: Graph requests per user per hour with nothing changing";
  }

  @Override
  public Figures run(BenchOptions o) throws Exception {
    int users = o.integer("users", 20);
    int events = o.integer("events", 20);
    double minutes = Double.parseDouble(o.text("minutes", "2"));
    int speed = o.integer("speed", 60);
    try (BenchWorld world = BenchWorld.start(users)) {
      SyncRunner runner = world.runner();
      for (BenchWorld.User u : world.users) {
        PushBench.seed(world, u, events);
        check(runner.run(u.accountId(), "bench first sync", false));
        check(runner.run(u.accountId(), "bench settle", false)); // our own creates come back in the delta once
      }
      world.m365.requestLog().clear();
      for (BenchWorld.User u : world.users) {
        check(runner.run(u.accountId(), "bench idle", false));
      }
      double perRun = (double) world.m365.requestLog().entries().stream().filter(e -> !e.inBatch()).count() / users;
      Duration interval = ScheduleSettings.DEFAULT_INTERVAL;
      double runsPerHour = Duration.ofHours(1).toMillis() / (double) interval.toMillis();

      ScheduleSettings fast = ScheduleSettings.defaults().withInterval(interval.dividedBy(speed));
      AtomicInteger runs = new AtomicInteger();
      long measured;
      double elapsedMinutes;
      try (SyncScheduler scheduler = new SyncScheduler(world.store, () -> Optional.of(runner), fast, Clock.systemUTC(),
          new SyncScheduler.Listener() {
            @Override
            public void finished(long accountId, io.outlooksync.sidecar.sync.Trigger trigger, boolean succeeded) {
              runs.incrementAndGet();
            }
          }).start()) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (runs.get() < users && System.nanoTime() < deadline) {
          Thread.sleep(50); // the catch-up run of every account at start-up
        }
        world.m365.requestLog().clear();
        runs.set(0);
        long started = System.nanoTime();
        Thread.sleep((long) (minutes * 60_000));
        List<RequestLog.Entry> log = world.m365.requestLog().entries();
        elapsedMinutes = (System.nanoTime() - started) / 60e9;
        measured = log.stream().filter(e -> !e.inBatch()).count();
      }
      double scaledHours = elapsedMinutes * speed / 60;
      double perUserHour = measured / (double) users / scaledHours;
      return new Figures("idle: Graph requests per user per hour, " + users + " users with " + events + " events each")
          .add("Graph requests of one idle run, per user", perRun)
          .atMost("computed: per run x " + Figures.format(runsPerHour) + " fallback runs per hour", perRun * runsPerHour, 4, "")
          .add("scheduler runs counted (" + Figures.format(elapsedMinutes) + " real minutes at " + speed + "x = "
              + Figures.format(scaledHours) + " h)", runs.get())
          .atMost("measured: requests per user per hour at " + speed + "x", perUserHour, 4, "");
    }
  }

  private static void check(SyncRunner.RunResult r) {
    if (!r.succeeded()) {
      throw new IllegalStateException("a run failed: " + r.errors());
    }
  }
}
