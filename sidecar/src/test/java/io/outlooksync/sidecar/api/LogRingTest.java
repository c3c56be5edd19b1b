package io.outlooksync.sidecar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogRingTest {
  private static List<String> texts(LogRing.Slice s) {
    return s.lines().stream().map(LogRing.Line::text).toList();
  }

  @Test
  void aReaderGetsWhatCameAfterItsCursorAndLearnsWhatWasDropped() throws Exception {
    LogRing ring = new LogRing(3);
    for (int i = 1; i <= 5; i++) {
      ring.add("line " + i);
    }
    LogRing.Slice fromStart = ring.after(0, 10, l -> true, Duration.ZERO);
    assertEquals(List.of("line 3", "line 4", "line 5"), texts(fromStart));
    assertEquals(2, fromStart.dropped());
    assertEquals(5, fromStart.next());
    assertEquals(List.of("line 5"), texts(ring.after(-1, 10, l -> true, Duration.ZERO)));
    assertEquals(List.of("line 4"), texts(ring.after(3, 1, l -> true, Duration.ZERO)));
    assertEquals(4, ring.after(3, 1, l -> true, Duration.ZERO).next(), "a limited read resumes where it stopped");
    assertEquals(List.of("line 4"), texts(ring.after(0, 10, l -> l.endsWith("4"), Duration.ZERO)));
    assertEquals(5, ring.after(0, 10, l -> l.endsWith("4"), Duration.ZERO).next(), "filtered lines are passed, not re-read");
  }

  @Test
  void aLongPollReturnsAsSoonAsALineArrives() throws Exception {
    LogRing ring = new LogRing(10);
    ring.add("old");
    Thread writer = new Thread(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
      ring.add("new");
    });
    writer.start();
    LogRing.Slice s = ring.after(1, 10, l -> true, Duration.ofSeconds(30));
    assertEquals(List.of("new"), texts(s));
    LogRing.Slice none = ring.after(2, 10, l -> true, Duration.ofMillis(50));
    assertTrue(none.lines().isEmpty());
    assertEquals(2, none.next());
    writer.join();
  }
}
