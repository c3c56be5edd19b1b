package io.outlooksync.sidecar.odoo;

import java.util.Locale;

/** Which of Odoo's external APIs the sidecar speaks: chosen from the server's version, or forced. */
public enum OdooProtocol {
  /** JSON-2 for Odoo 19 and later, XML-RPC before. */
  AUTO,
  XMLRPC,
  JSON2;

  /** The configuration's spelling: auto, xmlrpc or json2. */
  public static OdooProtocol parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown Odoo protocol " + text + ": use auto, xmlrpc or json2", e);
    }
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
