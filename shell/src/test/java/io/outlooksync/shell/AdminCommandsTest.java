package io.outlooksync.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The engine's commands with {@code -c}, against a sidecar wired to both emulators: diff, sync with progress,
 * mappings, runs, run, replay, reset, tail; then the read-only post-mortem of the same store.
 */
class AdminCommandsTest {
  @TempDir
  Path dir;
  SyncedSidecar s;

  @BeforeEach
  void start() throws Exception {
    s = new SyncedSidecar(dir);
  }

  @AfterEach
  void stop() {
    s.close();
  }

  private TestSidecar.Run ok(String line) {
    TestSidecar.Run r = s.run(line);
    assertEquals(0, r.code(), r.toString());
    assertFalse(r.out().contains("\033"), "-c never colours: " + r);
    return r;
  }

  @Test
  void diffSyncMappingsRunsRunReplayResetAndTail() throws Exception {
    String diff = ok("diff alice").out();
    assertTrue(diff.contains("dry run 1 of prod/" + s.aliceUid + " (nothing was written)"), diff);
    assertTrue(diff.contains("CreateInOutlook") && diff.contains(Long.toString(s.planning)) && diff.contains("new in Odoo"), diff);
    assertTrue(diff.contains("e-mails Outlook sends: 1 (to bob@example.com)"), diff);
    assertEquals(0, s.m365.mailLog().size(), "a diff mails nobody");

    String sync = ok("sync alice").out();
    assertTrue(sync.contains("sync run started") && sync.contains("sync run planned run=2 changes=1") && sync.contains("sync run finished run=2 errors=0"),
        "progress lines while it runs: " + sync);
    assertTrue(sync.contains("run 2: 1 change(s) (CreateInOutlook 1), e-mails 1"), sync);

    String mappings = ok("mappings alice").out();
    assertTrue(mappings.contains("Planning") && mappings.contains(Long.toString(s.planning)), mappings);
    assertTrue(ok("mappings alice " + s.planning).out().contains("Planning"));
    assertTrue(ok("mappings alice plann").out().contains("Planning"), "a title filter ignores case");
    assertTrue(ok("mappings alice nothing-like-it").out().contains("no mapping matches nothing-like-it"));
    String whole = ok("mappings prod/" + s.aliceUid + " --ids").out();
    assertTrue(whole.lines().anyMatch(l -> l.contains("Planning") && l.length() > 120), "whole Graph ids: " + whole);

    String runs = ok("runs alice").out();
    assertTrue(runs.lines().anyMatch(l -> l.startsWith("2 ") && l.contains("api ") && l.contains("SUCCEEDED")
        && l.contains("CreateInOutlook 1")), runs);
    assertTrue(runs.lines().anyMatch(l -> l.startsWith("1 ") && l.contains("api-dry-run") && l.contains("yes")), runs);

    String run = ok("run 2").out();
    assertTrue(run.contains("run         2 of prod/" + s.aliceUid) && run.contains("status      SUCCEEDED"), run);
    assertTrue(run.contains("read        0 mapped pair(s) with a change, 1 new in Odoo, 0 new in Outlook"), run);
    assertTrue(run.contains("CreateInOutlook") && run.contains("e-mails Outlook sends: 1"), run);
    assertTrue(ok("run 2 --inputs").out().contains("\"new_in_odoo\""));

    String replay = ok("replay 2").out();
    assertTrue(replay.contains("reproduced: the same 1 action(s) from the recorded input"), replay);
    assertEquals(1, s.m365.mailLog().size(), "a replay mails nobody and writes nothing");

    String reset = ok("reset alice --delete=leave --next=all --dry-run").out();
    assertTrue(reset.contains("dry run 3: Outlook events to delete 0, Odoo events to archive 0, cancellations 0"), reset);
    String done = ok("reset alice --delete=leave --next=all --yes").out();
    assertTrue(done.contains("reset 4: Outlook events deleted 0"), done);
    assertTrue(ok("mappings alice").out().contains("no mappings yet"), "a reset forgets the mappings");

    LoggerFactory.getLogger("io.outlooksync.sidecar.auth.SignIn").atWarn().addKeyValue("refresh_token", "0.ARoA-NEEDLE")
        .log("token endpoint said client_secret=NEEDLE2 for the shell test");
    String tail = ok("tail --once -n 50").out();
    assertTrue(tail.contains("for the shell test") && tail.contains("refresh_token=***") && tail.contains("client_secret=***"), tail);
    assertFalse(tail.contains("NEEDLE"), tail);
    assertFalse(tail.contains("route=/api/logs"), "tail's own polls are not in the log: " + tail);
    String mine = ok("tail --once --user alice").out();
    assertTrue(mine.contains("sync run finished") && !mine.contains("for the shell test"), mine);

    TestSidecar.Run unknown = s.run("replay 99");
    assertEquals(1, unknown.code(), unknown.toString());
    assertTrue(unknown.err().contains("no sync run 99"), unknown.toString());
    TestSidecar.Run usage = s.run("reset alice --delete=leave");
    assertEquals(2, usage.code());
    assertTrue(usage.err().contains("--next is required"), usage.toString());
    TestSidecar.Run jshell = s.run("jshell");
    assertEquals(2, jshell.code());
    assertTrue(jshell.err().contains("jshell needs the interactive shell"), jshell.toString());
    for (String c : List.of("mappings", "diff", "sync", "runs", "run", "replay", "reset", "tail", "jshell")) {
      assertTrue(ok("help " + c).out().startsWith(c), c);
    }
  }

  @Test
  void aPostMortemReadsAStoppedSidecarsStoreAndWritesNothing() throws Exception {
    ok("sync alice");
    Map<String, String> noSecret = Map.of();
    TestSidecar.Run refused = TestSidecar.Run.of(List.of("--data-dir", s.dataDir.toString(), "-c", "accounts"), noSecret);
    assertEquals(1, refused.code(), refused.toString());
    assertTrue(refused.err().contains("a sidecar is running on"), refused.toString());

    s.sidecar.close();
    Map<String, String> before = digests(s.dataDir.resolve("store"));
    for (String line : List.of("accounts", "show alice", "mappings alice", "runs alice", "run 1", "replay 1")) {
      TestSidecar.Run r = TestSidecar.Run.of(List.of("--data-dir", s.dataDir.toString(), "-c", line), noSecret);
      assertEquals(0, r.code(), line + ": " + r);
      if (line.equals("replay 1")) {
        assertTrue(r.out().contains("reproduced"), r.toString());
      }
      if (line.equals("mappings alice")) {
        assertTrue(r.out().contains("Planning"), r.toString());
      }
    }
    TestSidecar.Run write = TestSidecar.Run.of(List.of("--data-dir", s.dataDir.toString(), "-c", "pause alice"), noSecret);
    assertEquals(2, write.code(), write.toString());
    assertTrue(write.err().contains("`pause` needs a running sidecar; this is a read-only post-mortem"), write.toString());
    assertEquals(before, digests(s.dataDir.resolve("store")), "the post-mortem wrote nothing and left no lock");
  }

  private static Map<String, String> digests(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return out;
  }
}
