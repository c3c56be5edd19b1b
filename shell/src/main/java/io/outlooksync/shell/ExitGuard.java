package io.outlooksync.shell;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's local execution engine, refusing snippets that call {@code System.exit}, {@code Runtime.exit} or
 * {@code Runtime.halt}: with the local engine a snippet runs in the shell's own JVM, where those would end the
 * shell (never the sidecar, a process of its own). The check reads each snippet class's constant pool before it
 * is loaded; a call made through reflection or inside a library is not seen (docs/shell.md says so).
 */
final class ExitGuard implements ExecutionControlProvider {
  static final String NAME = "outlook-sync-local";
  /** JShell reports a refused class as a valid snippet that did nothing: the refusal is kept here to be said. */
  private final AtomicReference<String> refused = new AtomicReference<>();

  /** The last refusal since asked, once. */
  Optional<String> refusal() {
    return Optional.ofNullable(refused.getAndSet(null));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
    return new LocalExecutionControl() {
      @Override
      public void load(ClassBytecodes[] classes) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        refuseExits(classes, refused);
        super.load(classes);
      }

      @Override
      public void redefine(ClassBytecodes[] classes) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        refuseExits(classes, refused);
        super.redefine(classes);
      }
    };
  }

  private static void refuseExits(ExecutionControl.ClassBytecodes[] classes, AtomicReference<String> refused)
      throws ExecutionControl.ClassInstallException {
    for (ExecutionControl.ClassBytecodes c : classes) {
      String call = exitCall(c.bytecodes());
      if (call != null) {
        String why = "a snippet may not call " + call + ": it would end the shell (leave with /exit)";
        refused.set(why);
        throw new ExecutionControl.ClassInstallException(why, new boolean[classes.length]);
      }
    }
  }

  /** The first exit-like method a class file refers to ({@code System.exit}, ...), or null. */
  static String exitCall(byte[] classFile) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
      in.readInt(); // magic
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      int[] classNames = new int[count];
      int[][] refs = new int[count][];
      int[][] namesAndTypes = new int[count][];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 7 -> classNames[i] = in.readUnsignedShort();
          case 10, 11 -> refs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
          case 12 -> namesAndTypes[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
          case 3, 4, 9, 17, 18 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++;
          }
          case 8, 16, 19, 20 -> in.readUnsignedShort();
          case 15 -> {
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          default -> {
            return null; // a newer class file format: let the JVM judge it
          }
        }
      }
      for (int[] ref : refs) {
        if (ref == null) {
          continue;
        }
        String owner = utf8[classNames[ref[0]]];
        String method = utf8[namesAndTypes[ref[1]][0]];
        if (("java/lang/System".equals(owner) && "exit".equals(method))
            || ("java/lang/Runtime".equals(owner) && ("exit".equals(method) || "halt".equals(method)))) {
          return owner.substring(owner.lastIndexOf('/') + 1) + "." + method;
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
