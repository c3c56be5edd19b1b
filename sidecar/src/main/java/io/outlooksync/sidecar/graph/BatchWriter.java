package io.outlooksync.sidecar.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends writes in {@code $batch}es of up to 20 through the SDK's {@link BatchRequestContent}, one batch at a time
 * per mailbox (a batch holds as many of the mailbox's slots as Outlook runs its steps in parallel, up to 4), the
 * next one built while the previous is in flight ({@link TwoSenders}).
 *
 * <p>Graph answers a batch 200 even when steps inside were throttled, and the SDK retries none of those: steps
 * answered 429 or 5xx go again in a new batch after the longest {@code Retry-After} among them, at most
 * {@link #MAX_ATTEMPTS} times. A batch whose reply is lost is sent again whole ({@link #MAX_LOST_REPLIES} times):
 * creates carry transactionIds, deletes of gone events count as done, so repeating is safe; the one side effect
 * is that an update with {@code ifMatch} that had in fact landed reports a conflict, which a re-read resolves.
 */
final class BatchWriter {
  static final int MAX_STEPS = 20;
  static final int MAX_ATTEMPTS = 5;
  static final int MAX_LOST_REPLIES = 2;
  /** A Retry-After beyond this is not waited out inside a write: the step is reported THROTTLED instead. */
  static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final GraphServiceClient graph;
  private final MailboxPacer pacer;
  private final WriteRequests requests;

  BatchWriter(GraphServiceClient graph, MailboxPacer pacer, WriteRequests requests) {
    this.graph = graph;
    this.pacer = pacer;
    this.requests = requests;
  }

  List<WriteResult> write(List<GraphWrite> writes) {
    WriteResult[] results = new WriteResult[writes.size()];
    List<List<Integer>> chunks = new ArrayList<>();
    for (int from = 0; from < writes.size(); from += MAX_STEPS) {
      List<Integer> chunk = new ArrayList<>();
      for (int i = from; i < Math.min(writes.size(), from + MAX_STEPS); i++) {
        chunk.add(i);
      }
      chunks.add(chunk);
    }
    TwoSenders.run(chunks.size(), c -> send(chunks.get(c), writes, results));
    return List.of(results);
  }

  private void send(List<Integer> chunk, List<GraphWrite> writes, WriteResult[] results) {
    List<Integer> pending = chunk;
    int lostReplies = 0;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      Map<String, Integer> steps = new LinkedHashMap<>();
      BatchRequestContent batch = new BatchRequestContent(graph);
      for (int i : pending) {
        steps.put(batch.addBatchRequestStep(requests.request(writes.get(i))), i);
      }
      BatchResponseContent reply;
      try (MailboxPacer.Held held = pacer.acquire(steps.size())) {
        reply = graph.getBatchRequestBuilder().post(batch, null);
      } catch (IOException | RuntimeException e) {
        RuntimeException failure = GraphFailures.translate("POST $batch of " + steps.size(), e);
        if (failure instanceof GraphUnavailableException && failure.getCause() != null
            && ((GraphUnavailableException) failure).status() == 0 && lostReplies++ < MAX_LOST_REPLIES) {
          attempt--; // a lost reply is not the steps' fault; it has its own budget
          if (!Pauses.pause(Pauses.backoff(lostReplies))) {
            giveUp(pending, writes, results, WriteResult.Status.UNAVAILABLE, 0, null, null);
            return;
          }
          continue;
        }
        if (failure instanceof GraphThrottledException t) {
          giveUp(pending, writes, results, WriteResult.Status.THROTTLED, 429, t.code(), t.retryAfter());
          return;
        }
        if (failure instanceof GraphUnavailableException u) {
          giveUp(pending, writes, results, WriteResult.Status.UNAVAILABLE, u.status(), u.code(), null);
          return;
        }
        throw failure; // the token source's verdict, or a batch Graph refused whole (a bug of ours)
      }
      List<Integer> again = new ArrayList<>();
      Duration wait = Duration.ZERO;
      for (Map.Entry<String, Integer> step : steps.entrySet()) {
        int i = step.getValue();
        WriteResult r = result(writes.get(i), reply, step.getKey());
        boolean transientFailure = r.status() == WriteResult.Status.THROTTLED || r.status() == WriteResult.Status.UNAVAILABLE;
        Duration after = r.retryAfter() != null ? r.retryAfter() : Pauses.backoff(attempt);
        if (transientFailure && attempt < MAX_ATTEMPTS && after.compareTo(MAX_WAIT) <= 0) {
          again.add(i);
          wait = after.compareTo(wait) > 0 ? after : wait;
        } else {
          results[i] = r;
        }
      }
      pending = again;
      if (!pending.isEmpty() && !Pauses.pause(wait)) {
        giveUp(pending, writes, results, WriteResult.Status.UNAVAILABLE, 0, null, null);
        return;
      }
    }
  }

  private static WriteResult result(GraphWrite write, BatchResponseContent reply, String stepId) {
    Integer status = reply.getResponsesStatusCode().get(stepId);
    if (status == null) {
      return new WriteResult(write, WriteResult.Status.UNAVAILABLE, 0, null, null, null, null, null, null);
    }
    if (status >= 200 && status < 300) {
      if (write instanceof GraphWrite.Create || write instanceof GraphWrite.Update) {
        Event e = reply.getResponseById(stepId, Event::createFromDiscriminatorValue);
        DeltaItem read = e == null ? null : EventMapper.map(e);
        return new WriteResult(write, WriteResult.Status.OK, status, e == null ? null : e.getId(), e == null ? null : e.getChangeKey(),
            read instanceof GraphEvent g ? g : null, null, null, null);
      }
      return new WriteResult(write, WriteResult.Status.OK, status, null, null, null, null, null, null);
    }
    String code = null;
    String message = null;
    Duration retryAfter = null;
    try (Response r = reply.getResponseById(stepId)) {
      if (r != null) {
        retryAfter = GraphFailures.parseRetryAfter(r.header("Retry-After"));
        ResponseBody body = r.body();
        if (body != null) {
          JsonNode error = JSON.readTree(body.string()).path("error");
          code = error.path("code").isTextual() ? error.path("code").asText() : null;
          message = error.path("message").isTextual() ? error.path("message").asText() : null;
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      // The status alone decides below.
    }
    WriteResult.Status outcome;
    if (status == 404 && (write instanceof GraphWrite.Delete || write instanceof GraphWrite.Cancel)) {
      outcome = WriteResult.Status.ALREADY_GONE;
    } else if (status == 412) {
      outcome = WriteResult.Status.CONFLICT;
    } else if (status == 429) {
      outcome = WriteResult.Status.THROTTLED;
    } else if (status >= 500) {
      outcome = WriteResult.Status.UNAVAILABLE;
    } else {
      outcome = WriteResult.Status.FAILED;
    }
    return new WriteResult(write, outcome, status, null, null, null, code, message, retryAfter);
  }

  private static void giveUp(List<Integer> pending, List<GraphWrite> writes, WriteResult[] results, WriteResult.Status status,
      int httpStatus, String code, Duration retryAfter) {
    for (int i : pending) {
      results[i] = new WriteResult(writes.get(i), status, httpStatus, null, null, null, code, null, retryAfter);
    }
  }
}
