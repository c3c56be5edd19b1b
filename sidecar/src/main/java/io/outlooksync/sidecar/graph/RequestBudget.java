package io.outlooksync.sidecar.graph;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Outlook's request budget per app and mailbox: 10,000 requests in any 10 minutes; past it every request gets
 * 429 until the window slides. Counting our own requests in a sliding window (per second, so a mailbox costs a
 * few KB however busy it is) lets a run wait for room instead of being throttled mid-batch. The window kept here
 * is 2 s longer than Graph's, to err on the safe side. Each {@code $batch} step counts as one request, as Outlook
 * counts them.
 */
final class RequestBudget {
  /**
   * Seconds a request stays counted beyond the window: our seconds are whole and our clock reads before the
   * request reaches Graph, so a request is kept until its second, plus this margin, has fully left Graph's window.
   */
  private static final int MARGIN = 2;

  private final int limit;
  private final int seconds;
  private final LongSupplier nanoClock;
  private final int[] perSecond;
  private long newestSecond;
  private int total;

  RequestBudget(int limit, Duration window, LongSupplier nanoClock) {
    if (limit < 1 || window.toSeconds() < 1) {
      throw new IllegalArgumentException("budget " + limit + " per " + window);
    }
    this.limit = limit;
    this.seconds = (int) window.toSeconds() + MARGIN;
    this.nanoClock = nanoClock;
    this.perSecond = new int[seconds];
    this.newestSecond = second();
  }

  int limit() {
    return limit;
  }

  /**
   * Takes {@code n} requests from the budget, waiting until the window has room for them. More than the whole
   * budget at once is taken as the whole budget (it never fits otherwise).
   */
  void take(int n) throws InterruptedException {
    int wanted = Math.min(n, limit);
    while (true) {
      long waitMillis;
      synchronized (this) {
        long now = second();
        slide(now);
        if ((long) total + wanted <= limit) {
          perSecond[(int) (now % seconds)] += wanted;
          total += wanted;
          return;
        }
        waitMillis = millisUntilRoom(now, total + wanted - limit);
      }
      Thread.sleep(Math.max(10, waitMillis));
    }
  }

  synchronized int used() {
    slide(second());
    return total;
  }

  /** How long until the oldest seconds of the window, holding at least {@code excess} requests, have slid out. */
  private long millisUntilRoom(long now, int excess) {
    int freed = 0;
    for (int age = seconds - 1; age >= 0; age--) {
      freed += perSecond[(int) ((now - age) % seconds)];
      if (freed >= excess) {
        long freeAtSecond = now - age + seconds;
        return freeAtSecond * 1000 - nanoClock.getAsLong() / 1_000_000;
      }
    }
    return 1000;
  }

  private void slide(long now) {
    long from = Math.max(newestSecond + 1, now - seconds + 1);
    for (long s = from; s <= now; s++) {
      int slot = (int) (s % seconds);
      total -= perSecond[slot];
      perSecond[slot] = 0;
    }
    newestSecond = Math.max(newestSecond, now);
  }

  private long second() {
    return nanoClock.getAsLong() / 1_000_000_000L;
  }
}
