# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from ..models.outlook_sync_sidecar import SidecarDown, SidecarError, call, sign
from .fake_sidecar import FakeSidecar, configure, error, internal_user

SECRET = "0123456789abcdef0123"
PREFIX = "outlook_sync."


@tagged("post_install", "-at_install")
class TestSigning(TransactionCase):
    def test_worked_example_of_docs_api(self):
        # docs/api.md: POST /api/pause, empty body, timestamp 1767225600.000000.
        self.assertEqual(
            sign(SECRET, "1767225600.000000", "POST", "/api/pause", b""),
            "bc53e7737bcbe61bf912f924c8559acd898ec27114094cc25efd2b26df141b23",
        )

    def test_call_signs_and_parses(self):
        with FakeSidecar(SECRET).running() as fake:
            fake.answers["/api/status"] = (200, {"configured": True})
            self.assertEqual(call(fake.base_url, SECRET, "GET", "/api/status"), {"configured": True})
        self.assertEqual(fake.calls, [("GET", "/api/status", None)])

    def test_errors_carry_the_sidecar_code(self):
        with FakeSidecar(SECRET).running() as fake:
            fake.answers["/api/pause"] = error(503, "store_unavailable", "the store is down")
            with self.assertRaises(SidecarError) as caught:
                call(fake.base_url, SECRET, "POST", "/api/pause")
            self.assertEqual(caught.exception.code, "store_unavailable")
            self.assertEqual(caught.exception.request_id, "req123")
            with self.assertRaises(SidecarError) as caught:
                call(fake.base_url, "another-secret-xyz", "POST", "/api/pause")
            self.assertEqual(caught.exception.code, "bad_signature")
            self.assertNotIn("another-secret-xyz", str(caught.exception))
            fake.answers["/api/resume"] = (502, "<html>proxy</html>")
            with self.assertRaises(SidecarError) as caught:
                call(fake.base_url, SECRET, "POST", "/api/resume")
            self.assertEqual(caught.exception.code, "bad_response")
            fake.down = True
            with self.assertRaises(SidecarDown) as caught:
                call(fake.base_url, SECRET, "POST", "/api/pause")
            self.assertEqual(caught.exception.code, "sidecar_down")

    def test_no_secret_is_not_configured(self):
        with self.assertRaises(SidecarError) as caught:
            call("http://127.0.0.1:8077", "", "GET", "/api/status")
        self.assertEqual(caught.exception.code, "not_configured")


