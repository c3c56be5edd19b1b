package io.outlooksync.shell;

/** A command that could not do its job; carries the process exit code the failure maps to. */
public final class ShellException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The command ran and failed (the sidecar said no, the user is unknown, ...). */
  public static final int FAILED = 1;
  /** The command line itself is wrong. */
  public static final int USAGE = 2;
  /** The sidecar did not answer at all. */
  public static final int UNREACHABLE = 3;

  private final int exitCode;

  private ShellException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public static ShellException failed(String message) {
    return new ShellException(FAILED, message);
  }

  public static ShellException usage(String message) {
    return new ShellException(USAGE, message);
  }

  public static ShellException unreachable(String message) {
    return new ShellException(UNREACHABLE, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
