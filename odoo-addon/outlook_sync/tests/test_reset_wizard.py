# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Reset Account wizard: dry-run preview, Confirm, refusals, who may use it."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, tagged

from .fake_sidecar import FakeSidecar, configure, error, internal_user, reset_answer

SECRET = "0123456789abcdef0123"


@tagged("post_install", "-at_install")
class TestResetWizard(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        configure(cls.env, SECRET)
        cls.alice = internal_user(cls.env, "alice-rw")
        cls.bob = internal_user(cls.env, "bob-rw")
        cls.admin = cls.env.ref("base.user_admin")
        cls.db = cls.env.cr.dbname

    def setUp(self):
        super().setUp()
        self.fake = FakeSidecar(SECRET)
        self.path = f"/api/users/{self.db}/{self.alice.id}/reset"
        self.fake.answers[self.path] = reset_answer

    def _wizard(self, as_user=None, **values):
        env = self.env(user=as_user or self.admin)
        return env["outlook_sync.reset_account"].create({"user_id": self.alice.id, **values})

    def test_user_form_button_opens_the_wizard_for_that_user(self):
        action = self.alice.with_user(self.admin).action_outlook_sync_reset()
        self.assertEqual(action["res_model"], "outlook_sync.reset_account")
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["context"], {"default_user_id": self.alice.id})
        with self.fake.running():
            form = Form(self.env["outlook_sync.reset_account"].with_user(self.admin).with_context(action["context"]))
            self.assertEqual(form.delete_policy, "leave")
            self.assertEqual(form.next_policy, "new")
            self.assertIn("Outlook events deleted: 0", form.preview)
            form.delete_policy = "both"
            self.assertIn("Outlook events deleted: 14", form.preview)
            self.assertIn("Odoo events archived: 3", form.preview)
            self.assertIn("6 cancellations to 2 people: bob@example.com, carol@partner.example", form.preview)
        # Only dry runs so far, each with the choice shown.
        sent = [payload for _m, path, payload in self.fake.calls if path == self.path]
        self.assertTrue(sent and all(p["dry_run"] for p in sent), sent)
        self.assertEqual(sent[-1], {"delete": "both", "next": "new", "dry_run": True})

    def test_all_existing_events_shows_the_next_sync_forecast(self):
        self.fake.answers[self.path] = lambda payload: reset_answer(
            payload, next_sync={"changes": 9, "mail": {"count": 4, "invitation": 4, "recipients": ["dan@example.com"]}})
        wizard = self._wizard(delete_policy="odoo", next_policy="all")
        with self.fake.running():
            preview = str(wizard.preview)
        self.assertIn("changes 9 events", preview)
        self.assertIn("This will send 4 invitations to 1 person: dan@example.com.", preview)

    def test_all_existing_events_without_a_forecast_says_so(self):
        wizard = self._wizard(next_policy="all")
        with self.fake.running():
            preview = str(wizard.preview)
        self.assertIn("gave no forecast", preview)

    def test_confirm_resets_and_shows_the_outcome(self):
        wizard = self._wizard(delete_policy="outlook", next_policy="new")
        with self.fake.running():
            action = wizard.action_confirm()
        self.assertEqual((action["res_model"], action["res_id"]), (wizard._name, wizard.id))
        self.assertEqual(self.fake.calls[-1][2], {"delete": "outlook", "next": "new", "dry_run": False})
        self.assertEqual(self.fake.timeouts[-1], (self.path, 100))
        self.assertTrue(wizard.done)
        self.assertIn("The account was reset.", wizard.outcome)
        self.assertIn("Outlook events deleted: 14", wizard.outcome)
        self.assertIn("Outlook sent 6 cancellations to 2 people", wizard.outcome)

    def test_each_option_reaches_the_sidecar_as_chosen(self):
        # The wizard's two groups, all eight pairs: what the sidecar does with each is the sidecar's
        # scenario tests (docs/sync.md); here, that each choice is sent as made, preview and Confirm alike.
        for delete in ("leave", "outlook", "odoo", "both"):
            for nxt in ("new", "all"):
                with self.subTest(delete=delete, next=nxt):
                    wizard = self._wizard(delete_policy=delete, next_policy=nxt)
                    with self.fake.running():
                        wizard.preview  # noqa: B018 - computing it asks the sidecar for the dry run
                        wizard.action_confirm()
                    self.assertEqual(self.fake.calls[-2][2], {"delete": delete, "next": nxt, "dry_run": True})
                    self.assertEqual(self.fake.calls[-1][2], {"delete": delete, "next": nxt, "dry_run": False})
                    self.assertTrue(wizard.done)

    def test_failed_deletions_are_shown(self):
        self.fake.answers[self.path] = lambda payload: reset_answer(
            payload, succeeded=False, errors=["DeleteInOutlook AAMk1: Graph answered 503"])
        wizard = self._wizard(delete_policy="outlook")
        with self.fake.running():
            wizard.action_confirm()
        self.assertIn("did not finish", wizard.outcome)
        self.assertIn("DeleteInOutlook AAMk1: Graph answered 503", wizard.outcome)

    def test_refusals_change_nothing_and_say_why(self):
        wizard = self._wizard(delete_policy="both")
        for answer, expected in (
            (error(409, "busy", "a sync of this account is running"), "is running"),
            (error(409, "not_configured", "missing: odoo_api_key"), "missing: odoo_api_key"),
            (error(404, "not_connected"), "never connected"),
        ):
            self.fake.answers[self.path] = answer
            wizard.invalidate_recordset(["preview"])
            with self.fake.running():
                self.assertIn(expected, str(wizard.preview))
                with self.assertRaises(UserError) as caught:
                    wizard.action_confirm()
            self.assertIn(expected, str(caught.exception))
            self.assertFalse(wizard.done)
        self.fake.down = True
        wizard.invalidate_recordset(["preview"])
        with self.fake.running():
            self.assertIn("does not answer", str(wizard.preview))
            with self.assertRaises(UserError):
                wizard.action_confirm()

    def test_only_admins_reset_other_users(self):
        with self.assertRaises(AccessError):
            self._wizard(as_user=self.bob)
        with self.assertRaises(AccessError):
            self.alice.with_user(self.bob).action_outlook_sync_reset()
        # Nor through the form's onchange (the preview is a dry run for that user).
        with self.fake.running(), self.assertRaises(AccessError):
            Form(self.env["outlook_sync.reset_account"].with_user(self.bob).with_context(default_user_id=self.alice.id))
        self.assertFalse([path for _m, path, _p in self.fake.calls if path == self.path])
        # A user may reset their own account; an administrator anyone's.
        with self.fake.running():
            self._wizard(as_user=self.alice).action_confirm()
            self._wizard().action_confirm()
        self.assertEqual(len([p for _m, p, payload in self.fake.calls if not payload["dry_run"]]), 2)

    def test_the_user_forms_calendar_tab_has_the_outlook_section(self):
        view = self.env.ref("base.view_users_form")
        arch = self.env["res.users"].with_user(self.admin).get_views([(view.id, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_outlook_sync_reset"', arch)
        self.assertIn('name="outlook_sync_state"', arch)
        self.assertIn("Outlook Calendar", arch)
