# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from ..hooks import (
    CONFLICTING_MODULES,
    check_no_conflicts,
    conflict_message,
    find_conflicts,
    pre_init_hook,
)

PREFIX = "outlook_sync."


@tagged("post_install", "-at_install")
class TestSettings(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.icp = cls.env["ir.config_parameter"].sudo()
        cls.admin = cls.env.ref("base.user_admin")

    def _settings(self, **values):
        return self.env["res.config.settings"].with_user(self.admin).create(values)

    def _param(self, name):
        return self.icp.get_param(PREFIX + name)

    def test_defaults_when_nothing_stored(self):
        for name in ("sidecar_url", "sync_window_past_days", "sync_window_future_days"):
            self.icp.set_param(PREFIX + name, False)
        settings = self._settings()
        self.assertFalse(settings.outlook_sync_enabled)
        self.assertFalse(settings.outlook_sync_paused)
        self.assertEqual(settings.outlook_sync_sidecar_url, "http://127.0.0.1:8077")
        self.assertEqual(settings.outlook_sync_window_past_days, 365)
        self.assertEqual(settings.outlook_sync_window_future_days, 730)

    def test_save_writes_config_parameters(self):
        self._settings(
            outlook_sync_enabled=True,
            outlook_sync_client_id="  app-id-123  ",
            outlook_sync_client_secret="s3cret",
            outlook_sync_sidecar_url="http://localhost:9000",
            outlook_sync_sidecar_secret="hmac-key-0123456789",
            outlook_sync_paused=True,
            outlook_sync_window_past_days=30,
            outlook_sync_window_future_days=90,
            outlook_sync_quiet_mode_default=True,
        ).execute()
        self.assertEqual(self._param("enabled"), "True")
        # Odoo strips char settings before storing them.
        self.assertEqual(self._param("client_id"), "app-id-123")
        self.assertEqual(self._param("client_secret"), "s3cret")
        self.assertEqual(self._param("sidecar_url"), "http://localhost:9000")
        self.assertEqual(self._param("sidecar_secret"), "hmac-key-0123456789")
        self.assertEqual(self._param("paused"), "True")
        self.assertEqual(self._param("sync_window_past_days"), "30")
        self.assertEqual(self._param("sync_window_future_days"), "90")
        self.assertEqual(self._param("quiet_mode_default"), "True")

    def test_settings_read_config_parameters(self):
        self.icp.set_param(PREFIX + "enabled", "True")
        self.icp.set_param(PREFIX + "client_id", "stored-id")
        self.icp.set_param(PREFIX + "sidecar_url", "https://sidecar.example:8443")
        self.icp.set_param(PREFIX + "sync_window_past_days", "7")
        self.icp.set_param(PREFIX + "paused", False)
        settings = self._settings()
        self.assertTrue(settings.outlook_sync_enabled)
        self.assertEqual(settings.outlook_sync_client_id, "stored-id")
        self.assertEqual(settings.outlook_sync_sidecar_url, "https://sidecar.example:8443")
        self.assertEqual(settings.outlook_sync_window_past_days, 7)
        self.assertFalse(settings.outlook_sync_paused)

    def test_unticking_and_clearing_remove_parameters(self):
        self._settings(outlook_sync_enabled=True, outlook_sync_client_id="x").execute()
        self._settings(outlook_sync_enabled=False, outlook_sync_client_id="  ").execute()
        self.assertFalse(self._param("enabled"))
        self.assertFalse(self._param("client_id"))

    def test_negative_window_is_rejected(self):
        with self.assertRaises(ValidationError):
            self._settings(outlook_sync_window_past_days=-1)

    def test_sidecar_url_must_be_http(self):
        with self.assertRaises(ValidationError):
            self._settings(outlook_sync_sidecar_url="127.0.0.1:8077")
        with self.assertRaises(ValidationError):
            self._settings(outlook_sync_sidecar_url="ftp://127.0.0.1")

    def test_fields_are_in_the_settings_view_for_admins(self):
        arch = self.env["res.config.settings"].with_user(self.admin).get_views(
            [(False, "form")]
        )["views"]["form"]["arch"]
        self.assertIn('name="outlook_sync_client_secret"', arch)
        self.assertIn('name="outlook_sync_sidecar_secret"', arch)
        self.assertIn('id="outlook_sync_setting"', arch)


@tagged("post_install", "-at_install")
class TestInstallGuard(TransactionCase):
    def test_find_conflicts(self):
        self.assertEqual(find_conflicts({}), [])
        self.assertEqual(
            find_conflicts(
                {"microsoft_calendar": "uninstalled", "microsoft_account": "uninstallable"}
            ),
            [],
        )
        self.assertEqual(
            find_conflicts(
                {"microsoft_calendar": "installed", "microsoft_account": "to install"}
            ),
            ["microsoft_account", "microsoft_calendar"],
        )
        self.assertEqual(find_conflicts({"microsoft_account": "to remove"}), ["microsoft_account"])
        self.assertEqual(find_conflicts({"google_calendar": "installed"}), [])

    def test_message_names_modules_and_route(self):
        message = conflict_message(["microsoft_calendar"])
        self.assertIn("microsoft_calendar", message)
        self.assertIn("/microsoft_account/authentication", message)
        with self.assertRaises(UserError):
            check_no_conflicts({"microsoft_calendar": "installed"})
        check_no_conflicts({"microsoft_calendar": "uninstalled"})

    def test_hook_passes_on_a_clean_database(self):
        pre_init_hook(self.env)

    def test_hook_refuses_when_microsoft_module_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "microsoft_account")])
        if not module:
            self.skipTest("microsoft_account is not on the addons path")
        module.state = "installed"
        with self.assertRaises(UserError):
            pre_init_hook(self.env)

    def test_manifest_exclusions_are_registered(self):
        ours = self.env["ir.module.module"].search([("name", "=", "outlook_sync")])
        self.assertEqual(set(ours.exclusion_ids.mapped("name")), set(CONFLICTING_MODULES))

    def test_installer_refuses_microsoft_calendar(self):
        module = self.env["ir.module.module"].search([("name", "=", "microsoft_calendar")])
        if not module or module.state != "uninstalled":
            self.skipTest("microsoft_calendar is not installable here")
        with self.assertRaises(UserError) as caught:
            module.button_install()
        self.assertIn("incompatible", str(caught.exception))
