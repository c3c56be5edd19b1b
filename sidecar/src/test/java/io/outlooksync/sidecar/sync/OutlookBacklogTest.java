package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.SyncInput;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's new Outlook events past the first few go to a file and come back whole, in order, found by their looks. */
class OutlookBacklogTest {
  static final Instant NINE = Instant.parse("2026-03-03T08:00:00Z");

  @TempDir
  Path dir;

  static SyncInput.OutlookState event(String id, String title, int hour) {
    CalEvent c = RunRecordTest.meeting(title, NINE.plusSeconds(3600L * hour));
    return new SyncInput.OutlookState(id, "ical-" + id, "ck-" + id, c, false, false, Response.ACCEPTED, NINE.minusSeconds(60));
  }

  static SyncInput.OdooState odoo(long id, String title, int hour) {
    return new SyncInput.OdooState(id, RunRecordTest.meeting(title, NINE.plusSeconds(3600L * hour)), true, NINE);
  }

  private List<Path> files() throws Exception {
    try (Stream<Path> in = Files.list(dir)) {
      return in.toList();
    }
  }

  /**
   * The files under {@code dir} this process holds open, deleted or not (Linux's /proc/self/fd): a backlog's file
   * is unlinked as soon as it is opened, so a killed process leaves nothing behind.
   */
  static List<String> openFilesUnder(Path dir) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith(dir.toString())) {
            out.add(target);
          }
        } catch (java.io.IOException closedMeanwhile) {
          // The descriptor closed while listing.
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  @Test
  void eventsPastTheFirstFewGoToAFileAndComeBackWholeInOrder() throws Exception {
    List<SyncInput.OutlookState> added = new ArrayList<>();
    try (OutlookBacklog backlog = new OutlookBacklog(dir, 3)) {
      for (int i = 0; i < 10; i++) {
        SyncInput.OutlookState g = event("e" + i, "Call " + i, i);
        added.add(g);
        backlog.add(g);
      }
      assertTrue(backlog.spilled());
      List<String> open = openFilesUnder(dir);
      assertEquals(1, open.size(), open.toString());
      assertTrue(open.get(0).endsWith(" (deleted)"), "unlinked while open: " + open);
      assertEquals(List.of(), files(), "nothing in the directory to leave behind");
      List<SyncInput.OutlookState> seen = new ArrayList<>();
      backlog.forEach(seen::add);
      assertEquals(added, seen, "every field of every event, in the round's order");
      assertEquals(added.subList(0, 4), backlog.takeNext(4));
      assertEquals(added.subList(4, 10), backlog.takeNext(100));
      assertTrue(backlog.isEmpty());
    }
    assertEquals(List.of(), openFilesUnder(dir), "the file goes with the run");
  }

  @Test
  void aLaterCopyReplacesTheEarlierAndGoesToTheEnd() {
    try (OutlookBacklog backlog = new OutlookBacklog(dir, 1)) {
      backlog.add(event("a", "A", 1));
      backlog.add(event("b", "B", 2));
      backlog.add(event("c", "C", 3));
      SyncInput.OutlookState renamed = event("a", "A renamed", 1);
      backlog.add(renamed);
      backlog.remove("b");
      assertEquals(List.of(event("c", "C", 3), renamed), backlog.takeNext(10));
    }
  }

  @Test
  void aPartGetsTheEventsItsOdooEventsLookLikeInOrderAndTheMeetingsLinkedElsewhere() {
    try (OutlookBacklog backlog = new OutlookBacklog(dir, 2)) {
      backlog.add(event("x1", "Stand-up", 5));
      backlog.add(event("other", "Review", 6));
      backlog.add(event("x2", "Stand-up", 5));
      backlog.add(event("meeting", "Board", 7));
      backlog.add(event("x3", "Stand-up", 5));
      backlog.knowMeetings(Map.of("ical-meeting", 99L));

      assertEquals(List.of("x1", "x2", "x3"), ids(backlog.candidates(List.of(odoo(1, "Stand-up", 5)), false)));
      assertEquals(List.of(), ids(backlog.candidates(List.of(odoo(2, "Stand-up", 9)), false)), "another time is no look-alike");
      assertEquals(List.of("meeting"), ids(backlog.candidates(List.of(odoo(99, "Board (renamed)", 8)), false)),
          "the Odoo event of the same meeting, whatever its looks");
      assertEquals(List.of("meeting"), ids(backlog.candidates(List.of(), true)), "the last part gets every linked meeting");

      backlog.remove("x2");
      assertEquals(List.of("x1", "x3"), ids(backlog.candidates(List.of(odoo(1, "Stand-up", 5)), false)));
      assertEquals(4, backlog.size());
    }
  }

  @Test
  void aDirectoryThatCannotBeWrittenIsAClearErrorOfTheRun() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("runs"), "a file where the directory should be");
    try (OutlookBacklog backlog = new OutlookBacklog(notADirectory, 0)) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> backlog.add(event("a", "A", 1)));
      assertTrue(e.getMessage().startsWith("this run's new Outlook events could not be set aside in " + notADirectory), e.getMessage());
    }
  }

  @Test
  void filesLeftByAKilledRunAreDeletedAtStart() throws Exception {
    Path left = Files.writeString(dir.resolve(OutlookBacklog.FILE_PREFIX + "123.run"), "{}");
    Path other = Files.writeString(dir.resolve("keep.txt"), "not ours");
    OutlookBacklog.deleteLeftovers(dir);
    assertFalse(Files.exists(left));
    assertTrue(Files.exists(other));
    OutlookBacklog.deleteLeftovers(dir.resolve("missing"));
  }

  private static List<String> ids(List<SyncInput.OutlookState> events) {
    return events.stream().map(SyncInput.OutlookState::graphId).toList();
  }
}
