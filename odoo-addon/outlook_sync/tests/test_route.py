# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from ..controllers.main import CALENDAR_URL, LEGACY_CALENDAR_URL, MESSAGES
from .fake_sidecar import FakeSidecar, error

SECRET = "0123456789abcdef0123"
PREFIX = "outlook_sync."
ROUTE = "/microsoft_account/authentication"


@tagged("post_install", "-at_install")
class TestRoute(HttpCase):
    def setUp(self):
        super().setUp()
        icp = self.env["ir.config_parameter"].sudo()
        icp.set_param(PREFIX + "enabled", "True")
        icp.set_param(PREFIX + "sidecar_url", "http://127.0.0.1:8077")
        icp.set_param(PREFIX + "sidecar_secret", SECRET)
        self.fake = FakeSidecar(SECRET)

    def _post(self, data):
        with self.fake.running():
            return self.url_open(ROUTE, data=data, allow_redirects=False)

    def test_form_post_success_returns_to_the_calendar(self):
        self.fake.answers["/api/signin/complete"] = (
            200, {"db": "x", "user_id": 2, "state": "CONNECTED", "ms_username": "a@example.com"})
        response = self._post({"code": "the-code", "state": "the-state"})
        self.assertEqual(response.status_code, 303)
        # /odoo/calendar on Odoo 18; the legacy URL where /odoo is not routed.
        location = response.headers["Location"]
        self.assertTrue(location.endswith((CALENDAR_URL, LEGACY_CALENDAR_URL)), location)
        self.assertEqual(self.fake.calls, [("POST", "/api/signin/complete", {"code": "the-code", "state": "the-state"})])

    def test_get_with_error_is_forwarded(self):
        self.fake.answers["/api/signin/complete"] = error(400, "consent_denied")
        with self.fake.running():
            response = self.url_open(ROUTE + "?state=s1&error=access_denied&error_description=no", allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertIn(MESSAGES["consent_denied"][0], response.text)
        self.assertEqual(self.fake.calls[0][2], {"state": "s1", "error": "access_denied", "error_description": "no"})

    def test_page_for_each_error_code(self):
        for code in ("consent_denied", "bad_state", "expired_state", "replayed_state", "wrong_account",
                     "code_rejected", "app_rejected", "not_configured", "microsoft_unreachable"):
            with self.subTest(code=code):
                self.fake.answers["/api/signin/complete"] = error(400, code, "internal detail")
                response = self._post({"code": "c", "state": "s"})
                self.assertIn(response.status_code, (400, 503))
                self.assertIn(MESSAGES[code][0], response.text)
                self.assertIn(code, response.text)
                self.assertNotIn("internal detail", response.text)

    def test_sidecar_down_page(self):
        self.fake.down = True
        response = self._post({"code": "c", "state": "s"})
        self.assertEqual(response.status_code, 503)
        self.assertIn(MESSAGES["sidecar_down"][0], response.text)

    def test_missing_state_is_refused_without_asking_the_sidecar(self):
        response = self._post({"code": "c"})
        self.assertEqual(response.status_code, 400)
        self.assertIn(MESSAGES["bad_state"][0], response.text)
        self.assertEqual(self.fake.calls, [])
