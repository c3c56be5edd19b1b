package io.outlooksync.sidecar.odoo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway contract against a real Odoo 18, when {@code ODOO_HOME} names a source tree (see {@link RealOdoo}). */
@ExtendWith(RealOdooExtension.class)
class RealOdooGatewayTest extends OdooGatewayContract {
  private static RealOdoo odoo;
  private static long zoe;

  @BeforeAll
  static void createZoe(RealOdoo shared) {
    odoo = shared;
    zoe = odoo.createUser(ZONED_LOGIN, "Zoe", "zoe-" + RUN + "@example.com", "Europe/Brussels");
  }

  @Override
  protected OdooConfig config() {
    return odoo.serviceConfig();
  }

  @Override
  protected long serviceUid() {
    return odoo.serviceUid();
  }

  @Override
  protected boolean hasOurAddon() {
    return false;
  }

  @Override
  protected RawOdoo raw() {
    return odoo.raw();
  }

  /** write_date is the transaction's start: wait until the wall clock is in the next second. */
  @Override
  protected void nextSecond() {
    long millis = System.currentTimeMillis();
    try {
      Thread.sleep(1_000 - millis % 1_000 + 20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  protected long zonedUser() {
    return zoe;
  }
}
