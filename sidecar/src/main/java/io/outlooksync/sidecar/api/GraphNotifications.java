package io.outlooksync.sidecar.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graph's webhook. Graph cannot sign with our HMAC, so this endpoint proves callers differently: the
 * subscription validation handshake ({@code ?validationToken=} echoed as text within 10 s), and on every
 * notification the {@code clientState} we gave that subscription (each subscription has its own secret). Items with another clientState are ignored
 * and counted. The answer is 202 as soon as the items are queued: Graph wants it within 3 s, and the
 * notification only wakes the engine, whose delta round is the source of truth.
 */
final class GraphNotifications {
  static final String COUNTER = "outlook_sync_graph_notifications_total";
  private static final Logger LOG = LoggerFactory.getLogger(GraphNotifications.class);
  private static final int MAX_VALIDATION_TOKEN = 4096;

  private final Setup setup;
  private final WorkQueue queue;
  private final Metrics metrics;

  GraphNotifications(Setup setup, WorkQueue queue, Metrics metrics) {
    this.setup = setup;
    this.queue = queue;
    this.metrics = metrics;
    metrics.counter(COUNTER, "Graph change notification items, by result (queued, bad_client_state, malformed, queue_full).");
  }

  Response handle(Call c) {
    Optional<String> validation = c.query("validationToken");
    if (validation.isPresent()) {
      if (validation.get().length() > MAX_VALIDATION_TOKEN) {
        throw ApiException.badRequest("validationToken is too long");
      }
      LOG.atInfo().addKeyValue("req", c.requestId()).log("Graph subscription validation answered");
      return Response.text(200, "text/plain", validation.get());
    }
    JsonNode items = c.json().get("value");
    if (items == null || !items.isArray()) {
      throw ApiException.badRequest("a notification body has a value array");
    }
    int queued = 0;
    int ignored = 0;
    for (JsonNode item : items) {
      String result = accept(item);
      metrics.increment(COUNTER, "result", result);
      if (result.equals("queued")) {
        queued++;
      } else {
        ignored++;
      }
    }
    if (ignored > 0) {
      LOG.atWarn().addKeyValue("req", c.requestId()).addKeyValue("queued", queued).addKeyValue("ignored", ignored)
          .log("Graph notification items ignored (wrong clientState, malformed, or queue full)");
    }
    ObjectNode n = Json.object();
    n.put("queued", queued);
    return Response.json(202, n);
  }

  private String accept(JsonNode item) {
    if (!item.isObject()) {
      return "malformed";
    }
    String subscription = text(item, "subscriptionId");
    JsonNode state = item.get("clientState");
    byte[] expected = subscription == null ? null
        : setup.graphClientState(subscription).map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
    if (expected == null || state == null || !state.isTextual()
        || !MessageDigest.isEqual(expected, state.asText().getBytes(StandardCharsets.UTF_8))) {
      return subscription == null && state != null ? "malformed" : "bad_client_state";
    }
    Work work = new Work.GraphChange(subscription, text(item, "changeType"), text(item, "resource"), text(item, "tenantId"),
        text(item, "lifecycleEvent"));
    return queue.offer(work) ? "queued" : "queue_full";
  }

  private static String text(JsonNode item, String field) {
    JsonNode v = item.get(field);
    return v != null && v.isTextual() && v.asText().length() <= 1000 ? v.asText() : null;
  }
}
