# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError

#: Every system parameter of this addon starts with this prefix.
PARAM_PREFIX = "outlook_sync."

DEFAULT_SIDECAR_URL = "http://127.0.0.1:8077"
DEFAULT_WINDOW_PAST_DAYS = 365
DEFAULT_WINDOW_FUTURE_DAYS = 730


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # All values live in ir.config_parameter; res.config.settings only edits
    # them. The sidecar reads the same keys over XML-RPC.
    outlook_sync_enabled = fields.Boolean(
        string="Outlook Calendar",
        config_parameter=PARAM_PREFIX + "enabled",
        help="Synchronize Odoo calendars with Microsoft Outlook through the "
        "outlook-sync sidecar service.",
    )
    outlook_sync_client_id = fields.Char(
        string="Client ID",
        config_parameter=PARAM_PREFIX + "client_id",
        help="Application (client) ID of the app registered in Microsoft "
        "Entra ID.",
    )
    outlook_sync_client_secret = fields.Char(
        string="Client Secret",
        config_parameter=PARAM_PREFIX + "client_secret",
        help="Client secret of that app registration.",
    )
    outlook_sync_sidecar_url = fields.Char(
        string="Sidecar URL",
        config_parameter=PARAM_PREFIX + "sidecar_url",
        default=DEFAULT_SIDECAR_URL,
        help="Base URL at which Odoo reaches the outlook-sync sidecar.",
    )
    outlook_sync_sidecar_secret = fields.Char(
        string="Sidecar Shared Secret",
        config_parameter=PARAM_PREFIX + "sidecar_secret",
        help="Secret shared with the sidecar; both sides sign their requests "
        "with it (HMAC). Use the same value in the sidecar's configuration.",
    )
    outlook_sync_paused = fields.Boolean(
        string="Pause Synchronization",
        config_parameter=PARAM_PREFIX + "paused",
        help="Stop synchronizing for every user until unticked. Nothing is "
        "lost: changes made meanwhile are synchronized afterwards.",
    )
    outlook_sync_window_past_days = fields.Integer(
        string="Days in the Past",
        config_parameter=PARAM_PREFIX + "sync_window_past_days",
        default=DEFAULT_WINDOW_PAST_DAYS,
        help="Events that ended more than this many days ago are not "
        "synchronized.",
    )
    outlook_sync_window_future_days = fields.Integer(
        string="Days in the Future",
        config_parameter=PARAM_PREFIX + "sync_window_future_days",
        default=DEFAULT_WINDOW_FUTURE_DAYS,
        help="Events that start more than this many days ahead are not "
        "synchronized.",
    )
    outlook_sync_quiet_mode_default = fields.Boolean(
        string="Quiet Mode for New Connections",
        config_parameter=PARAM_PREFIX + "quiet_mode_default",
        help="In quiet mode, events are written to Outlook without their "
        "attendees, as blocked time, so Outlook mails nobody. This is the "
        "setting a newly connected user starts with; the sidecar applies it.",
    )

    @api.constrains(
        "outlook_sync_window_past_days", "outlook_sync_window_future_days"
    )
    def _check_outlook_sync_window(self):
        for settings in self:
            if (
                settings.outlook_sync_window_past_days < 0
                or settings.outlook_sync_window_future_days < 0
            ):
                raise ValidationError(
                    self.env._("The Outlook sync window cannot be negative.")
                )

    @api.constrains("outlook_sync_sidecar_url")
    def _check_outlook_sync_sidecar_url(self):
        for settings in self:
            url = (settings.outlook_sync_sidecar_url or "").strip()
            if not url:
                continue
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValidationError(
                    self.env._(
                        "The sidecar URL must start with http:// or https:// "
                        "and name a host, e.g. %(example)s.",
                        example=DEFAULT_SIDECAR_URL,
                    )
                )
