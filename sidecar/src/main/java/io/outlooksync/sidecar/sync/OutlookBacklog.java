package io.outlooksync.sidecar.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outlooksync.sidecar.core.Reconciler;
import io.outlooksync.sidecar.core.SyncInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The new Outlook events of one run that no part took yet, in the round's order (docs/sync.md, "Page by page").
 * A first sync can bring tens of thousands, and any Odoo page may hold a look-alike of any of them, so they wait
 * until the last part. Past {@code inMemory} events they wait in a file of the run's own (in the spill
 * directory, unlinked as soon as it is open, so even a killed run leaves nothing on disk) and only a small entry per
 * event stays in memory: its id, where it is in the file, a hash of its look-alike key. A part loads only the
 * events its new Odoo events could take.
 */
public final class OutlookBacklog implements AutoCloseable {
  /** Events kept whole in memory before the file is used: a usual run never writes one. */
  static final int IN_MEMORY = 500;
  static final String FILE_PREFIX = "outlook-new-";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final class Entry {
    final String graphId;
    final long seq;
    final int keyHash;
    /** The event while it is in memory; null once it is in the file. */
    SyncInput.OutlookState state;
    long offset;
    int length;
    /** The Odoo event of the same meeting that another mailbox linked (by iCalUId), if any. */
    Long meeting;

    Entry(String graphId, long seq, int keyHash) {
      this.graphId = graphId;
      this.seq = seq;
      this.keyHash = keyHash;
    }
  }

  private final Path dir;
  private final int inMemory;
  private final Map<String, Entry> open = new LinkedHashMap<>();
  private final Map<Integer, List<Entry>> byKey = new HashMap<>();
  private long nextSeq;
  private int held;
  private Path path;
  private FileChannel file;
  private long end;

  /** {@code dir}: where the file goes (created if missing); null for the system's temporary directory. */
  OutlookBacklog(Path dir, int inMemory) {
    this.dir = dir;
    this.inMemory = inMemory;
  }

  /**
   * Deletes files a run left in {@code dir}: only one killed between making its file and opening it can (and on a
   * system where DELETE_ON_CLOSE does not unlink at once, any killed run). Called once at start, before any run.
   */
  public static void deleteLeftovers(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> left = Files.newDirectoryStream(dir, FILE_PREFIX + "*")) {
      for (Path p : left) {
        Files.deleteIfExists(p);
      }
    }
  }

  int size() {
    return open.size();
  }

  boolean isEmpty() {
    return open.isEmpty();
  }

  /** Whether some events went to the file. */
  boolean spilled() {
    return file != null;
  }

  /** Adds a new event; one the round brought before is replaced, and goes to the end, as Graph's later copy counts. */
  void add(SyncInput.OutlookState g) {
    remove(g.graphId());
    Entry e = new Entry(g.graphId(), nextSeq++, Reconciler.matchKey(g.content()).hashCode());
    if (held < inMemory) {
      e.state = g;
      held++;
    } else {
      write(e, g);
    }
    open.put(e.graphId, e);
    byKey.computeIfAbsent(e.keyHash, k -> new ArrayList<>(1)).add(e);
  }

  /** The event is no longer open (adopted, created, or gone from the round). */
  void remove(String graphId) {
    Entry e = open.remove(graphId);
    if (e == null) {
      return;
    }
    if (e.state != null) {
      held--;
    }
    List<Entry> same = byKey.get(e.keyHash);
    same.remove(e);
    if (same.isEmpty()) {
      byKey.remove(e.keyHash);
    }
  }

  void clear() {
    open.clear();
    byKey.clear();
    held = 0;
  }

  /** Every open event, in order, read back from the file as it goes. */
  void forEach(Consumer<SyncInput.OutlookState> each) {
    for (Entry e : List.copyOf(open.values())) {
      each.accept(load(e));
    }
  }

  /** Marks the events of meetings another mailbox linked ({@code meetingsInOdoo}, by iCalUId). */
  void knowMeetings(Map<String, Long> meetingsInOdoo) {
    if (meetingsInOdoo.isEmpty()) {
      return;
    }
    for (Entry e : open.values()) {
      SyncInput.OutlookState g = load(e);
      e.meeting = g.iCalUId() == null ? null : meetingsInOdoo.get(g.iCalUId());
    }
  }

  /**
   * The open events a part's new Odoo events could take, in order: every one with the look-alike key of one of
   * them (by hash: the reconciler compares the keys themselves, and leaves the others open) and those of the same
   * meeting as one of them. With {@code meetings}, also every event of a meeting linked elsewhere (the last part
   * adopts those).
   */
  List<SyncInput.OutlookState> candidates(Collection<SyncInput.OdooState> newInOdoo, boolean meetings) {
    Set<Entry> picked = new HashSet<>();
    Set<Long> ids = new HashSet<>();
    for (SyncInput.OdooState o : newInOdoo) {
      ids.add(o.id());
      List<Entry> same = byKey.get(Reconciler.matchKey(o.content()).hashCode());
      if (same != null) {
        picked.addAll(same);
      }
    }
    for (Entry e : open.values()) {
      if (e.meeting != null && (meetings || ids.contains(e.meeting))) {
        picked.add(e);
      }
    }
    List<Entry> ordered = new ArrayList<>(picked);
    ordered.sort(Comparator.comparingLong(e -> e.seq));
    List<SyncInput.OutlookState> out = new ArrayList<>(ordered.size());
    ordered.forEach(e -> out.add(load(e)));
    return out;
  }

  /** Takes the next {@code n} open events out of the backlog, in order. */
  List<SyncInput.OutlookState> takeNext(int n) {
    List<SyncInput.OutlookState> out = new ArrayList<>(Math.min(n, open.size()));
    Iterator<Entry> it = open.values().iterator();
    while (it.hasNext() && out.size() < n) {
      out.add(load(it.next()));
    }
    out.forEach(g -> remove(g.graphId()));
    return out;
  }

  private SyncInput.OutlookState load(Entry e) {
    if (e.state != null) {
      return e.state;
    }
    try {
      ByteBuffer buf = ByteBuffer.allocate(e.length);
      while (buf.hasRemaining()) {
        if (file.read(buf, e.offset + buf.position()) < 0) {
          throw new IOException("the file ended early");
        }
      }
      return RunRecord.outlook(JSON.readTree(new String(buf.array(), StandardCharsets.UTF_8)));
    } catch (IOException ex) {
      throw new UncheckedIOException("reading this run's new Outlook events back from " + path + " failed", ex);
    }
  }

  private void write(Entry e, SyncInput.OutlookState g) {
    try {
      if (file == null) {
        Path in = dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : Files.createDirectories(dir);
        path = Files.createTempFile(in, FILE_PREFIX, ".run");
        file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
      }
      byte[] bytes = JSON.writeValueAsBytes(RunRecord.outlook(g));
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        file.write(buf, end + buf.position());
      }
      e.offset = end;
      e.length = bytes.length;
      end += bytes.length;
    } catch (IOException ex) {
      throw new UncheckedIOException("this run's new Outlook events could not be set aside in "
          + (path != null ? path : dir != null ? dir : System.getProperty("java.io.tmpdir")) + ": " + ex.getMessage(), ex);
    }
  }

  @Override
  public void close() {
    clear();
    if (file != null) {
      try {
        file.close();
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // Nothing to keep: the file was unlinked when it was opened (DELETE_ON_CLOSE, on Linux).
      }
      file = null;
    }
  }
}
