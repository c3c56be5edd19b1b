package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.odoo.EmulatedOdoo;
import io.outlooksync.sidecar.odoo.OdooUnderTest;
import org.junit.jupiter.api.AfterEach;

/** The scenarios against a fresh Odoo emulator per test; scenarios that need the emulator's controls go here. */
class SyncRunnerScenarioTest extends SyncRunnerScenarios {
  private EmulatedOdoo emulated;

  @Override
  protected OdooUnderTest odooUnderTest() throws Exception {
    emulated = EmulatedOdoo.start();
    return emulated;
  }

  @AfterEach
  void stopEmulator() {
    emulated.close();
  }
}
