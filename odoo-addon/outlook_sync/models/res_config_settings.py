# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .i18n import translate
from .outlook_sync_sidecar import (
    DEFAULT_SIDECAR_URL,
    PARAM_PREFIX,
    SidecarDown,
    SidecarError,
    call,
)

#: The sidecar refuses shorter shared secrets (docs/api.md).
MIN_SECRET_LENGTH = 16
REDIRECT_PATH = "/microsoft_account/authentication"
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
    outlook_sync_only_future_default = fields.Boolean(
        string="Only Future Events by Default",
        config_parameter=PARAM_PREFIX + "only_future_default",
        help="A newly connected user's first sync leaves out the Odoo events that have already ended, so "
        "nobody is invited to past meetings. Each user can change it when reviewing their first sync.",
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
                    translate(self.env, "The Outlook sync window cannot be negative.")
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
                    translate(self.env, 
                        "The sidecar URL must start with http:// or https:// "
                        "and name a host, e.g. %(example)s.",
                        example=DEFAULT_SIDECAR_URL,
                    )
                )

    @api.constrains("outlook_sync_sidecar_secret")
    def _check_outlook_sync_sidecar_secret(self):
        for settings in self:
            secret = settings.outlook_sync_sidecar_secret or ""
            if secret and len(secret) < MIN_SECRET_LENGTH:
                raise ValidationError(
                    translate(self.env, 
                        "The sidecar shared secret must have at least "
                        "%(count)s characters.",
                        count=MIN_SECRET_LENGTH,
                    )
                )

    # -- pushing to the sidecar -------------------------------------------

    def _outlook_sync_configure_payload(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""
        return {
            "ms_client_id": (self.outlook_sync_client_id or "").strip() or None,
            "ms_client_secret": self.outlook_sync_client_secret or None,
            "ms_redirect_uri": base_url.rstrip("/") + REDIRECT_PATH if base_url else None,
            "sync_window_past_days": str(self.outlook_sync_window_past_days),
            "sync_window_future_days": str(self.outlook_sync_window_future_days),
            "quiet_mode_default": "true" if self.outlook_sync_quiet_mode_default else "false",
            "only_future_default": "true" if self.outlook_sync_only_future_default else "false",
        }

    def _outlook_sync_push(self):
        """Send the settings being saved to the sidecar.

        The shared secret travels only when it is new to the sidecar: on the
        first call (bootstrap, docs/api.md) and when the administrator changed
        it here (rotation: signed with the previous secret). Raises
        :class:`SidecarError` when the sidecar refuses, :class:`SidecarDown`
        when it cannot be reached.
        """
        self.ensure_one()
        url = (self.outlook_sync_sidecar_url or DEFAULT_SIDECAR_URL).strip()
        secret = self.outlook_sync_sidecar_secret or ""
        if not secret:
            raise SidecarError(
                "not_configured",
                translate(self.env, "Set the sidecar shared secret to connect Odoo to the sidecar."),
            )
        previous = self.env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + "sidecar_secret")
        payload = self._outlook_sync_configure_payload()
        rotated = False
        if previous and previous != secret:
            try:
                call(url, previous, "POST", "/api/configure", dict(payload, api_shared_secret=secret))
                rotated = True
            except SidecarDown:
                raise
            except SidecarError as exc:
                # The sidecar may already hold the new secret (set in its own
                # configuration): then a plain call signed with it works.
                if exc.code not in ("bad_signature", "invalid_settings", "bad_request"):
                    raise
        if not rotated:
            try:
                call(url, secret, "POST", "/api/configure", payload)
            except SidecarError as exc:
                if exc.code != "no_shared_secret":
                    raise
                # First contact: the sidecar has no secret yet; give it ours.
                call(url, secret, "POST", "/api/configure", dict(payload, api_shared_secret=secret))
        call(url, secret, "POST", "/api/pause" if self.outlook_sync_paused else "/api/resume")

    def execute(self):
        """Push to the sidecar first, then store Odoo's own parameters.

        A refusal raises a UserError with the sidecar's message, and nothing
        is saved on either side. When the sidecar is down (or no shared secret
        is set yet), Odoo's parameters are saved anyway (they are what the
        next save pushes again) and a sticky warning says that the sidecar did
        not get them.
        """
        warning = None
        if self.env.is_admin() and self.outlook_sync_enabled:
            try:
                self._outlook_sync_push()
            except SidecarError as exc:
                if not isinstance(exc, SidecarDown) and exc.code != "not_configured":
                    raise UserError(
                        translate(self.env, "The outlook-sync sidecar refused the settings: %(error)s", error=str(exc))
                    ) from None
                warning = exc.message
        result = super().execute()
        if warning:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "sticky": True,
                    "title": translate(self.env, "Settings saved in Odoo only"),
                    "message": translate(self.env, 
                        "%(error)s Save the settings again once this is fixed.", error=warning
                    ),
                    "next": result,
                },
            }
        return result
