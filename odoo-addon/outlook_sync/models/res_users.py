# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timezone

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .forecast import sync_summary
from .i18n import translate
from .outlook_sync_sidecar import PARAM_PREFIX, RUN_TIMEOUT, TIMEOUT, SidecarDown, SidecarError

#: Sidecar account states (upper case) -> the addon's states.
STATES = {
    "NOT_CONNECTED": "not_connected",
    "CONNECTED": "connected",
    "NEEDS_REAUTH": "needs_reauth",
    "PAUSED": "paused",
    "STOPPED": "not_connected",
}

STATE_SELECTION = [
    ("not_configured", "Not configured"),
    ("not_connected", "Not connected"),
    ("connected", "Connected"),
    ("paused", "Paused"),
    ("needs_reauth", "Needs reconnecting"),
    ("error", "Error"),
]


def parse_instant(value):
    """``2026-11-24T09:00:00Z`` -> naive UTC datetime (Odoo's convention)."""
    if not value:
        return False
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


class ResUsers(models.Model):
    _inherit = "res.users"

    # Read from the sidecar when displayed (never stored, never triggers a
    # sync). Administrators only: a user sees their own state through the
    # Outlook button of the Calendar app (outlook_sync_status).
    outlook_sync_state = fields.Selection(
        STATE_SELECTION, string="Outlook Sync", compute="_compute_outlook_sync", groups="base.group_system"
    )
    outlook_sync_account = fields.Char(
        string="Outlook Account", compute="_compute_outlook_sync", groups="base.group_system"
    )
    outlook_sync_last_sync = fields.Datetime(
        string="Last Outlook Sync", compute="_compute_outlook_sync", groups="base.group_system"
    )
    outlook_sync_last_error = fields.Char(
        string="Last Outlook Error", compute="_compute_outlook_sync", groups="base.group_system"
    )

    def _compute_outlook_sync(self):
        for user in self:
            status = user._outlook_sync_fetch_status() if user.id else {"state": "not_connected"}
            user.outlook_sync_state = status["state"]
            user.outlook_sync_account = status.get("ms_username") or False
            user.outlook_sync_last_sync = parse_instant(status.get("last_sync_at"))
            user.outlook_sync_last_error = status.get("last_error") or status.get("message") or False

    # -- helpers ------------------------------------------------------------

    def _outlook_sync_configured(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        return bool(
            get(PARAM_PREFIX + "enabled") and get(PARAM_PREFIX + "sidecar_secret") and get(PARAM_PREFIX + "client_id")
        )

    def _outlook_sync_check_access(self, admin_allowed=True):
        """Only the user themselves (or, where allowed, an administrator)."""
        self.ensure_one()
        if self.env.su:
            return
        if self.id == self.env.uid:
            return
        if admin_allowed and self.env.user.has_group("base.group_system"):
            return
        raise AccessError(translate(self.env, "You can only manage your own Outlook connection."))

    def _outlook_sync_sidecar(self):
        return self.env["outlook_sync.sidecar"].sudo()

    def _outlook_sync_fetch_status(self):
        """The sidecar's view of this user, as a dict with our ``state``."""
        self.ensure_one()
        if not self._outlook_sync_configured():
            return {"state": "not_configured"}
        sidecar = self._outlook_sync_sidecar()
        try:
            answer = sidecar._call("GET", sidecar._user_path(self.id, "status"))
        except SidecarError as exc:
            if exc.code == "not_connected":
                return {"state": "not_connected"}
            return {"state": "error", "message": str(exc), "error_code": exc.code}
        status = {key: answer.get(key) for key in ("ms_username", "last_sync_at", "last_error", "last_error_at")}
        status["state"] = STATES.get(answer.get("state"), "error")
        # Set by the sidecar after sign-in until the first sync is confirmed.
        status["awaiting_first_sync"] = bool(answer.get("awaiting_first_sync"))
        status["reason"] = answer.get("state_reason")
        return status

    def _outlook_sync_post(self, action, payload=None, method="POST", timeout=TIMEOUT):
        """Call this user's endpoint ``action``; a refusal becomes a UserError with the sidecar's message."""
        sidecar = self._outlook_sync_sidecar()
        try:
            return sidecar._call(method, sidecar._user_path(self.id, action), payload, timeout=timeout)
        except SidecarDown as exc:
            raise UserError(exc.message) from None
        except SidecarError as exc:
            raise UserError(translate(self.env, "Outlook: %(error)s", error=str(exc))) from None

    # -- called by the Outlook button ----------------------------------------

    def outlook_sync_status(self):
        """State for the Outlook button; reads only, never starts a sync."""
        self._outlook_sync_check_access()
        status = self._outlook_sync_fetch_status()
        status["is_admin"] = self.env.user.has_group("base.group_system")
        status["global_paused"] = bool(
            self.env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + "paused")
        )
        return status

    def outlook_sync_start_signin(self):
        """Send the current user's browser to Microsoft, through the sidecar."""
        self.ensure_one()
        if self.id != self.env.uid:
            raise AccessError(translate(self.env, "Only the user themselves can connect their Outlook account."))
        if not self._outlook_sync_configured():
            raise UserError(translate(self.env, "An administrator must configure Outlook Calendar in the Settings first."))
        payload = {"login": self.login}
        # The sidecar refuses an empty hint; a user without an e-mail (Odoo
        # 19's admin without demo data) types their Microsoft address instead.
        if self.email:
            payload["login_hint"] = self.email
        answer = self._outlook_sync_post("signin/start", payload)
        return {"type": "ir.actions.act_url", "url": answer["authorize_url"], "target": "self"}

    def outlook_sync_sync_now(self):
        """Run one sync now; the answer summarized for the button."""
        self._outlook_sync_check_access()
        answer = self._outlook_sync_post("sync", {"dry_run": False}, timeout=RUN_TIMEOUT)
        return sync_summary(self.env, answer, future=False)

    # -- the first sync, reviewed before it runs (docs/api.md) ----------------

    def _outlook_sync_options(self):
        answer = self._outlook_sync_post("options", method="GET")
        return {"quiet": bool(answer.get("quiet")), "only_future": bool(answer.get("only_future"))}

    def outlook_sync_first_sync_preview(self):
        """The dry run of the first sync and the options it ran with."""
        self._outlook_sync_check_access()
        options = self._outlook_sync_options()
        answer = self._outlook_sync_post("sync", {"dry_run": True}, timeout=RUN_TIMEOUT)
        return {"options": options, "preview": sync_summary(self.env, answer)}

    def outlook_sync_set_options(self, quiet, only_future):
        """Store the user's options in the sidecar, then preview again."""
        self._outlook_sync_check_access()
        self._outlook_sync_post("options", {"quiet": bool(quiet), "only_future": bool(only_future)})
        return self.outlook_sync_first_sync_preview()

    def outlook_sync_confirm_first_sync(self):
        """The real first sync (the sidecar waits for it after sign-in)."""
        return self.outlook_sync_sync_now()

    def outlook_sync_pause(self):
        self._outlook_sync_check_access()
        return self._outlook_sync_post("pause")

    def outlook_sync_resume(self):
        self._outlook_sync_check_access()
        return self._outlook_sync_post("resume")

    def outlook_sync_stop(self):
        self._outlook_sync_check_access()
        return self._outlook_sync_post("stop", {"reason": "stopped from Odoo by %s" % self.env.user.login})

    def action_outlook_sync_reset(self):
        """The Reset Account wizard for this user (administrators, or the user)."""
        self.ensure_one()
        self._outlook_sync_check_access()
        return {
            "type": "ir.actions.act_window",
            "name": translate(self.env, "Reset Outlook Account"),
            "res_model": "outlook_sync.reset_account",
            "view_mode": "form",
            "target": "new",
            "context": {"default_user_id": self.id},
        }
