package io.outlooksync.sidecar.odoo;

import java.util.Map;

/**
 * An Odoo 18 that tests talk to over XML-RPC: the emulator ({@link EmulatedOdoo}) or a real one ({@link
 * RealOdoo}). Tests that run against both use only this, so they cannot lean on emulator internals.
 */
public interface OdooUnderTest {
  /** Base URL, e.g. http://127.0.0.1:8069. */
  String url();

  String database();

  /** The sidecar's service user, an administrator: login and API key. */
  OdooConfig serviceConfig();

  long serviceUid();

  /** Plain XML-RPC as the service user. */
  RawOdoo raw();

  /** A short name for messages and logs: "emulator" or "Odoo 18.0". */
  String describe();

  /** Creates an internal user the way an administrator does over XML-RPC; returns its uid. */
  default long createUser(String login, String name, String email, String tz) {
    return raw().create("res.users", Map.of("login", login, "name", name, "email", email, "tz", tz));
  }
}
