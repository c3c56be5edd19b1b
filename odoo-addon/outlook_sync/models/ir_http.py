# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        info = super().session_info()
        # The web client's user id is `session.uid` on Odoo 17 but `user.userId`
        # of @web/core/user on 18 and 19 (which removes `uid` from the session,
        # and which 17 lacks). This key reads the same on all three.
        info["outlook_sync_uid"] = self.env.user.id
        return info
