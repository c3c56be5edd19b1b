package io.outlooksync.sidecar.graph;

import com.microsoft.graph.models.Subscription;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Change-notification subscriptions of one mailbox: {@code POST}, {@code PATCH} and {@code DELETE /subscriptions}.
 * Graph validates the notification URL during the POST (and during a PATCH that moves it), so those calls last
 * as long as our own webhook takes to answer the handshake. Errors are translated as the gateway's are.
 */
public final class SubscriptionGateway {
  /** A subscription as Graph made or renewed it. */
  public record Made(String id, Instant expiresAt) {}

  private final GraphServiceClient graph;
  private final MailboxPacer pacer;

  SubscriptionGateway(GraphServiceClient graph, MailboxPacer pacer) {
    this.graph = graph;
    this.pacer = pacer;
  }

  /**
   * Subscribes to {@code resource} ({@code me/events}) for {@code changeTypes} (comma-separated), delivering to
   * {@code notificationUrl} and lifecycle events to {@code lifecycleUrl}, each carrying {@code clientState}.
   */
  public Made create(String resource, String changeTypes, String notificationUrl, String lifecycleUrl, String clientState,
                     Instant expiresAt) {
    Subscription s = new Subscription();
    s.setResource(Objects.requireNonNull(resource));
    s.setChangeType(changeTypes);
    s.setNotificationUrl(notificationUrl);
    s.setLifecycleNotificationUrl(lifecycleUrl);
    s.setClientState(clientState);
    s.setExpirationDateTime(expiresAt.atOffset(ZoneOffset.UTC));
    Subscription made = call("POST subscription", () -> graph.subscriptions().post(s));
    return new Made(made.getId(), made.getExpirationDateTime().toInstant());
  }

  /**
   * Extends the subscription to {@code expiresAt} and, when {@code notificationUrl} is not null, moves it there.
   * Empty when Graph no longer has it (404: expired or removed), which the caller answers by creating another.
   */
  public Optional<Made> renew(String id, Instant expiresAt, String notificationUrl) {
    Subscription s = new Subscription();
    s.setExpirationDateTime(expiresAt.atOffset(ZoneOffset.UTC));
    if (notificationUrl != null) {
      s.setNotificationUrl(notificationUrl);
    }
    try {
      Subscription renewed = call("PATCH subscription " + id, () -> graph.subscriptions().bySubscriptionId(id).patch(s));
      return Optional.of(new Made(id, renewed.getExpirationDateTime().toInstant()));
    } catch (GraphException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Deletes the subscription; one Graph no longer has counts as deleted. */
  public void delete(String id) {
    try {
      call("DELETE subscription " + id, () -> {
        graph.subscriptions().bySubscriptionId(id).delete();
        return null;
      });
    } catch (GraphException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
  }

  private <T> T call(String what, Supplier<T> request) {
    try (MailboxPacer.Held held = pacer.acquire(1)) {
      return request.get();
    } catch (RuntimeException e) {
      throw GraphFailures.translate(what, e);
    }
  }
}
