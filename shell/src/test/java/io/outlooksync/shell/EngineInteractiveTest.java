package io.outlooksync.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's commands typed at the interactive shell on JLine's test terminal: completion of a login and of an
 * event id, a dry run, a replay from history, Ctrl-C during `tail` and during a runaway JShell snippet.
 */
class EngineInteractiveTest {
  static final String PROMPT = "outlook-sync> ";

  @TempDir
  Path dir;

  @Test
  void completionDryRunReplayAndCtrlCInTailAndJShell() throws Exception {
    try (SyncedSidecar s = new SyncedSidecar(dir); Keyboard k = new Keyboard(s.url, SyncedSidecar.SECRET, dir.resolve("history"), "ansi")) {
      k.waitFor(PROMPT);
      k.type("sync al" + Keyboard.TAB);
      k.waitFor("sync alice ");
      k.type("--dr" + Keyboard.TAB);
      k.waitFor("--dry-run ");
      k.type(Keyboard.ENTER);
      String dry = k.waitFor(PROMPT);
      assertTrue(dry.contains("sync run planned (dry run: nothing is written)") && dry.contains("dry run 1: 1 change(s)"), dry);
      assertEquals(0, s.m365.mailLog().size());

      k.type("sync alice" + Keyboard.ENTER);
      assertTrue(k.waitFor(PROMPT).contains("run 2: 1 change(s)"));

      // Event ids complete from the mappings of the user on the line.
      String id = Long.toString(s.planning);
      k.type("mappings alice " + id.charAt(0) + Keyboard.TAB);
      k.waitFor("mappings alice " + id + " ");
      k.type(Keyboard.ENTER);
      assertTrue(k.waitFor(PROMPT).contains("Planning"));

      k.type("runs alice" + Keyboard.ENTER);
      k.waitFor(PROMPT);
      k.type("replay 2" + Keyboard.ENTER);
      assertTrue(k.waitFor(PROMPT).contains("reproduced"));
      // History: Up brings the replay back.
      k.type(Keyboard.UP);
      k.waitFor("replay 2");
      k.type(Keyboard.ENTER);
      assertTrue(k.waitFor(PROMPT).contains("reproduced"));

      // Ctrl-C ends a following tail and returns to the prompt.
      k.type("tail" + Keyboard.ENTER);
      k.waitFor("sync run finished");
      Thread.sleep(300);
      k.type(Keyboard.CTRL_C);
      k.waitFor(PROMPT);
      k.type("health" + Keyboard.ENTER);
      assertTrue(k.waitFor(PROMPT).contains("store    ok"));

      // JShell: admin is bound; a runaway snippet stops on Ctrl-C; System.exit is refused; /exit comes back.
      k.type("jshell" + Keyboard.ENTER);
      k.waitFor("jshell> ", 90);
      k.type("admin.account(\"alice\").get(\"state\").asText()" + Keyboard.ENTER);
      k.waitFor("CONNECTED", 60);
      k.waitFor("jshell> ");
      k.type("while (true) {}" + Keyboard.ENTER);
      Thread.sleep(500);
      k.type(Keyboard.CTRL_C);
      k.waitFor("stopped", 60);
      k.waitFor("jshell> ");
      k.type("System.exit(3);" + Keyboard.ENTER);
      k.waitFor("may not call System.exit", 60);
      k.waitFor("jshell> ");
      k.type("1 + 1" + Keyboard.ENTER);
      k.waitFor("2");
      k.type("/exit" + Keyboard.ENTER);
      k.waitFor(PROMPT);
      k.type("quit" + Keyboard.ENTER);
      assertEquals(0, k.exitCode());
    }
  }
}
