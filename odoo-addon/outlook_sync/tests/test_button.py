# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Outlook button in the Calendar app, in a real (headless) browser."""

import json

from odoo.tests import HttpCase, tagged

from ..controllers.main import LEGACY_CALENDAR_URL
from .fake_sidecar import FakeSidecar, error

SECRET = "0123456789abcdef0123"
PREFIX = "outlook_sync."

WAIT_FOR_PANEL = """
const expected = %s;
const until = Date.now() + 20000;
(function check() {
    const panel = document.querySelector("#outlook_sync_panel");
    if (panel && panel.textContent.includes(expected)) {
        console.log("test successful");
    } else if (Date.now() > until) {
        console.error("Outlook panel without " + expected + ": " + (panel ? panel.textContent : "no panel"));
    } else {
        setTimeout(check, 200);
    }
})();
"""


@tagged("post_install", "-at_install")
class TestOutlookButton(HttpCase):
    def setUp(self):
        super().setUp()
        self.fake = FakeSidecar(SECRET)
        self.status_path = f"/api/users/{self.env.cr.dbname}/{self.env.ref('base.user_admin').id}/status"

    def _configure(self):
        icp = self.env["ir.config_parameter"].sudo()
        icp.set_param(PREFIX + "enabled", "True")
        icp.set_param(PREFIX + "client_id", "client-1")
        icp.set_param(PREFIX + "sidecar_url", "http://127.0.0.1:8077")
        icp.set_param(PREFIX + "sidecar_secret", SECRET)

    def _expect(self, text):
        with self.fake.running():
            self.browser_js(LEGACY_CALENDAR_URL, WAIT_FOR_PANEL % json.dumps(text), login="admin")

    def test_not_configured(self):
        self.env["ir.config_parameter"].sudo().set_param(PREFIX + "enabled", False)
        self._expect("an administrator must configure it")

    def test_not_connected_offers_to_connect(self):
        self._configure()
        self.fake.answers[self.status_path] = error(404, "not_connected")
        self._expect("Outlook")
        # Opening the calendar read the status and asked for nothing else.
        self.assertEqual(set(self.fake.paths()), {self.status_path})

    def test_connected_shows_last_sync(self):
        self._configure()
        self.fake.answers[self.status_path] = (
            200, {"state": "CONNECTED", "ms_username": "admin@example.com", "last_sync_at": "2026-11-24T09:00:00Z"})
        self._expect("last sync")
        self.assertFalse([p for p in self.fake.paths() if p.endswith("/sync")])

    def test_needs_reauth(self):
        self._configure()
        self.fake.answers[self.status_path] = (
            200, {"state": "NEEDS_REAUTH", "state_reason": "Microsoft refused the refresh token (AADSTS50173)"})
        self._expect("Reconnect Outlook")

    def test_sidecar_down_is_an_error(self):
        self._configure()
        self.fake.down = True
        self._expect("does not answer")

    def test_sync_now_asks_the_sidecar(self):
        self._configure()
        self.fake.answers[self.status_path] = (200, {"state": "CONNECTED", "ms_username": "admin@example.com"})
        sync_path = self.status_path.replace("/status", "/sync")
        self.fake.answers[sync_path] = error(501, "not_implemented", "not wired")
        code = """
const until = Date.now() + 20000;
(function step() {
    const button = document.querySelector("#outlook_sync_panel button[title='Sync now']");
    const note = document.querySelector(".o_notification");
    if (note && note.textContent.includes("next scheduled round")) {
        console.log("test successful");
    } else if (Date.now() > until) {
        console.error("no notification after Sync now");
    } else {
        if (button && !button.dataset.clicked) {
            button.dataset.clicked = "1";
            button.click();
        }
        setTimeout(step, 200);
    }
})();
"""
        with self.fake.running():
            self.browser_js(LEGACY_CALENDAR_URL, code, login="admin")
        self.assertIn(sync_path, self.fake.paths())
