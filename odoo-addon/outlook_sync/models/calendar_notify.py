# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Tell the sidecar, after commit, which calendar records changed."""

from odoo import api, fields, models

from .pending_change import notify_changed


#: Context key the sidecar sets on its own XML-RPC writes (docs/api.md).
ORIGIN_KEY = "outlook_sync_origin"


class OutlookSyncNotifyMixin(models.AbstractModel):
    _name = "outlook_sync.notify.mixin"
    _description = "Outlook sync: announce changes to the sidecar"

    def _outlook_sync_notify(self, ids=None):
        # The sidecar's own writes are not announced back to it: it knows
        # them, and an echo would only make it read them again. Anyone can
        # set this key over XML-RPC; the worst it does is delay a change
        # until the next sync of the accounts concerned.
        if self.env.context.get(ORIGIN_KEY):
            return
        notify_changed(self.env, self._name, self.ids if ids is None else ids)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._outlook_sync_notify()
        return records

    def write(self, vals):
        result = super().write(vals)
        # Archiving is a write of "active"; it is announced like any write.
        if self._outlook_sync_watched(vals):
            self._outlook_sync_notify()
        return result

    def unlink(self):
        ids = list(self.ids)
        result = super().unlink()
        self._outlook_sync_notify(ids)
        return result

    def _outlook_sync_watched(self, vals):
        return True


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "outlook_sync.notify.mixin"]

    # Written by the sidecar when it creates an event from an Outlook one,
    # and searched before it creates again: a sidecar killed between the
    # create and saving its mapping finds the event instead of making a
    # second one (docs/sync.md, "Crash safety").
    outlook_sync_source = fields.Char(
        string="Outlook Sync Source",
        help="The sidecar's create key: which Outlook event this event was created from.",
        index=True,
        copy=False,
        readonly=True,
    )


class CalendarRecurrence(models.Model):
    _name = "calendar.recurrence"
    _inherit = ["calendar.recurrence", "outlook_sync.notify.mixin"]


class CalendarAttendee(models.Model):
    _name = "calendar.attendee"
    _inherit = ["calendar.attendee", "outlook_sync.notify.mixin"]

    def _outlook_sync_watched(self, vals):
        # Attendees' answers; other attendee fields are bookkeeping.
        return "state" in vals or "partner_id" in vals
