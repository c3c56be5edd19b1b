package io.outlooksync.sidecar.app;

import io.outlooksync.sidecar.api.SchedulerMetrics;
import io.outlooksync.sidecar.api.Work;
import io.outlooksync.sidecar.api.WorkQueue;
import io.outlooksync.sidecar.sync.ChangeRouter;
import io.outlooksync.sidecar.sync.ChangeSink;
import io.outlooksync.sidecar.sync.SubscriptionKeeper;
import io.outlooksync.sidecar.sync.Trigger;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the announced work (the addon's change announcements, Graph's notifications) and tells the scheduler
 * which accounts changed. What waits in the queue is taken in one batch, so a burst costs one Odoo read per
 * database and model, not one per announcement. A failure to route is logged and dropped: the fallback interval
 * finds the change anyway.
 */
final class WorkConsumer implements AutoCloseable {
  static final int BATCH = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(WorkConsumer.class);

  private final WorkQueue queue;
  private final ChangeRouter router;
  private final ChangeSink scheduler;
  private final SubscriptionKeeper subscriptions;
  private final SchedulerMetrics metrics;
  private final Thread thread;
  private volatile boolean closed;

  WorkConsumer(WorkQueue queue, ChangeRouter router, ChangeSink scheduler, SubscriptionKeeper subscriptions, SchedulerMetrics metrics) {
    this.queue = queue;
    this.router = router;
    this.scheduler = scheduler;
    this.subscriptions = subscriptions;
    this.metrics = metrics;
    this.thread = new Thread(this::loop, "work-queue");
    this.thread.setDaemon(true);
  }

  WorkConsumer start() {
    thread.start();
    return this;
  }

  private void loop() {
    while (!closed) {
      List<Work> batch = new ArrayList<>();
      try {
        Work first = queue.poll(Duration.ofSeconds(1));
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
      } catch (InterruptedException e) {
        return;
      }
      route(batch);
    }
  }

  private void route(List<Work> batch) {
    Map<List<String>, Set<Long>> odoo = new LinkedHashMap<>();
    Map<List<String>, Integer> announcements = new LinkedHashMap<>();
    List<Work.GraphChange> graph = new ArrayList<>();
    for (Work w : batch) {
      if (w instanceof Work.OdooChange c) {
        List<String> key = List.of(c.db(), c.model());
        odoo.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(c.ids());
        announcements.merge(key, 1, Integer::sum);
      } else if (w instanceof Work.GraphChange g) {
        if (g.lifecycleEvent() != null) {
          lifecycle(g);
        } else {
          graph.add(g);
        }
      }
    }
    odoo.forEach((key, ids) -> {
      String result;
      try {
        Set<Long> accounts = router.odooChanged(key.get(0), key.get(1), ids);
        accounts.forEach(a -> scheduler.changed(a, Trigger.ODOO));
        result = accounts.isEmpty() ? "unmatched" : "matched";
        LOG.atDebug().addKeyValue("db", key.get(0)).addKeyValue("model", key.get(1)).addKeyValue("ids", ids.size())
            .addKeyValue("accounts", accounts).log("Odoo changes routed");
      } catch (SQLException | RuntimeException e) {
        result = "error";
        LOG.atWarn().setCause(e).addKeyValue("db", key.get(0)).addKeyValue("model", key.get(1)).addKeyValue("ids", ids.size())
            .log("Odoo changes could not be routed; the fallback interval finds them");
      }
      for (int i = 0; i < announcements.get(key); i++) {
        metrics.routed("odoo", result);
      }
    });
    if (graph.isEmpty()) {
      return;
    }
    try {
      // The subscription names the account; the resource path is the way for subscriptions we do not know.
      List<String> ids = new ArrayList<>();
      List<String> resources = new ArrayList<>();
      graph.forEach(g -> {
        ids.add(g.subscriptionId());
        resources.add(g.resource());
      });
      Map<String, Long> bySubscription = router.graphSubscriptions(ids);
      Map<String, Long> byResource = router.graphChanged(resources);
      Set<Long> accounts = new LinkedHashSet<>();
      for (Work.GraphChange g : graph) {
        Long a = bySubscription.containsKey(g.subscriptionId()) ? bySubscription.get(g.subscriptionId()) : byResource.get(g.resource());
        metrics.routed("graph", a == null ? "unmatched" : "matched");
        if (a != null) {
          accounts.add(a);
        }
      }
      accounts.forEach(a -> scheduler.changed(a, Trigger.GRAPH));
    } catch (SQLException | RuntimeException e) {
      graph.forEach(g -> metrics.routed("graph", "error"));
      LOG.atWarn().setCause(e).addKeyValue("items", graph.size())
          .log("Graph notifications could not be routed; the fallback interval finds the changes");
    }
  }

  private void lifecycle(Work.GraphChange g) {
    try {
      subscriptions.lifecycle(g.subscriptionId(), g.lifecycleEvent());
    } catch (SQLException | RuntimeException e) {
      LOG.atWarn().setCause(e).addKeyValue("subscription", g.subscriptionId()).addKeyValue("event", g.lifecycleEvent())
          .log("a Graph lifecycle notification could not be handled; the keeper's next look and the fallback interval cover it");
    }
  }

  /** Stops after the batch in hand (no interrupt: it may be inside the store's file I/O). */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(Duration.ofSeconds(3).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
