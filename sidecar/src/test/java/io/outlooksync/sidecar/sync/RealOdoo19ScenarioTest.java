package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.odoo.RealOdooExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scenarios against a real Odoo 19 ({@code ODOO_HOME_19}), over JSON-2. */
@ExtendWith(RealOdooExtension.Odoo19.class)
class RealOdoo19ScenarioTest extends RealOdooScenarios {}
