package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.outlooksync.sidecar.odoo.JsonTwoOdooGateway;
import io.outlooksync.sidecar.odoo.OdooUnderTest;
import io.outlooksync.sidecar.odoo.RealOdoo;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scenarios against the run's real Odoo of one release; each subclass names the release with its {@code
 * RealOdooExtension} and is skipped when that release's tree is not configured (docs/compatibility.md).
 */
abstract class RealOdooScenarios extends SeriesScenarios {
  private static RealOdoo real;

  @BeforeAll
  static void connect(RealOdoo shared) {
    real = shared;
  }

  @Override
  protected OdooUnderTest odooUnderTest() {
    return real;
  }

  @Test
  void theSidecarSpeaksJsonTwoFromOdoo19OnAndXmlRpcBefore() {
    Class<?> expected = real.major() >= 19 ? JsonTwoOdooGateway.class : XmlRpcOdooGateway.class;
    assertEquals(expected, odoo.getClass(), real.describe());
  }
}
