# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from ..controllers.main import CALENDAR_URL, LEGACY_CALENDAR_URL, MESSAGES, SAME_SITE_MARK
from .fake_sidecar import FakeSidecar, error

SECRET = "0123456789abcdef0123"
PREFIX = "outlook_sync."
ROUTE = "/microsoft_account/authentication"
ERROR_CODES = ("consent_denied", "bad_state", "expired_state", "replayed_state", "wrong_account",
               "code_rejected", "app_rejected", "not_configured", "microsoft_unreachable", "microsoft_error")


@tagged("post_install", "-at_install")
class TestRoute(HttpCase):
    def setUp(self):
        super().setUp()
        icp = self.env["ir.config_parameter"].sudo()
        icp.set_param(PREFIX + "enabled", "True")
        icp.set_param(PREFIX + "sidecar_url", "http://127.0.0.1:8077")
        icp.set_param(PREFIX + "sidecar_secret", SECRET)
        self.fake = FakeSidecar(SECRET)
        self.admin = self.env.ref("base.user_admin")
        self.db = self.env.cr.dbname

    def _post(self, data, same_site=True, login="admin"):
        """The second, same-site POST (with the session), unless same_site=False."""
        if login:
            self.authenticate(login, login)
        if same_site:
            data = dict(data, **{SAME_SITE_MARK: "1"})
        with self.fake.running():
            return self.url_open(ROUTE, data=data, allow_redirects=False)

    def _connected(self, user_id=None, db=None):
        return (200, {"db": db or self.db, "user_id": user_id or self.admin.id,
                      "state": "CONNECTED", "ms_username": "a@example.com"})

    def test_cross_site_post_is_reposted_from_odoo(self):
        response = self._post({"code": "the-code", "state": "the-state"}, same_site=False, login=None)
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="outlook_sync_repost"', response.text)
        self.assertIn('value="the-code"', response.text)
        self.assertIn('value="the-state"', response.text)
        self.assertIn(f'name="{SAME_SITE_MARK}"', response.text)
        self.assertEqual(self.fake.calls, [])

    def test_success_returns_to_the_calendar(self):
        self.fake.answers["/api/signin/complete"] = self._connected()
        response = self._post({"code": "the-code", "state": "the-state"})
        self.assertEqual(response.status_code, 303)
        # /odoo/calendar on Odoo 18; the legacy URL where /odoo is not routed.
        location = response.headers["Location"]
        self.assertTrue(location.endswith((CALENDAR_URL, LEGACY_CALENDAR_URL)), location)
        self.assertEqual(self.fake.calls, [("POST", "/api/signin/complete", {"code": "the-code", "state": "the-state"})])

    def test_without_a_session_nothing_is_forwarded(self):
        response = self._post({"code": "c", "state": "s"}, login=None)
        self.assertEqual(response.status_code, 400)
        self.assertIn(MESSAGES["login_required"][0], response.text)
        self.assertEqual(self.fake.calls, [])

    def test_sign_in_of_another_user_is_stopped(self):
        other = self.env["res.users"].create({"name": "Mallory", "login": "mallory-os"})
        self.fake.answers["/api/signin/complete"] = self._connected(user_id=other.id)
        stop = f"/api/users/{self.db}/{other.id}/stop"
        self.fake.answers[stop] = (200, {"state": "STOPPED"})
        response = self._post({"code": "c", "state": "s"})
        self.assertEqual(response.status_code, 400)
        self.assertIn(MESSAGES["wrong_user"][0], response.text)
        self.assertEqual(self.fake.paths(), ["/api/signin/complete", stop])

    def test_get_with_error_is_forwarded(self):
        self.authenticate("admin", "admin")
        self.fake.answers["/api/signin/complete"] = error(400, "consent_denied")
        with self.fake.running():
            response = self.url_open(ROUTE + "?state=s1&error=access_denied&error_description=no", allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertIn(MESSAGES["consent_denied"][0], response.text)
        self.assertEqual(self.fake.calls[0][2], {"state": "s1", "error": "access_denied", "error_description": "no"})

    def test_page_for_each_error_code(self):
        for code in ERROR_CODES:
            with self.subTest(code=code):
                self.fake.answers["/api/signin/complete"] = error(400, code, "internal detail")
                response = self._post({"code": "c", "state": "s"})
                self.assertIn(response.status_code, (400, 503))
                title = (MESSAGES.get(code) or MESSAGES["other"])[0]
                self.assertIn(title, response.text)
                self.assertIn(code, response.text)
                self.assertIn("req123", response.text)
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
