package io.outlooksync.sidecar.odoo;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway contract against a real Odoo; subclasses name the release (their {@link RealOdooExtension}) and
 * the protocol. Classes of one release share its Odoo, so Zoe is created once and found by the next class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RealOdooGatewayCases extends OdooGatewayContract {
  private RealOdoo odoo;
  private long zoe;

  @BeforeAll
  void createZoe(RealOdoo shared) {
    odoo = shared;
    List<Long> found = odoo.raw().searchAll("res.users", List.of(List.of("login", "=", ZONED_LOGIN)));
    zoe = found.isEmpty() ? odoo.createUser(ZONED_LOGIN, "Zoe", "zoe-" + RUN + "@example.com", "Europe/Brussels") : found.get(0);
  }

  @Override
  protected int major() {
    return odoo.major();
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
  protected boolean hasOurAddon() {
    return false; // the harness installs calendar only
  }

  @Override
  protected long zonedUser() {
    return zoe;
  }
}
