# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Change notifications to the sidecar, sent after commit.

A save in Odoo records which calendar records changed in the cursor's
post-commit data; once the transaction is committed, one callback sends them
to the sidecar (``POST /api/events/changed``). If the sidecar cannot take
them, they are written to ``outlook_sync.pending_change`` in a fresh
transaction and a cron retries. Nothing here ever raises into the user's
save: a lost notification only delays a sync, the sidecar's periodic sync
finds every change anyway.
"""

import functools
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models

from .outlook_sync_sidecar import PARAM_PREFIX, SidecarError, call, settings_from_params

_logger = logging.getLogger(__name__)

MODELS = ("calendar.event", "calendar.recurrence", "calendar.attendee")
POSTCOMMIT_KEY = "outlook_sync.changed"
#: The sidecar takes at most 10,000 ids per call.
CHUNK = 10000
#: Seconds the post-commit callback waits for the sidecar; the request that
#: saved is already committed but its answer waits for the callback.
NOTIFY_TIMEOUT = 2
#: Queued rows older than this are dropped: the periodic sync has long
#: picked the changes up.
KEEP_DAYS = 7


def _chunks(ids):
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def send_changes(base_url, secret, dbname, changes, timeout=NOTIFY_TIMEOUT):
    """POST every ``{model: ids}`` entry; return ``{model: ids}`` not sent and the last error."""
    unsent, last_error = {}, None
    for model, ids in changes.items():
        for chunk in _chunks(ids):
            try:
                call(
                    base_url,
                    secret,
                    "POST",
                    "/api/events/changed",
                    {"db": dbname, "model": model, "ids": chunk},
                    timeout=timeout,
                )
            except SidecarError as exc:
                unsent.setdefault(model, set()).update(chunk)
                last_error = str(exc)
    return unsent, last_error


def _after_commit(registry, dbname, changes):
    """Post-commit callback: send, or queue in a new transaction."""
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            base_url, secret = settings_from_params(env["ir.config_parameter"].get_param)
        unsent, error = send_changes(base_url, secret, dbname, changes)
        if unsent:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["outlook_sync.pending_change"]._enqueue(unsent, error)
    except Exception:  # noqa: BLE001 - must never break the request that saved
        _logger.exception("outlook_sync: could not notify or queue calendar changes")


def notify_changed(env, model, ids):
    """Remember that ``ids`` of ``model`` changed; sent after commit."""
    ids = [i for i in ids if isinstance(i, int) and i > 0]
    if not ids:
        return
    if not env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + "enabled"):
        return
    data = env.cr.postcommit.data
    changes = data.get(POSTCOMMIT_KEY)
    if changes is None:
        changes = data[POSTCOMMIT_KEY] = defaultdict(set)
        env.cr.postcommit.add(functools.partial(_after_commit, env.registry, env.cr.dbname, changes))
    changes[model].update(ids)


class OutlookSyncPendingChange(models.Model):
    _name = "outlook_sync.pending_change"
    _description = "Outlook sync: change notification waiting for the sidecar"
    _order = "id"

    model = fields.Selection(
        [(name, name) for name in MODELS], required=True, readonly=True
    )
    res_ids = fields.Text(string="Record IDs", required=True, readonly=True, help="Comma-separated ids.")
    attempts = fields.Integer(default=1, readonly=True)
    last_error = fields.Char(readonly=True)

    @api.model
    def _enqueue(self, changes, error=None):
        rows = []
        for model, ids in changes.items():
            for chunk in _chunks(ids):
                rows.append({"model": model, "res_ids": ",".join(map(str, chunk)), "last_error": error})
        return self.sudo().create(rows)

    def _record_ids(self):
        return {int(part) for part in (self.res_ids or "").split(",") if part.strip().isdigit()}

    @api.model
    def _cron_retry(self):
        """Send what is queued; keep what the sidecar still cannot take."""
        old = self.search([("create_date", "<", fields.Datetime.now() - timedelta(days=KEEP_DAYS))])
        old.unlink()
        rows = self.search([])
        if not rows:
            return
        changes = defaultdict(set)
        for row in rows:
            changes[row.model].update(row._record_ids())
        base_url, secret = settings_from_params(self.env["ir.config_parameter"].sudo().get_param)
        unsent, error = send_changes(base_url, secret, self.env.cr.dbname, changes, timeout=5)
        kept = rows.filtered(lambda row: row.model in unsent)
        (rows - kept).unlink()
        for row in kept:
            row.write({"attempts": row.attempts + 1, "last_error": error})
