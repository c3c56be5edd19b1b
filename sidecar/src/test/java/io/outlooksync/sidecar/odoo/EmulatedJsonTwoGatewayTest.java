package io.outlooksync.sidecar.odoo;

/** The contract and the emulator's outages and faults over JSON-2, against an emulated Odoo 19. */
class EmulatedJsonTwoGatewayTest extends EmulatedOdooCases {
  @Override
  protected OdooGateway gateway(OdooConfig config) {
    return new JsonTwoOdooGateway(config);
  }

  @Override
  protected int major() {
    return 19;
  }
}
