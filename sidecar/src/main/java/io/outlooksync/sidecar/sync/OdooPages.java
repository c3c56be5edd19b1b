package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.Page;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A user's Odoo events changed since a watermark, page by page, read one page ahead on a thread of its own: a run
 * plans and writes one page while Odoo serves the next (docs/sync.md, "Page by page"). Each page comes with what
 * its events read as ({@link OdooSide#read}). At most two pages are held at once.
 */
final class OdooPages implements AutoCloseable {
  /** One page and its events' attendees, partners and organizers. */
  record Fetched(Page<OdooEvent> page, OdooSide.Read read) {}

  /** Reads the page of up to {@code size} changes after a watermark and the id after which it goes on. */
  @FunctionalInterface
  interface Reader {
    Page<OdooEvent> page(Instant watermark, long afterId, int size);
  }

  private final Reader reader;
  private final OdooSide side;
  private final int size;
  private final ExecutorService ahead;
  private Future<Fetched> next;

  /**
   * {@code first}: the size of the first page, smaller than {@code size} so that a big run's first writes start
   * soon; the others have {@code size}.
   */
  OdooPages(Reader reader, OdooSide side, Instant watermark, int first, int size, String threadName) {
    this.reader = reader;
    this.side = side;
    this.size = size;
    side.alarms(); // read here, once: the reading thread only looks them up
    this.ahead = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    this.next = readAhead(watermark, 0, first);
  }

  boolean hasNext() {
    return next != null;
  }

  /** The next page, waiting for it if it is still being read; the one after it is asked for at once. */
  Fetched next() {
    Fetched f;
    try {
      f = next.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading Odoo's changes", e);
    } catch (ExecutionException e) {
      next = null;
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
    Page<OdooEvent> page = f.page();
    next = page.hasMore() ? readAhead(page.nextWatermark(), page.nextAfterId(), size) : null;
    return f;
  }

  private Future<Fetched> readAhead(Instant watermark, long afterId, int pageSize) {
    return ahead.submit(() -> {
      Page<OdooEvent> page = reader.page(watermark, afterId, pageSize);
      return new Fetched(page, side.read(page.items()));
    });
  }

  /** Stops reading ahead; a page under way is finished and dropped (no interrupt: it may be mid-request). */
  @Override
  public void close() {
    ahead.shutdown();
  }
}