@tagged("post_install", "-at_install")
class TestSettingsPush(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.icp = cls.env["ir.config_parameter"].sudo()
        cls.admin = cls.env.ref("base.user_admin")
        cls.icp.set_param("web.base.url", "https://odoo.example.com")
        cls.icp.set_param(PREFIX + "sidecar_secret", False)

    def _save(self, **values):
        values = {
            "outlook_sync_enabled": True,
            "outlook_sync_client_id": "client-1",
            "outlook_sync_client_secret": "ms-secret",
            "outlook_sync_sidecar_url": "http://127.0.0.1:8077",
            "outlook_sync_sidecar_secret": SECRET,
            **values,
        }
        return self.env["res.config.settings"].with_user(self.admin).create(values).execute()

    def test_first_save_bootstraps_then_signs_with_the_secret(self):
        fake = FakeSidecar(secret=None)
        with fake.running():
            self._save()
        self.assertEqual(fake.secret, SECRET)
        self.assertEqual(fake.paths(), ["/api/configure", "/api/resume"])
        self.assertEqual(fake.calls[0][2]["api_shared_secret"], SECRET)
        self.assertEqual(fake.stored["ms_client_id"], "client-1")
        self.assertEqual(fake.stored["ms_client_secret"], "ms-secret")
        self.assertEqual(
            fake.stored["ms_redirect_uri"], "https://odoo.example.com/microsoft_account/authentication"
        )
        # The sync window and the defaults for new connections travel too, as strings.
        self.assertEqual(fake.stored["sync_window_past_days"], "365")
        self.assertEqual(fake.stored["sync_window_future_days"], "730")
        self.assertEqual(fake.stored["quiet_mode_default"], "false")
        self.assertEqual(fake.stored["only_future_default"], "false")
        fake.calls.clear()
        with fake.running():
            self._save(outlook_sync_paused=True)
        self.assertEqual(fake.paths(), ["/api/configure", "/api/pause"])
        self.assertNotIn("api_shared_secret", fake.calls[0][2])

    def test_window_and_defaults_are_pushed(self):
        self.icp.set_param(PREFIX + "sidecar_secret", SECRET)
        fake = FakeSidecar(secret=SECRET)
        with fake.running():
            self._save(outlook_sync_window_past_days=30, outlook_sync_window_future_days=90,
                       outlook_sync_quiet_mode_default=True, outlook_sync_only_future_default=True)
        self.assertEqual(
            {key: fake.stored[key] for key in ("sync_window_past_days", "sync_window_future_days",
                                               "quiet_mode_default", "only_future_default")},
            {"sync_window_past_days": "30", "sync_window_future_days": "90",
             "quiet_mode_default": "true", "only_future_default": "true"},
        )
        self.assertEqual(self.icp.get_param(PREFIX + "only_future_default"), "True")

    def test_new_secret_is_rotated_with_the_old_one(self):
        self.icp.set_param(PREFIX + "sidecar_secret", SECRET)
        fake = FakeSidecar(secret=SECRET)
        with fake.running():
            self._save(outlook_sync_sidecar_secret="a-brand-new-secret-42")
        self.assertEqual(fake.secret, "a-brand-new-secret-42")
        self.assertEqual(self.icp.get_param(PREFIX + "sidecar_secret"), "a-brand-new-secret-42")

    def test_refusal_is_a_user_error_and_nothing_is_saved(self):
        self.icp.set_param(PREFIX + "client_id", "old-id")
        fake = FakeSidecar(secret=SECRET)
        fake.answers["/api/configure"] = error(400, "invalid_settings", "ms_client_id: not a GUID")
        with fake.running(), self.assertRaises(UserError) as caught:
            self._save(outlook_sync_client_id="bad id")
        self.assertIn("ms_client_id: not a GUID", str(caught.exception))
        self.assertNotIn(SECRET, str(caught.exception))
        self.assertEqual(self.icp.get_param(PREFIX + "client_id"), "old-id")

    def test_sidecar_down_saves_odoo_and_warns(self):
        fake = FakeSidecar(secret=SECRET)
        fake.down = True
        with fake.running():
            action = self._save(outlook_sync_client_id="id-while-down")
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("does not answer", action["params"]["message"])
        self.assertEqual(self.icp.get_param(PREFIX + "client_id"), "id-while-down")

    def test_disabled_pushes_nothing(self):
        fake = FakeSidecar(secret=SECRET)
        with fake.running():
            self._save(outlook_sync_enabled=False)
        self.assertEqual(fake.calls, [])


@tagged("post_install", "-at_install")
class TestUserConnection(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        configure(cls.env, SECRET)
        cls.alice = internal_user(cls.env, "alice-os", email="alice@example.com")
        cls.bob = internal_user(cls.env, "bob-os")
        cls.admin = cls.env.ref("base.user_admin")
        cls.db = cls.env.cr.dbname

    def test_signin_for_self_returns_the_authorize_url(self):
        fake = FakeSidecar(SECRET)
        path = f"/api/users/{self.db}/{self.alice.id}/signin/start"
        fake.answers[path] = (200, {"authorize_url": "https://login.example/authorize?state=x"})
        with fake.running():
            action = self.alice.with_user(self.alice).outlook_sync_start_signin()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], "https://login.example/authorize?state=x")
        self.assertEqual(fake.calls[0][2], {"login": "alice-os", "login_hint": "alice@example.com"})

    def test_signin_without_an_email_sends_no_hint(self):
        fake = FakeSidecar(SECRET)
        fake.answers[f"/api/users/{self.db}/{self.bob.id}/signin/start"] = (
            200, {"authorize_url": "https://login.example/authorize?state=y"})
        with fake.running():
            self.bob.with_user(self.bob).outlook_sync_start_signin()
        self.assertEqual(fake.calls[0][2], {"login": "bob-os"})

    def test_nobody_signs_in_for_someone_else(self):
        with self.assertRaises(AccessError):
            self.alice.with_user(self.bob).outlook_sync_start_signin()
        with self.assertRaises(AccessError):
            self.alice.with_user(self.admin).outlook_sync_start_signin()
        with self.assertRaises(AccessError):
            self.alice.with_user(self.bob).outlook_sync_stop()
        with self.assertRaises(AccessError):
            self.alice.with_user(self.bob).action_outlook_sync_reset()

    def test_status_states(self):
        fake = FakeSidecar(SECRET)
        path = f"/api/users/{self.db}/{self.alice.id}/status"
        with fake.running():
            fake.answers[path] = error(404, "not_connected")
            self.assertEqual(self.alice.with_user(self.alice).outlook_sync_status()["state"], "not_connected")
            fake.answers[path] = (200, {"state": "CONNECTED", "ms_username": "alice@example.com",
                                        "last_sync_at": "2026-11-24T09:00:00Z", "last_error": None})
            status = self.alice.with_user(self.alice).outlook_sync_status()
            self.assertEqual(status["state"], "connected")
            self.assertEqual(self.alice.with_user(self.admin).outlook_sync_last_sync.hour, 9)
            fake.answers[path] = (200, {"state": "NEEDS_REAUTH", "state_reason": "AADSTS50173"})
            self.assertEqual(self.alice.with_user(self.alice).outlook_sync_status()["state"], "needs_reauth")
            fake.down = True
            status = self.alice.with_user(self.alice).outlook_sync_status()
            self.assertEqual(status["state"], "error")
        # Reading the status never asks for a sync.
        self.assertFalse([p for p in fake.paths() if p.endswith("/sync")])
        self.env["ir.config_parameter"].sudo().set_param(PREFIX + "enabled", False)
        self.assertEqual(self.alice.with_user(self.alice).outlook_sync_status()["state"], "not_configured")

    def test_first_sync_preview_options_and_confirm(self):
        fake = FakeSidecar(SECRET)
        base = f"/api/users/{self.db}/{self.alice.id}"
        fake.answers[base + "/status"] = (200, {"state": "CONNECTED", "awaiting_first_sync": True})
        options = {"quiet": False, "only_future": True}
        fake.answers[base + "/options"] = lambda payload: (200, options.update(payload or {}) or dict(options))
        fake.answers[base + "/sync"] = lambda payload: (200, {
            "dry_run": payload["dry_run"], "succeeded": True, "changes": 3,
            "counts": {"CreateInOutlook": 2, "UpdateOdoo": 1, "Adopt": 4},
            "mail": {"count": 2, "invitation": 2, "recipients": ["bob@example.com", "carol@example.com"]},
            "errors": []})
        me = self.alice.with_user(self.alice)
        with fake.running():
            self.assertTrue(me.outlook_sync_status()["awaiting_first_sync"])
            review = me.outlook_sync_first_sync_preview()
            self.assertEqual(review["options"], {"quiet": False, "only_future": True})
            self.assertEqual(review["preview"]["mail"],
                             "This will send 2 invitations to 2 people: bob@example.com, carol@example.com.")
            self.assertEqual(review["preview"]["lines"],
                             ["To Outlook: 2 new", "To Odoo: 1 updated", "Already on both sides, linked: 4"])
            review = me.outlook_sync_set_options(True, True)
            self.assertEqual(review["options"], {"quiet": True, "only_future": True})
            me.outlook_sync_confirm_first_sync()
        self.assertEqual(
            [(m, p, payload) for m, p, payload in fake.calls if not p.endswith("/status")],
            [("GET", base + "/options", None), ("POST", base + "/sync", {"dry_run": True}),
             ("POST", base + "/options", {"quiet": True, "only_future": True}),
             ("GET", base + "/options", None), ("POST", base + "/sync", {"dry_run": True}),
             ("POST", base + "/sync", {"dry_run": False})],
        )
        with self.assertRaises(AccessError):
            self.alice.with_user(self.bob).outlook_sync_set_options(True, True)
        with self.assertRaises(AccessError):
            self.alice.with_user(self.bob).outlook_sync_first_sync_preview()

    def test_sync_now_summarizes_the_run(self):
        fake = FakeSidecar(SECRET)
        path = f"/api/users/{self.db}/{self.alice.id}/sync"
        fake.answers[path] = (200, {
            "run_id": 4, "dry_run": False, "succeeded": True, "changes": 2,
            "counts": {"CreateInOutlook": 1, "CreateInOdoo": 1, "Skip": 3},
            "mail": {"count": 1, "invitation": 1, "recipients": ["bob@example.com"]}, "errors": []})
        with fake.running():
            result = self.alice.with_user(self.alice).outlook_sync_sync_now()
        self.assertEqual(fake.calls, [("POST", path, {"dry_run": False})])
        # The run happens within the request: a long wait, not the 5 s of other calls.
        self.assertEqual(fake.timeouts, [(path, 100)])
        self.assertEqual(result["changes"], 2)
        self.assertEqual(result["lines"][:2], ["To Outlook: 1 new", "To Odoo: 1 new"])
        self.assertEqual(result["mail"], "Outlook sent 1 invitation to 1 person: bob@example.com.")
        fake.answers[path] = error(409, "busy", "a run of this account is under way")
        with fake.running(), self.assertRaises(UserError) as caught:
            self.alice.with_user(self.alice).outlook_sync_sync_now()
        self.assertIn("under way", str(caught.exception))
