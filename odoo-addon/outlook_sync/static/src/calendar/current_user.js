/** @odoo-module **/
// Copyright 2026 outlook-sync contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { session } from "@web/session";

// Odoo 17 has no @web/core/user and 18/19 drop `uid` from the session, so the
// addon puts the user id in the session itself (models/ir_http.py).
export function outlookSyncUserId() {
    return session.outlook_sync_uid;
}
