package io.outlooksync.sidecar.odoo;

import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooUser;

/** A fresh Odoo emulator with one service user, "sync" (an administrator with API key "sync-key"). */
public final class EmulatedOdoo implements OdooUnderTest, AutoCloseable {
  private static final String DB = "prod";
  private static final String SERVICE = "sync";
  private static final String KEY = "sync-key";

  private final OdooEmulator emulator;
  private final RawOdoo raw;

  private EmulatedOdoo(OdooEmulator emulator) throws Exception {
    this.emulator = emulator;
    this.raw = new RawOdoo(emulator.url(), DB, emulator.uid(SERVICE), KEY);
  }

  public static EmulatedOdoo start() throws Exception {
    return new EmulatedOdoo(OdooEmulator.builder().database(DB)
        .user(OdooUser.of(SERVICE, "sync-pw").apiKey(KEY).name("Sync").email("sync@example.com").asAdmin())
        .build().start());
  }

  /** The emulator's own controls (faults, outages, the call log): for emulator-only tests. */
  public OdooEmulator emulator() {
    return emulator;
  }

  @Override
  public String url() {
    return emulator.url();
  }

  @Override
  public String database() {
    return DB;
  }

  @Override
  public OdooConfig serviceConfig() {
    return OdooConfig.of(emulator.url(), DB, SERVICE, KEY);
  }

  @Override
  public long serviceUid() {
    return emulator.uid(SERVICE);
  }

  @Override
  public RawOdoo raw() {
    return raw;
  }

  @Override
  public String describe() {
    return "emulator";
  }

  @Override
  public void close() {
    emulator.close();
  }
}
