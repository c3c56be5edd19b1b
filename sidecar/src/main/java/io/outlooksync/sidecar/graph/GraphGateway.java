package io.outlooksync.sidecar.graph;

import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.EventCollectionResponse;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.calendarview.delta.DeltaGetResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything the sync engine asks of one mailbox's Outlook calendar: delta pages of a window, single events,
 * a series' instances, and batched writes. Every call takes its slots from the mailbox's {@link MailboxPacer},
 * so the gateway never has more than 4 requests in flight for a mailbox, whatever threads call it.
 *
 * <p>Failures arrive typed: {@link DeltaExpiredException} (run a full round), {@link GraphThrottledException},
 * {@link GraphUnavailableException} (try later), {@link GraphException} (refused), or the token source's own
 * exception unchanged. Writes report per write in {@link WriteResult}s instead.
 */
public final class GraphGateway {
  private static final int INSTANCES_PAGE = 100;

  private final GraphServiceClient graph;
  private final MailboxPacer pacer;
  private final String mailbox;
  private final BatchWriter writer;
  private final BatchReader reader;

  GraphGateway(GraphServiceClient graph, MailboxPacer pacer, String mailbox, String readZone) {
    this.graph = graph;
    this.pacer = pacer;
    this.mailbox = mailbox;
    this.writer = new BatchWriter(graph, pacer, new WriteRequests(graph, readZone));
    this.reader = new BatchReader(graph, pacer, readZone);
  }

  public String mailbox() {
    return mailbox;
  }

  /**
   * Starts a full delta round over {@code [from, to)} (Graph refuses windows over 5 years). The round also
   * asks for our extended property, which Graph keeps for every later page and round of this delta chain.
   */
  public DeltaPage firstPage(Instant from, Instant to, int maxPageSize) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    java.util.function.Consumer<com.microsoft.graph.users.item.calendarview.delta.DeltaRequestBuilder.GetRequestConfiguration> config =
        rc -> {
          rc.queryParameters.startDateTime = from.toString();
          rc.queryParameters.endDateTime = to.toString();
          rc.queryParameters.expand = new String[] {OdooTag.EXPAND};
          rc.headers.add("Prefer", "odata.maxpagesize=" + maxPageSize);
        };
    return page("delta first page", () -> graph.me().calendarView().delta().get(config),
        () -> graph.me().calendarView().delta().toGetRequestInformation(config));
  }

  /**
   * The page behind a nextLink (same round) or a deltaLink (the changes since that round). The page size is a
   * request header, so it is given again on every page.
   */
  public DeltaPage nextPage(String link, int maxPageSize) {
    Objects.requireNonNull(link, "link");
    return page("delta page", () -> graph.me().calendarView().delta().withUrl(link)
        .get(rc -> rc.headers.add("Prefer", "odata.maxpagesize=" + maxPageSize)),
        () -> graph.me().calendarView().delta().withUrl(link)
        .toGetRequestInformation(rc -> rc.headers.add("Prefer", "odata.maxpagesize=" + maxPageSize)));
  }

  /** A page through the SDK; one it cannot parse is read again event by event ({@link ItemwisePage}). */
  private DeltaPage page(String what, Supplier<DeltaGetResponse> request, Supplier<com.microsoft.kiota.RequestInformation> raw) {
    DeltaGetResponse reply;
    try {
      reply = call(what, request);
    } catch (GraphException e) {
      if (e.getClass() != GraphException.class || e.status() != 0 || !ItemwisePage.isParseFailure(e.getCause())) {
        throw e;
      }
      return call(what, () -> ItemwisePage.read(graph, raw.get(), what));
    }
    List<DeltaItem> items = new ArrayList<>();
    if (reply.getValue() != null) {
      for (Event e : reply.getValue()) {
        items.add(EventMapper.map(e));
      }
    }
    String next = reply.getOdataNextLink();
    String delta = reply.getOdataDeltaLink();
    if (next == null && delta == null) {
      throw new GraphException(what + ": page without nextLink or deltaLink", 200, null, null);
    }
    return new DeltaPage(items, next, next == null ? delta : null);
  }

  /** One event with our tag, or empty when Graph has no such event (404). */
  public Optional<GraphEvent> event(String id) {
    Objects.requireNonNull(id, "id");
    Event e;
    try {
      e = call("GET event " + id, () -> graph.me().events().byEventId(id)
          .get(rc -> rc.queryParameters.expand = new String[] {OdooTag.EXPAND}));
    } catch (GraphException notFound) {
      if (notFound.status() == 404) {
        return Optional.empty();
      }
      throw notFound;
    }
    return Optional.of(readable("event " + id, EventMapper.map(e)));
  }

  /**
   * Many events by id, read in {@code $batch}es of 20 GETs; ids Graph no longer has (404) are absent from the
   * result. Fails as a whole, like {@link #event}, on anything but 404 once throttling is waited out.
   */
  public Map<String, GraphEvent> events(Collection<String> ids) {
    Objects.requireNonNull(ids, "ids");
    return ids.isEmpty() ? Map.of() : reader.read(List.copyOf(ids));
  }

  /**
   * Occurrences and exceptions of a series between {@code from} and {@code to}, all pages. Cancelled occurrences
   * are absent (that is how the engine notices them, since delta says nothing). One unreadable instance fails the
   * call: a partial list would look like cancellations.
   */
  public List<GraphEvent> instances(String masterId, Instant from, Instant to) {
    Objects.requireNonNull(masterId, "masterId");
    List<GraphEvent> out = new ArrayList<>();
    String what = "instances of " + masterId;
    EventCollectionResponse page = call(what, () -> graph.me().events().byEventId(masterId).instances().get(rc -> {
      rc.queryParameters.startDateTime = from.toString();
      rc.queryParameters.endDateTime = to.toString();
      rc.queryParameters.expand = new String[] {OdooTag.EXPAND};
      // $top as well as the preference: a series of a thousand occurrences in pages of Graph's default 10 is a
      // hundred requests against the mailbox's budget.
      rc.queryParameters.top = INSTANCES_PAGE;
      rc.headers.add("Prefer", "odata.maxpagesize=" + INSTANCES_PAGE);
    }));
    while (true) {
      if (page.getValue() != null) {
        for (Event e : page.getValue()) {
          out.add(readable(what, EventMapper.map(e)));
        }
      }
      String next = page.getOdataNextLink();
      if (next == null) {
        return out;
      }
      page = call(what, () -> graph.me().events().byEventId(masterId).instances().withUrl(next)
          .get(rc -> rc.headers.add("Prefer", "odata.maxpagesize=" + INSTANCES_PAGE)));
    }
  }

  /** Sends the writes in {@code $batch}es; one result per write, in the same order. */
  public List<WriteResult> write(List<GraphWrite> writes) {
    return writer.write(List.copyOf(writes));
  }

  static GraphEvent readable(String what, DeltaItem item) {
    if (item instanceof GraphEvent g) {
      return g;
    }
    String reason = item instanceof GraphEventError err ? err.reason() : "not a whole event";
    throw new GraphException(what + ": item " + item.id() + " unreadable: " + reason, 200, null, null);
  }

  private <T> T call(String what, Supplier<T> request) {
    try (MailboxPacer.Held held = pacer.acquire(1)) {
      return request.get();
    } catch (RuntimeException e) {
      throw GraphFailures.translate(what, e);
    }
  }
}
