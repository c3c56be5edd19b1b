package io.outlooksync.sidecar.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;

/**
 * The embedded store's one-process guard: an operating-system lock on a file next to the database, held while the
 * store is open. The kernel drops it when the process dies however it dies, so a sidecar restarted after a
 * crash opens its store at once; HSQLDB's own lock file relies on a heartbeat instead and would make that
 * restart wait about ten seconds for the heartbeat to go stale.
 */
public final class StoreLock implements AutoCloseable {
  /** Another process (or another store in this one) holds the lock. */
  public static final class InUse extends SQLException {
    private static final long serialVersionUID = 1L;

    InUse(Path file) {
      super("the store at " + file.getParent() + " is in use by another process (only one sidecar opens it)");
    }
  }

  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock, or fails at once when another process (or another store in this one) holds it. */
  static StoreLock acquire(Path file) throws SQLException {
    FileChannel channel = null;
    try {
      Files.createDirectories(file.getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw inUse(file);
      }
      return new StoreLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw inUse(file);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new SQLException("cannot lock the store at " + file + ": " + e.getMessage(), e);
    }
  }

  private static SQLException inUse(Path file) {
    return new InUse(file);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // failing already
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(channel);
  }
}
