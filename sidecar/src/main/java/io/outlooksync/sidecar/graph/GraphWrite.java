package io.outlooksync.sidecar.graph;

import java.util.Objects;
import java.util.Set;

/** One write the engine asks of Graph; {@link GraphGateway#write} sends them in {@code $batch}es. */
public sealed interface GraphWrite {
  /**
   * {@code POST /me/events}. {@code transactionId} is mandatory: OkHttp re-sends a POST whose reply was lost,
   * and the gateway re-sends batches after connection failures; Graph answers a repeated id with the first event.
   * The tag is the draft's {@code odooTag}.
   */
  record Create(GraphEventDraft draft, String transactionId) implements GraphWrite {
    public Create {
      Objects.requireNonNull(draft, "draft");
      if (transactionId == null || transactionId.isBlank()) {
        throw new IllegalArgumentException("every create carries a transactionId");
      }
    }
  }

  /**
   * {@code PATCH /me/events/{id}} of the given fields of {@code changes}. With {@code ifMatch} (a changeKey) a
   * concurrent change in Outlook gives a {@link WriteResult.Status#CONFLICT} instead of being overwritten.
   */
  record Update(String id, GraphEventDraft changes, Set<GraphEventDraft.Field> fields, String ifMatch) implements GraphWrite {
    public Update {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(changes, "changes");
      fields = Set.copyOf(fields);
      if (fields.isEmpty()) {
        throw new IllegalArgumentException("an update writes at least one field");
      }
    }
  }

  /** {@code DELETE /me/events/{id}}; on the organizer's calendar Outlook mails cancellations. */
  record Delete(String id) implements GraphWrite {
    public Delete {
      Objects.requireNonNull(id, "id");
    }
  }

  /** {@code POST /me/events/{id}/cancel}: the organizer cancels with a message to attendees. */
  record Cancel(String id, String comment) implements GraphWrite {
    public Cancel {
      Objects.requireNonNull(id, "id");
    }
  }

  /** {@code accept}, {@code decline} or {@code tentativelyAccept} as an attendee. */
  record Answer(String id, Response response, boolean sendResponse, String comment) implements GraphWrite {
    public Answer {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(response, "response");
    }
  }

  enum Response {
    ACCEPT, DECLINE, TENTATIVE
  }
}
