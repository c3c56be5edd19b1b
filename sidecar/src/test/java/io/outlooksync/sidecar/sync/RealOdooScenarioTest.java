package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.odoo.OdooUnderTest;
import io.outlooksync.sidecar.odoo.RealOdoo;
import io.outlooksync.sidecar.odoo.RealOdooExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scenarios against the run's real Odoo 18, when {@code ODOO_HOME} is set (docs/odoo.md); skipped otherwise. */
@ExtendWith(RealOdooExtension.class)
class RealOdooScenarioTest extends SeriesScenarios {
  private static RealOdoo odoo;

  @BeforeAll
  static void connect(RealOdoo shared) {
    odoo = shared;
  }

  @Override
  protected OdooUnderTest odooUnderTest() {
    return odoo;
  }
}
