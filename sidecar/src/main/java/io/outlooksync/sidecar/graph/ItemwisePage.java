package io.outlooksync.sidecar.graph;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.serialization.JsonParseNode;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * A delta page read event by event. The SDK parses a page whole, so one event of an unexpected shape (a number
 * where a boolean belongs, found by {@code GraphRepliesFuzzTest}) failed the page, and with it every round of the
 * mailbox. When the SDK cannot parse a page, the gateway asks for it again as raw JSON (re-reading a delta page is
 * harmless) and parses each event alone here: the one that fails becomes a {@link GraphEventError}, the others
 * are read. A page that is not JSON at all is still an error of the whole page.
 */
final class ItemwisePage {
  private ItemwisePage() {}

  /** Whether {@code t} (a cause chain) is the SDK failing to parse a reply, not the reply failing to arrive. */
  static boolean isParseFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException) {
        return false;
      }
      if (c instanceof JsonParseException || c instanceof IllegalStateException || c instanceof NumberFormatException
          || c instanceof ClassCastException || c instanceof UnsupportedOperationException) {
        return true;
      }
    }
    return false;
  }

  static DeltaPage read(GraphServiceClient graph, RequestInformation request, String what) {
    HashMap<String, ParsableFactory<? extends Parsable>> errors = new HashMap<>();
    errors.put("XXX", ODataError::createFromDiscriminatorValue);
    JsonObject page;
    try (InputStream body = graph.getRequestAdapter().sendPrimitive(request, errors, InputStream.class)) {
      if (body == null) {
        throw new GraphException(what + ": an empty page", 200, null, null);
      }
      JsonElement root = JsonParser.parseReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      if (!root.isJsonObject()) {
        throw new GraphException(what + ": the page is not a JSON object", 200, null, null);
      }
      page = root.getAsJsonObject();
    } catch (IOException | JsonParseException e) {
      throw new GraphException(what + ": the page cannot be read (" + e.getClass().getSimpleName() + ")", 200, null, e);
    }
    List<DeltaItem> items = new ArrayList<>();
    JsonElement value = page.get("value");
    if (value != null && value.isJsonArray()) {
      for (JsonElement item : value.getAsJsonArray()) {
        items.add(item(item));
      }
    }
    String next = link(page, "@odata.nextLink");
    String delta = link(page, "@odata.deltaLink");
    if (next == null && delta == null) {
      throw new GraphException(what + ": page without nextLink or deltaLink", 200, null, null);
    }
    return new DeltaPage(items, next, next == null ? delta : null);
  }

  private static DeltaItem item(JsonElement item) {
    String id = null;
    JsonElement idValue = item.isJsonObject() ? item.getAsJsonObject().get("id") : null;
    if (idValue != null && idValue.isJsonPrimitive()) {
      id = idValue.getAsString();
    }
    try {
      Event e = new JsonParseNode(item).getObjectValue(Event::createFromDiscriminatorValue);
      return EventMapper.map(e);
    } catch (RuntimeException bad) {
      // The reason names the failure, never the content.
      return new GraphEventError(id, "unreadable: " + bad.getClass().getSimpleName());
    }
  }

  private static String link(JsonObject page, String name) {
    JsonElement e = page.get(name);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }
}
