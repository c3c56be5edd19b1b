package io.outlooksync.sidecar.graph;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestInformation;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import okhttp3.Response;

/**
 * Reads many events by id in {@code $batch}es of up to 20 GETs: a run that touched 5,000 mapped pairs reads
 * their Outlook side in 250 requests, not 5,000. Steps answered 429 or 5xx go again after the longest
 * {@code Retry-After} (as {@link BatchWriter} does); 404 means gone; any other failure fails the whole read, as
 * {@link GraphGateway#event} does, since a missing event taken for deleted would delete its Odoo copy.
 */
final class BatchReader {
  private final GraphServiceClient graph;
  private final MailboxPacer pacer;
  private final String prefer;

  BatchReader(GraphServiceClient graph, MailboxPacer pacer, String readZone) {
    this.graph = graph;
    this.pacer = pacer;
    // Batch steps do not inherit the envelope's headers, so each carries the preferences itself.
    this.prefer = PreferInterceptor.merged(List.of(), readZone);
  }

  /** The events that exist, by id; ids Graph answered 404 for are absent. */
  Map<String, GraphEvent> read(List<String> ids) {
    List<String> all = List.copyOf(new LinkedHashSet<>(ids));
    Map<String, GraphEvent> found = new java.util.concurrent.ConcurrentHashMap<>();
    int chunks = (all.size() + BatchWriter.MAX_STEPS - 1) / BatchWriter.MAX_STEPS;
    TwoSenders.run(chunks, c -> readChunk(all.subList(c * BatchWriter.MAX_STEPS,
        Math.min(all.size(), (c + 1) * BatchWriter.MAX_STEPS)), found));
    return new HashMap<>(found);
  }

  private void readChunk(List<String> chunk, Map<String, GraphEvent> found) {
    List<String> pending = chunk;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      Map<String, String> steps = new LinkedHashMap<>(); // step id -> event id
      BatchRequestContent batch = new BatchRequestContent(graph);
      for (String id : pending) {
        RequestInformation info = graph.me().events().byEventId(id)
            .toGetRequestInformation(rc -> rc.queryParameters.expand = new String[] {OdooTag.EXPAND});
        info.headers.tryAdd("Prefer", prefer);
        steps.put(batch.addBatchRequestStep(info), id);
      }
      String what = "GET of " + steps.size() + " events in $batch";
      BatchResponseContent reply;
      try (MailboxPacer.Held held = pacer.acquire(steps.size())) {
        reply = graph.getBatchRequestBuilder().post(batch, null);
      } catch (IOException | RuntimeException e) {
        throw GraphFailures.translate(what, e);
      }
      List<String> again = new ArrayList<>();
      Duration wait = Duration.ZERO;
      for (Map.Entry<String, String> step : steps.entrySet()) {
        String id = step.getValue();
        Integer status = reply.getResponsesStatusCode().get(step.getKey());
        if (status != null && status == 200) {
          Event e = reply.getResponseById(step.getKey(), Event::createFromDiscriminatorValue);
          found.put(id, GraphGateway.readable("event " + id, EventMapper.map(e)));
        } else if (status != null && status == 404) {
          found.remove(id);
        } else if (status != null && (status == 429 || status >= 500) && attempt < BatchWriter.MAX_ATTEMPTS) {
          again.add(id);
          Duration after = retryAfter(reply, step.getKey());
          after = after != null ? after : Pauses.backoff(attempt);
          if (after.compareTo(BatchWriter.MAX_WAIT) > 0) {
            throw new GraphThrottledException(what + ": event " + id + " HTTP " + status, null, after, null);
          }
          wait = after.compareTo(wait) > 0 ? after : wait;
        } else if (status != null && status == 429) {
          throw new GraphThrottledException(what + ": event " + id + " HTTP 429", null, retryAfter(reply, step.getKey()), null);
        } else if (status == null || status >= 500) {
          throw new GraphUnavailableException(what + ": event " + id + " HTTP " + status, status == null ? 0 : status, null, null);
        } else {
          throw new GraphException(what + ": event " + id + " HTTP " + status, status, null, null);
        }
      }
      pending = again;
      if (!pending.isEmpty() && !Pauses.pause(wait)) {
        throw new GraphUnavailableException(what + ": interrupted", 0, null, null);
      }
    }
  }

  private static Duration retryAfter(BatchResponseContent reply, String stepId) {
    try (Response r = reply.getResponseById(stepId)) {
      return r == null ? null : GraphFailures.parseRetryAfter(r.header("Retry-After"));
    }
  }
}
