# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""calendar.event.outlook_sync_source: the sidecar's create key."""

from datetime import datetime, timedelta

from odoo.tests import TransactionCase, tagged

KEY = "create-odoo|alice@example.com|AAMkAG-1"


@tagged("post_install", "-at_install")
class TestSourceKey(TransactionCase):
    def _event(self, **values):
        start = datetime(2026, 12, 1, 10, 0)
        return self.env["calendar.event"].create(
            {"name": "Review", "start": start, "stop": start + timedelta(hours=1), **values}
        )

    def test_the_sidecar_detects_the_field_as_it_does_over_xml_rpc(self):
        described = self.env["calendar.event"].fields_get(["outlook_sync_source"], attributes=["type"])
        self.assertEqual(described, {"outlook_sync_source": {"type": "char"}})

    def test_the_key_written_at_create_finds_the_event_archived_too(self):
        event = self._event(outlook_sync_source=KEY)
        event.action_archive()
        events = self.env["calendar.event"].with_context(active_test=False)
        found = events.search_read([("outlook_sync_source", "in", [KEY, "other"])], ["outlook_sync_source"])
        self.assertEqual(found, [{"id": event.id, "outlook_sync_source": KEY}])

    def test_a_copy_is_not_the_same_source(self):
        event = self._event(outlook_sync_source=KEY)
        self.assertFalse(event.copy().outlook_sync_source)
