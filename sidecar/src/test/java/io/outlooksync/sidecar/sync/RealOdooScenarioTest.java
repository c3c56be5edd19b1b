package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.odoo.RealOdooExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scenarios against a real Odoo 18 ({@code ODOO_HOME_18} or {@code ODOO_HOME}, docs/odoo.md), over XML-RPC. */
@ExtendWith(RealOdooExtension.class)
class RealOdooScenarioTest extends RealOdooScenarios {}
