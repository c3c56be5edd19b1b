package io.outlooksync.sidecar.odoo;

import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway contract over JSON-2 against a real Odoo 19 ({@code ODOO_HOME_19}). */
@ExtendWith(RealOdooExtension.Odoo19.class)
class RealOdoo19JsonTwoGatewayTest extends RealOdooGatewayCases {
  @Override
  protected OdooGateway gateway(OdooConfig config) {
    return new JsonTwoOdooGateway(config);
  }
}
