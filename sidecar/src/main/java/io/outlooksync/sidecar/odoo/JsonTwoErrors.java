package io.outlooksync.sidecar.odoo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON-2's error replies as our exceptions. Odoo answers an error with a status and a JSON object
 * {@code {"name", "message", "arguments", "context", "debug"}} (odoo/http.py, {@code Json2Dispatcher.handle_error}):
 * {@code odoo.exceptions.UserError} and its kin with their own status (422; AccessDenied and AccessError 403,
 * MissingError 404, LockError 409), werkzeug's HTTP errors with theirs (401 for a missing or wrong API key, 404
 * for an unknown model or method, 422 for wrong arguments), anything else 500. Only the first line of the
 * message is kept: later lines may quote record content; {@code debug} (the traceback) never is.
 */
final class JsonTwoErrors {
  private JsonTwoErrors() {}

  /** {@code error} is the parsed body, or null when it is not JSON (a proxy's page, or no JSON-2 there). */
  static OdooException of(String what, int status, JsonNode error, OdooConfig config) {
    String name = error != null && error.path("name").isTextual() ? error.path("name").textValue() : null;
    String message = error != null && error.path("message").isTextual() ? error.path("message").textValue() : "";
    String line = OdooText.shorten(OdooText.firstLine(message));
    if (status == 401 || "odoo.exceptions.AccessDenied".equals(name) || "odoo.http.SessionExpiredException".equals(name)) {
      return new OdooAuthException(what + ": Odoo refused the API key of login " + config.login() + " on database "
          + config.database() + " (HTTP " + status + (line.isEmpty() ? "" : ": " + line) + ")");
    }
    if (name == null) {
      return new OdooException(what + ": Odoo answered HTTP " + status
          + (status == 404 ? " (is the URL right? JSON-2 needs Odoo 19 or later)" : " (is the URL right?)"));
    }
    if (name.equals("odoo.exceptions.AccessError")) {
      return new OdooAccessException(what + ": " + line);
    }
    if (name.startsWith("odoo.exceptions.")) {
      return new OdooUserError(what + ": " + line);
    }
    if (name.startsWith("werkzeug.exceptions.")) {
      return new OdooException(what + ": Odoo answered HTTP " + status + ": " + line);
    }
    String type = name.startsWith("builtins.") ? name.substring("builtins.".length()) : name;
    return new OdooException(what + ": Odoo error " + type + (line.isEmpty() ? "" : ": " + line));
  }
}
