# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The settings push and sign-in start against a real sidecar.

The test starts the sidecar built in this repository (``sidecar/target``,
``mvn -pl sidecar -am package``) on a free loopback port with a fresh data
directory, so the first save really bootstraps it. Skipped, saying why, when
Java or the built jar is missing (the addon may be installed without the
repository around it).
"""

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from ..models.outlook_sync_sidecar import SidecarError, call
from .java_services import missing, start_sidecar

SECRET = "real-sidecar-secret-0123"
PREFIX = "outlook_sync."


@tagged("post_install", "-at_install")
class TestRealSidecar(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reason = missing()
        if reason:
            cls.skipTest(cls, reason)
        cls.sidecar, cls.url = start_sidecar()
        cls.addClassCleanup(cls.sidecar.stop)
        cls.admin = cls.env.ref("base.user_admin")
        icp = cls.env["ir.config_parameter"].sudo()
        icp.set_param("web.base.url", "https://odoo.example.com")
        icp.set_param(PREFIX + "sidecar_secret", False)

    def _save(self, **values):
        values = {
            "outlook_sync_enabled": True,
            "outlook_sync_client_id": "11111111-2222-3333-4444-555555555555",
            "outlook_sync_client_secret": "ms-client-secret",
            "outlook_sync_sidecar_url": self.url,
            "outlook_sync_sidecar_secret": SECRET,
            **values,
        }
        return self.env["res.config.settings"].with_user(self.admin).create(values).execute()

    def test_settings_bootstrap_pause_signin_and_refusal(self):
        # One test, in order: the sidecar keeps its state across tests.
        action = self._save(outlook_sync_paused=True)
        self.assertNotEqual(action.get("tag"), "display_notification", action)
        status = call(self.url, SECRET, "GET", "/api/status")
        self.assertTrue(status["paused"])
        self._save(outlook_sync_paused=False)
        self.assertFalse(call(self.url, SECRET, "GET", "/api/status")["paused"])

        # A refused value: http redirect URIs are for localhost only.
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", "http://odoo.example.com")
        with self.assertRaises(UserError) as caught:
            self._save(outlook_sync_client_id="refused-id")
        self.assertIn("ms_redirect_uri", str(caught.exception))
        self.assertNotEqual(
            self.env["ir.config_parameter"].sudo().get_param(PREFIX + "client_id"), "refused-id"
        )
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", "https://odoo.example.com")

        # The admin starts their own sign-in; the URL goes to Microsoft with
        # our redirect URI and a state.
        action = self.admin.with_user(self.admin).outlook_sync_start_signin()
        self.assertIn("/oauth2/v2.0/authorize", action["url"])
        self.assertIn("redirect_uri=https%3A%2F%2Fodoo.example.com%2Fmicrosoft_account%2Fauthentication", action["url"])
        self.assertIn("state=", action["url"])
        user = self.env["res.users"].create({"name": "Carol", "login": "carol-real"})
        with self.assertRaises(AccessError):
            user.with_user(self.admin).outlook_sync_start_signin()

        status = self.admin.with_user(self.admin).outlook_sync_status()
        self.assertEqual(status["state"], "not_connected")
        with self.assertRaises(SidecarError) as caught:
            call(self.url, SECRET, "POST", "/api/signin/complete", {"code": "c", "state": "forged.state"})
        self.assertEqual(caught.exception.code, "bad_state")
