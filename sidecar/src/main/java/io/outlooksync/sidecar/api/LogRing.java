package io.outlooksync.sidecar.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The sidecar's recent log lines, in memory, for the admin shell's {@code tail}: a fixed number of lines, the
 * oldest dropped first, each with a sequence number a reader passes back to get what came after. Lines arrive
 * here already redacted (the logger feeds the ring after its redaction guard), so the ring holds no secret.
 */
public final class LogRing {
  /** The ring the sidecar's logger feeds. */
  public static final LogRing SHARED = new LogRing(2000);

  /** One line and its sequence number (from 1). */
  public record Line(long seq, String text) {}

  /** Lines after a cursor; {@code dropped} counts the ones the ring no longer held; {@code next} is the new cursor. */
  public record Slice(List<Line> lines, long dropped, long next) {}

  private final String[] lines;
  private long last;

  public LogRing(int capacity) {
    this.lines = new String[capacity];
  }

  public synchronized void add(String line) {
    last++;
    lines[(int) ((last - 1) % lines.length)] = line;
    notifyAll();
  }

  /** The sequence number of the newest line (0: none yet). */
  public synchronized long last() {
    return last;
  }

  /** The cursor before the last {@code n} lines that {@code keep} accepts. */
  private long startOfLast(long n, Predicate<String> keep) {
    long oldest = Math.max(1, last - lines.length + 1);
    long seq = last;
    for (long found = 0; seq >= oldest && found < n; seq--) {
      if (keep.test(lines[(int) ((seq - 1) % lines.length)])) {
        found++;
      }
    }
    return seq;
  }

  /**
   * Up to {@code limit} lines after {@code cursor} that {@code keep} accepts, waiting up to {@code wait} for the
   * first new line when there is none yet. A negative cursor means "the last {@code -cursor} lines that
   * {@code keep} accepts".
   */
  public synchronized Slice after(long cursor, int limit, Predicate<String> keep, Duration wait) throws InterruptedException {
    long from = cursor < 0 ? startOfLast(-cursor, keep) : cursor;
    long until = System.nanoTime() + wait.toNanos();
    while (last <= from) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        return new Slice(List.of(), 0, Math.min(from, last));
      }
      wait(Math.max(1, left / 1_000_000));
    }
    long oldest = Math.max(1, last - lines.length + 1);
    long dropped = Math.max(0, oldest - from - 1);
    List<Line> out = new ArrayList<>();
    long seq = Math.max(from + 1, oldest);
    for (; seq <= last && out.size() < limit; seq++) {
      String text = lines[(int) ((seq - 1) % lines.length)];
      if (keep.test(text)) {
        out.add(new Line(seq, text));
      }
    }
    return new Slice(out, dropped, seq - 1);
  }
}
