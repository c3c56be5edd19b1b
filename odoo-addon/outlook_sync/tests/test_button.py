# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Outlook button in the Calendar app, in a real (headless) browser."""

import json

from odoo.tests import HttpCase, tagged

from ..controllers.main import LEGACY_CALENDAR_URL
from .fake_sidecar import FakeSidecar, configure, error, internal_user, reset_answer

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

    def _click_until(self, selector, text):
        """JS: click ``selector`` once it shows, succeed when a notification holds ``text``."""
        return """
const until = Date.now() + 20000;
(function step() {
    const button = document.querySelector(%s);
    const note = document.querySelector(".o_notification");
    if (note && note.textContent.includes(%s)) {
        console.log("test successful");
    } else if (Date.now() > until) {
        console.error("no notification: " + (note ? note.textContent : "none"));
    } else {
        if (button && !button.dataset.clicked) {
            button.dataset.clicked = "1";
            button.click();
        }
        setTimeout(step, 200);
    }
})();
""" % (json.dumps(selector), json.dumps(text))

    def test_sync_now_runs_and_reports(self):
        self._configure()
        self.fake.answers[self.status_path] = (200, {"state": "CONNECTED", "ms_username": "admin@example.com"})
        sync_path = self.status_path.replace("/status", "/sync")
        self.fake.answers[sync_path] = (200, {
            "run_id": 7, "dry_run": False, "succeeded": True, "changes": 3,
            "counts": {"CreateInOutlook": 3}, "mail": {"count": 0, "recipients": []}, "errors": []})
        with self.fake.running():
            self.browser_js(LEGACY_CALENDAR_URL,
                            self._click_until("#outlook_sync_panel button[title='Sync now']", "3 changes"),
                            login="admin")
        self.assertIn(("POST", sync_path, {"dry_run": False}), self.fake.calls)

    def test_first_sync_is_reviewed_with_options_then_confirmed(self):
        self._configure()
        self.fake.answers[self.status_path] = (
            200, {"state": "CONNECTED", "ms_username": "admin@example.com", "awaiting_first_sync": True})
        base = self.status_path.replace("/status", "")
        options = {"quiet": False, "only_future": False}

        def store(payload):
            options.update(payload)
            return 200, dict(options)

        def sync(payload):
            if not payload["dry_run"]:
                return 200, {"succeeded": True, "changes": 5, "counts": {"CreateInOutlook": 5},
                             "mail": {"count": 0, "recipients": []}, "errors": []}
            mailed = not options["quiet"]
            count = 2 if options["only_future"] else 5
            return 200, {"dry_run": True, "succeeded": True, "changes": count,
                         "counts": {"CreateInOutlook": count, "Adopt": 1},
                         "mail": {"count": count if mailed else 0, "invitation": count if mailed else 0,
                                  "recipients": ["bob@example.com", "carol@example.com"] if mailed else []},
                         "errors": []}

        self.fake.answers[base + "/options"] = lambda payload: store(payload or {})
        self.fake.answers[base + "/sync"] = sync
        code = """
const until = Date.now() + 30000;
const seen = [];
function text(sel) { const el = document.querySelector(sel); return el ? el.textContent : ""; }
(function step() {
    const mail = text("#outlook_sync_first_sync .outlook_sync_mail");
    const review = document.querySelector("#outlook_sync_review");
    const loading = document.querySelector("#outlook_sync_first_sync .fa-spinner");
    if (Date.now() > until) {
        console.error("first sync review stuck; seen: " + seen.join(" | ") + " now: " + text("#outlook_sync_first_sync"));
        return;
    }
    if (!document.querySelector("#outlook_sync_first_sync")) {
        if (review && !review.dataset.clicked) { review.dataset.clicked = "1"; review.click(); }
    } else if (document.querySelector("#outlook_sync_first_sync_done")) {
        if (text("#outlook_sync_first_sync").includes("To Outlook: 5 new")) { console.log("test successful"); return; }
    } else if (!loading && mail) {
        if (seen.length === 0 && mail.includes("5 invitations to 2 people")) {
            seen.push(mail); document.querySelector("#outlook_sync_only_future").click();
        } else if (seen.length === 1 && mail.includes("2 invitations to 2 people")) {
            seen.push(mail); document.querySelector("#outlook_sync_quiet").click();
        } else if (seen.length === 2 && mail.includes("nobody")) {
            seen.push(mail); document.querySelector("#outlook_sync_first_sync_confirm").click();
        }
    }
    setTimeout(step, 200);
})();
"""
        with self.fake.running():
            self.browser_js(LEGACY_CALENDAR_URL, code, login="admin")
        self.assertEqual(options, {"quiet": True, "only_future": True})
        syncs = [payload for _m, path, payload in self.fake.calls if path == base + "/sync"]
        self.assertEqual(syncs, [{"dry_run": True}] * 3 + [{"dry_run": False}])
        # Opening the calendar alone never synced: the first real run is the confirmed one.
        self.assertEqual(syncs.count({"dry_run": False}), 1)


@tagged("post_install", "-at_install")
class TestResetWizardInTheBrowser(HttpCase):
    def test_admin_resets_a_user_from_the_user_form(self):
        configure(self.env, SECRET)
        alice = internal_user(self.env, "alice-browser")
        fake = FakeSidecar(SECRET)
        base = f"/api/users/{self.env.cr.dbname}/{alice.id}"
        fake.answers[base + "/status"] = (200, {"state": "CONNECTED", "ms_username": "alice@example.com"})
        fake.answers[base + "/reset"] = reset_answer
        code = """
const until = Date.now() + 30000;
const done = [];
function find(selector, text) {
    return [...document.querySelectorAll(selector)].find((el) => el.textContent.includes(text));
}
function text(selector) { const el = document.querySelector(selector); return el ? el.textContent : ""; }
(function step() {
    if (Date.now() > until) {
        console.error("reset wizard stuck after " + done.join(", ") + ": " + text(".modal"));
        return;
    }
    const preview = text(".modal #outlook_sync_reset_preview");
    if (!done.includes("tab")) {
        const tab = find(".o_notebook_headers .nav-link", "Calendar");
        if (tab) { tab.click(); done.push("tab"); }
    } else if (!done.includes("open")) {
        const open = document.querySelector("button[name='action_outlook_sync_reset']");
        if (open) { open.click(); done.push("open"); }
    } else if (!done.includes("both")) {
        const both = find(".modal label", "Delete from both");
        if (both && preview.includes("Outlook events deleted: 0")) { both.click(); done.push("both"); }
    } else if (!done.includes("confirm")) {
        const confirm = document.querySelector(".modal button[name='action_confirm']");
        if (confirm && preview.includes("6 cancellations to 2 people")) { confirm.click(); done.push("confirm"); }
    } else if (text(".modal #outlook_sync_reset_outcome").includes("The account was reset.")) {
        console.log("test successful");
        return;
    }
    setTimeout(step, 200);
})();
"""
        url = f"/web#model=res.users&id={alice.id}&view_type=form&action=base.action_res_users"
        with fake.running():
            self.browser_js(url, code, login="admin")
        resets = [payload for _m, path, payload in fake.calls if path == base + "/reset"]
        self.assertEqual(resets[-1], {"delete": "both", "next": "new", "dry_run": False})
        self.assertEqual([p for p in resets if not p["dry_run"]], resets[-1:])
