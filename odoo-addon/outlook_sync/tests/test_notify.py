# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from odoo.tests import HttpCase, tagged

from .fake_sidecar import FakeSidecar

SECRET = "0123456789abcdef0123"
PREFIX = "outlook_sync."


# HttpCase puts the registry in test mode, so the post-commit callback's own
# cursors share the test transaction and are rolled back with it.
@tagged("post_install", "-at_install")
class TestChangeNotifications(HttpCase):
    def setUp(self):
        super().setUp()
        icp = self.env["ir.config_parameter"].sudo()
        icp.set_param(PREFIX + "enabled", "True")
        icp.set_param(PREFIX + "sidecar_url", "http://127.0.0.1:8077")
        icp.set_param(PREFIX + "sidecar_secret", SECRET)
        self.fake = FakeSidecar(SECRET)
        self.queue = self.env["outlook_sync.pending_change"]
        self.queue.search([]).unlink()
        self.env.cr.postcommit.clear()

    def _event(self, **values):
        start = datetime(2026, 12, 1, 10, 0)
        return self.env["calendar.event"].create(
            {"name": "Review", "start": start, "stop": start + timedelta(hours=1), **values}
        )

    def _commit(self):
        self.env.flush_all()
        with self.fake.running():
            self.env.cr.postcommit.run()

    def test_nothing_is_sent_inside_the_transaction(self):
        with self.fake.running():
            event = self._event()
            event.write({"name": "Renamed"})
        self.assertEqual(self.fake.calls, [])
        self._commit()
        sent = [payload for _m, path, payload in self.fake.calls if payload and payload["model"] == "calendar.event"]
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0], {"db": self.env.cr.dbname, "model": "calendar.event", "ids": [event.id]})

    def test_archive_delete_and_answers_are_announced(self):
        event = self._event(partner_ids=[(4, self.env.ref("base.partner_admin").id)])
        self._commit()
        self.fake.calls.clear()
        event.attendee_ids[:1].do_accept()
        event.action_archive()
        self._commit()
        models = {payload["model"] for _m, _p, payload in self.fake.calls}
        self.assertIn("calendar.attendee", models)
        self.assertIn("calendar.event", models)
        self.fake.calls.clear()
        event_id = event.id
        event.unlink()
        self._commit()
        self.assertIn(event_id, [i for _m, _p, payload in self.fake.calls if payload["model"] == "calendar.event" for i in payload["ids"]])

    def test_recurrence_is_announced(self):
        event = self._event(recurrency=True, rrule_type="daily", count=3, end_type="count")
        self._commit()
        models = {payload["model"] for _m, _p, payload in self.fake.calls}
        self.assertIn("calendar.recurrence", models)
        self.assertTrue(event.recurrence_id)

    def test_sidecar_down_queues_and_cron_retries(self):
        self.fake.down = True
        event = self._event()
        self._commit()  # must not raise
        rows = self.queue.search([("model", "=", "calendar.event")])
        self.assertEqual(len(rows), 1)
        self.assertIn(str(event.id), rows.res_ids.split(","))
        self.assertIn("does not answer", rows.last_error)
        with self.fake.running():
            self.queue._cron_retry()
        self.assertEqual(rows.exists().attempts, 2)
        self.fake.down = False
        with self.fake.running():
            self.queue._cron_retry()
        self.assertFalse(self.queue.search([]))
        sent = [i for _m, _p, payload in self.fake.calls if payload["model"] == "calendar.event" for i in payload["ids"]]
        self.assertIn(event.id, sent)

    def test_the_sidecars_own_writes_are_not_echoed(self):
        # What the sidecar's XML-RPC calls carry (execute_kw's context).
        origin = self.env["calendar.event"].with_context(outlook_sync_origin=True)
        event = self._event()
        self._commit()
        self.fake.calls.clear()
        start = datetime(2026, 12, 2, 10, 0)
        created = origin.create({"name": "From Outlook", "start": start, "stop": start + timedelta(hours=1),
                                 "partner_ids": [(4, self.env.ref("base.partner_admin").id)]})
        origin.browse(event.id).write({"name": "Renamed in Outlook"})
        origin.browse(created.id).action_archive()
        created.attendee_ids.with_context(outlook_sync_origin=True).write({"state": "accepted"})
        origin.browse(event.id).unlink()
        self._commit()
        self.assertEqual(self.fake.calls, [])
        self.assertFalse(self.queue.search([]))
        # The same changes made by a user are announced.
        other = self._event(name="By a user")
        other.write({"name": "Renamed by a user"})
        self._commit()
        self.assertIn(other.id, [i for _m, _p, payload in self.fake.calls if payload["model"] == "calendar.event"
                                 for i in payload["ids"]])

    def test_disabled_sends_nothing(self):
        self.env["ir.config_parameter"].sudo().set_param(PREFIX + "enabled", False)
        self._event()
        self._commit()
        self.assertEqual(self.fake.calls, [])
        self.assertFalse(self.queue.search([]))
