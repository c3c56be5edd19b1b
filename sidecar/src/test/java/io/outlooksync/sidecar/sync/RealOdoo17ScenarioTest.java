package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.odoo.RealOdooExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scenarios against a real Odoo 17 ({@code ODOO_HOME_17}), over XML-RPC. */
@ExtendWith(RealOdooExtension.Odoo17.class)
class RealOdoo17ScenarioTest extends RealOdooScenarios {}
