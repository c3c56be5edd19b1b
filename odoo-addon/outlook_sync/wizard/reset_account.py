# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reset Account: what happens to a user's synced events, and how the next sync starts.

The sidecar does the work (``POST /api/users/{db}/{userId}/reset``,
docs/api.md); the wizard shows its dry run before Confirm and its answer
after. A refusal (sidecar down, 409 busy, not configured) is an error
message and changes nothing.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.forecast import mail_sentence
from ..models.i18n import translate
from ..models.outlook_sync_sidecar import RUN_TIMEOUT, SidecarError

DELETE_POLICIES = [
    ("leave", "Leave them untouched"),
    ("outlook", "Delete from the current Microsoft Calendar account"),
    ("odoo", "Delete from Odoo"),
    ("both", "Delete from both"),
]
NEXT_POLICIES = [
    ("new", "Synchronize only new events"),
    ("all", "Synchronize all existing events"),
]


def _html(lines, css=""):
    items = Markup("").join(Markup("<li>%s</li>") % line for line in lines)
    return Markup('<ul class="mb-0 %s">%s</ul>') % (css, items)


class OutlookSyncResetAccount(models.TransientModel):
    _name = "outlook_sync.reset_account"
    _description = "Outlook sync: reset a user's account"

    user_id = fields.Many2one("res.users", string="User", required=True, readonly=True, ondelete="cascade")
    delete_policy = fields.Selection(
        DELETE_POLICIES, string="User's Existing Events", required=True, default="leave",
        help="Odoo events are archived, never destroyed: unarchiving brings them back. Deleting Outlook "
        "events makes Outlook e-mail cancellations for the meetings the user organizes.",
    )
    next_policy = fields.Selection(
        NEXT_POLICIES, string="Next Synchronization", required=True, default="new",
        help="Only new events: events created or changed from now on. All existing events: a first sync "
        "again over the whole window, linking events found on both sides instead of duplicating them.",
    )
    preview = fields.Html(
        compute="_compute_preview", sanitize=False,
        help="The sidecar's dry run of this reset: nothing is changed until Confirm.",
    )
    done = fields.Boolean(readonly=True)
    outcome = fields.Html(readonly=True, sanitize=False)

    # -- access -----------------------------------------------------------

    def _check_reset_access(self):
        """Administrators reset anyone's account; other users only their own."""
        if self.env.su or self.env.user.has_group("base.group_system"):
            return
        for wizard in self:
            if wizard.user_id != self.env.user:
                raise AccessError(translate(self.env, "Only administrators can reset another user's Outlook account."))

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards._check_reset_access()
        return wizards

    # -- the sidecar ------------------------------------------------------

    def _reset(self, dry_run):
        self.ensure_one()
        self._check_reset_access()
        sidecar = self.env["outlook_sync.sidecar"].sudo()
        return sidecar._call(
            "POST",
            sidecar._user_path(self.user_id.id, "reset"),
            {"delete": self.delete_policy, "next": self.next_policy, "dry_run": dry_run},
            timeout=RUN_TIMEOUT,
        )

    def _refusal(self, exc):
        if exc.code == "busy":
            return translate(self.env, "A synchronization of this account is running. Try again in a minute.")
        if exc.code == "not_connected":
            return translate(self.env, "This user has never connected Outlook: there is nothing to reset.")
        if exc.code == "not_configured":
            return translate(self.env, 
                "The outlook-sync sidecar is not configured yet (%(error)s). Save the Outlook settings first.",
                error=exc.message,
            )
        return translate(self.env, "The outlook-sync sidecar refused the reset: %(error)s", error=str(exc))

    def _counts_lines(self, answer):
        return [
            translate(self.env, "Outlook events deleted: %(count)s", count=answer.get("outlook_deleted") or 0),
            translate(self.env, "Odoo events archived: %(count)s", count=answer.get("odoo_archived") or 0),
        ]

    def _next_sync_line(self, answer):
        if self.next_policy != "all":
            return translate(self.env, "The next synchronization only looks at events created or changed from now on.")
        next_sync = answer.get("next_sync")
        if not isinstance(next_sync, dict):
            return translate(self.env, 
                "The sidecar gave no forecast of the first synchronization that follows; "
                "the user reviews it in the Calendar app before it runs."
            )
        return translate(self.env, 
            "The first synchronization that follows changes %(count)s events. %(mail)s",
            count=next_sync.get("changes") or 0,
            mail=mail_sentence(self.env, next_sync.get("mail"), future=True),
        )

    @api.depends("user_id", "delete_policy", "next_policy", "done")
    def _compute_preview(self):
        for wizard in self:
            if not wizard.user_id or wizard.done:
                wizard.preview = False
                continue
            try:
                answer = wizard._reset(dry_run=True)
            except SidecarError as exc:
                wizard.preview = Markup('<div class="alert alert-warning mb-0" role="alert">%s</div>') % (
                    wizard._refusal(exc)
                )
                continue
            lines = wizard._counts_lines(answer)
            lines.append(mail_sentence(self.env, answer.get("mail"), future=True))
            lines.append(wizard._next_sync_line(answer))
            wizard.preview = Markup("<p class='mb-1'>%s</p>%s") % (
                translate(self.env, "If you confirm:"),
                _html(lines),
            )

    def action_confirm(self):
        self.ensure_one()
        try:
            answer = self._reset(dry_run=False)
        except SidecarError as exc:
            raise UserError(self._refusal(exc)) from None
        errors = [str(error) for error in answer.get("errors") or []]
        lines = self._counts_lines(answer)
        lines.append(mail_sentence(self.env, answer.get("mail"), future=False))
        if errors or not answer.get("succeeded", True):
            title = translate(self.env, 
                "The reset did not finish: nothing was forgotten, the account keeps its state. Errors:"
            )
            outcome = Markup("%s<p class='mt-2 mb-1 text-danger'>%s</p>%s") % (
                _html(lines), title, _html(errors or [translate(self.env, "unknown error")], "text-danger")
            )
        else:
            outcome = Markup("<p class='mb-1'>%s</p>%s") % (translate(self.env, "The account was reset."), _html(lines))
        self.write({"done": True, "outcome": outcome})
        return {
            "type": "ir.actions.act_window",
            "name": translate(self.env, "Reset Outlook Account"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
