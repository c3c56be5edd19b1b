# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sign-in end to end: Chromium, Odoo, the real sidecar and the emulated Microsoft.

The admin opens the calendar and clicks the Outlook button; the browser goes
to the Microsoft 365 emulator's sign-in page (HTTPS with its own
certificate), picks a mailbox, comes back to
``/microsoft_account/authentication`` by a form POST (msal4j asks for
response_mode=form_post), is re-posted from Odoo's own origin, and lands on
the calendar showing Outlook connected. The account then syncs an Odoo event
to the emulated mailbox and is reset ("delete from both"), for real.
Skipped, saying why, without Java, the built jars, Chromium or
websocket-client.
"""

import contextlib
import inspect
import json
import time
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from ..controllers.main import LEGACY_CALENDAR_URL
from ..models.outlook_sync_sidecar import call
from .java_services import missing, start_emulator, start_sidecar

SECRET = "browser-signin-secret-0123"
CLIENT_ID = "11111111-2222-3333-4444-555555555555"
CLIENT_SECRET = "emulated-client-secret"
MAILBOX = "alice@example.com"
PREFIX = "outlook_sync."

# Runs at the start of every page the tab loads (CDP
# Page.addScriptToEvaluateOnNewDocument), so one script follows the whole
# round trip across origins.
DRIVER = """
(function () {
    const emulator = %(emulator)s;
    const mailbox = %(mailbox)s;
    const until = Date.now() + 60000;
    function step() {
        if (Date.now() > until) {
            console.error("sign-in stuck at " + location.href + ": " + document.body.innerText.slice(0, 300));
            return;
        }
        if (location.origin === emulator) {
            const account = document.querySelector('button[name="login"][value="' + mailbox + '"]');
            if (account) {
                account.click();
                return;
            }
        } else if (location.pathname.startsWith("/microsoft_account/")) {
            const title = document.querySelector("#outlook_sync_title");
            if (title) {
                console.error("sign-in failed: " + title.textContent + " " + document.body.innerText.slice(0, 300));
                return;
            }
        } else {
            const panel = document.querySelector("#outlook_sync_panel");
            if (panel && panel.querySelector(".fa-check")) {
                console.log("outlook panel: " + panel.textContent.replace(/\\s+/g, " "));
                console.log("test successful");
                return;
            }
            const connect = panel && panel.querySelector("button[title='Connect your Outlook calendar']");
            if (connect && !sessionStorage.getItem("outlook_sync_clicked")) {
                sessionStorage.setItem("outlook_sync_clicked", "1");
                connect.click();
            }
        }
        setTimeout(step, 250);
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", step);
    } else {
        step();
    }
})();
"""


@tagged("post_install", "-at_install")
class TestSignInThroughTheEmulator(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reason = missing(emulator=True)
        if reason:
            cls.skipTest(cls, reason)
        cls.m365, cls.m365_url, cert = start_emulator("--app", f"{CLIENT_ID}:{CLIENT_SECRET}", "--mailboxes", MAILBOX)
        cls.addClassCleanup(cls.m365.stop)
        # Microsoft's side comes from the sidecar's configuration here (the
        # settings push is covered by test_real_sidecar); Odoo's side is not
        # needed to connect.
        cls.sidecar, cls.sidecar_url = start_sidecar({
            "OUTLOOK_SYNC_API_SHARED_SECRET": SECRET,
            "OUTLOOK_SYNC_MS_AUTHORITY": cls.m365_url,
            "OUTLOOK_SYNC_GRAPH_URL": cls.m365_url + "/v1.0",
            "OUTLOOK_SYNC_MS_CA_FILE": cert,
            "OUTLOOK_SYNC_MS_CLIENT_ID": CLIENT_ID,
            "OUTLOOK_SYNC_MS_CLIENT_SECRET": CLIENT_SECRET,
            "OUTLOOK_SYNC_MS_REDIRECT_URI": cls.base_url() + "/microsoft_account/authentication",
        })
        cls.addClassCleanup(cls.sidecar.stop)

    def setUp(self):
        super().setUp()
        icp = self.env["ir.config_parameter"].sudo()
        icp.set_param("web.base.url", self.base_url())
        icp.set_param(PREFIX + "enabled", "True")
        icp.set_param(PREFIX + "client_id", CLIENT_ID)
        icp.set_param(PREFIX + "sidecar_url", self.sidecar_url)
        icp.set_param(PREFIX + "sidecar_secret", SECRET)

    def _requests_allowed(self, browser):
        # Odoo 19 refuses HTTP requests during a test unless the test allows
        # them (a cookie for the browser; all of them here, since the
        # sidecar's XML-RPC calls carry none). 17 and 18 serve every request.
        allow = getattr(self, "allow_requests", None)
        return allow(browser=browser, all_requests=True) if allow else contextlib.nullcontext()

    def _let_emulator_through(self, browser):
        # Odoo 19's test browser pauses every request (CDP Fetch) and answers
        # those not to http://127.0.0.1 itself with an empty 404
        # (HttpCase.fetch_proxy), so the emulator's HTTPS sign-in page would
        # never load. Its requests go through; the rest is left to Odoo.
        # 17 and 18 do not intercept requests.
        handlers = getattr(browser, "_handlers", {})
        odoo_handler = handlers.get("Fetch.requestPaused")
        if odoo_handler is None:
            return
        emulator = self.m365_url + "/"

        def handle(**params):
            if params["request"]["url"].startswith(emulator):
                browser._websocket_send("Fetch.continueRequest", params={"requestId": params["requestId"]})
            else:
                odoo_handler(**params)

        handlers["Fetch.requestPaused"] = handle

    def test_sign_in_at_microsoft_then_sync_and_reset(self):
        admin = self.env.ref("base.user_admin")
        self.assertEqual(admin.outlook_sync_status()["state"], "not_connected")
        browser = ChromeBrowser(self)
        self._let_emulator_through(browser)
        with self._requests_allowed(browser):
            try:
                # The emulator's certificate is its own; trust it in this tab only.
                browser._websocket_request("Security.setIgnoreCertificateErrors", params={"ignore": True})
                browser._websocket_request("Page.addScriptToEvaluateOnNewDocument", params={
                    "source": DRIVER % {"emulator": json.dumps(self.m365_url), "mailbox": json.dumps(MAILBOX)},
                })
                self.authenticate("admin", "admin", browser=browser)
                self.cr.flush()
                self.cr.clear()
                browser.navigate_to(self.base_url() + LEGACY_CALENDAR_URL, wait_stop=True)
                browser._wait_code_ok("true", 90)
            finally:
                browser.stop()
                self._wait_remaining_requests()
            status = admin.outlook_sync_status()
            self.assertEqual(status["state"], "connected", status)
            self.assertEqual(status["ms_username"], MAILBOX)

            # The connected account syncs and resets for real: the sidecar reads
            # and writes this Odoo over XML-RPC (as the admin, with an API key)
            # and the emulated mailbox over Graph.
            apikeys = self.env["res.users.apikeys"].with_user(admin).sudo()
            # Odoo 18 added the expiration date (None: never expires); 17 has no such argument.
            expiry = (None,) if "expiration_date" in inspect.signature(apikeys._generate).parameters else ()
            key = apikeys._generate(None, "outlook-sync test", *expiry)
            call(self.sidecar_url, SECRET, "POST", "/api/configure", {
                "odoo_url": self.base_url(), "odoo_db": self.env.cr.dbname, "odoo_login": "admin", "odoo_api_key": key,
            })
            start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=2)
            event = self.env["calendar.event"].create({
                "name": "Planning", "start": start, "stop": start + timedelta(hours=1), "user_id": admin.id,
                "partner_ids": [(6, 0, [admin.partner_id.id])],
            })
            self.env.flush_all()
            result = admin.outlook_sync_sync_now()
            self.assertEqual(result["errors"], [], result)
            self.assertIn("To Outlook: 1 new", result["lines"], result)

            # The first sync is confirmed, so the sidecar now syncs by itself: an event saved in Odoo is
            # announced after commit and reaches Outlook within seconds, with nobody pressing Sync now.
            self.env.cr.postcommit.clear()
            retro = self.env["calendar.event"].create({
                "name": "Retro", "start": start + timedelta(hours=3), "stop": start + timedelta(hours=4),
                "user_id": admin.id, "partner_ids": [(6, 0, [admin.partner_id.id])],
            })
            self.env.flush_all()
            self.env.cr.postcommit.run()
            mappings_path = "/api/users/%s/%d/mappings" % (self.env.cr.dbname, admin.id)
            deadline = time.monotonic() + 30
            mapped = []
            while time.monotonic() < deadline and not mapped:
                time.sleep(0.5)
                rows = call(self.sidecar_url, SECRET, "GET", mappings_path).get("mappings", [])
                mapped = [row for row in rows if row.get("odoo_event_id") == retro.id and row.get("graph_id")]
            self.assertTrue(mapped, "the announced event reached the emulated mailbox within 30 s")

            wizard = self.env["outlook_sync.reset_account"].create(
                {"user_id": admin.id, "delete_policy": "both", "next_policy": "new"})
            self.env.flush_all()
            self.assertIn("Outlook events deleted: 2", wizard.preview)
            self.assertIn("Odoo events archived: 2", wizard.preview)
            self.assertTrue(event.active, "a preview changes nothing")
            wizard.action_confirm()
            self.assertIn("The account was reset.", wizard.outcome)
            (event | retro).invalidate_recordset(["active"])
            self.assertFalse(event.active, "archived in Odoo by the sidecar")
            self.assertFalse(retro.active)
