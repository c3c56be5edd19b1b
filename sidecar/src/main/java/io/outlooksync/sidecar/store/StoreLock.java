package io.outlooksync.sidecar.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Whether a sidecar holds the embedded store. HSQLDB keeps {@code store/outlook-sync.lck} while a database is
 * open: the bytes {@code HSQLLOCK} and then the time of its last heartbeat (milliseconds, big-endian), renewed
 * every 10 s; a clean shutdown deletes the file. A heartbeat older than {@link #STALE} was left by a process
 * that died, and holds nothing.
 */
public final class StoreLock {
  static final Duration STALE = Duration.ofSeconds(30);
  private static final byte[] MAGIC = "HSQLLOCK".getBytes(StandardCharsets.US_ASCII);

  private StoreLock() {}

  static Path file(Path dataDir) {
    return dataDir.resolve("store").resolve("outlook-sync.lck");
  }

  /** The last heartbeat when a live process holds the store under {@code dataDir}; empty when none does. */
  public static Optional<Instant> heldSince(Path dataDir, Instant now) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file(dataDir))) {
      head = in.readNBytes(16);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (head.length < 16 || !Arrays.equals(Arrays.copyOf(head, 8), MAGIC)) {
      // Being written, or not HSQLDB's: assume the worst.
      return Optional.of(now);
    }
    long millis = 0;
    for (int i = 8; i < 16; i++) {
      millis = (millis << 8) | (head[i] & 0xff);
    }
    Instant beat = Instant.ofEpochMilli(millis);
    return Duration.between(beat, now).abs().compareTo(STALE) < 0 ? Optional.of(beat) : Optional.empty();
  }
}
