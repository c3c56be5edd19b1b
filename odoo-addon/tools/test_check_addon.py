"""Tests for check_addon.py: it must pass a sound addon and catch broken ones.

Run: python3 -m unittest discover -s odoo-addon/tools -p 'test_*.py'
"""

import os
import re
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "check_addon.py")
REAL_ADDON = os.path.join(os.path.dirname(HERE), "outlook_sync")
SUMMARY_RE = re.compile(r"^check_addon: (\d+) passed, (\d+) failed$")

GOOD_MANIFEST = """\
{
    "name": "Fake",
    "version": "1.0.0",
    "depends": ["base"],
    "license": "LGPL-3",
    "data": ["security/ir.model.access.csv", "views/views.xml"],
    "assets": {
        "web.assets_backend": [
            "fake_addon/static/src/**/*.js",
            ("include", "web._assets_helpers"),
            ("remove", "web/static/src/other.js"),
        ],
    },
    "excludes": ["microsoft_calendar", "microsoft_account"],
    "pre_init_hook": "pre_init_hook",
}
"""

GOOD_FILES = {
    "__manifest__.py": GOOD_MANIFEST,
    "__init__.py": "from . import models\nfrom .hooks import pre_init_hook\n",
    "hooks.py": "def pre_init_hook(env):\n    pass\n",
    "models/__init__.py": "",
    "views/views.xml": "<odoo>\n  <record id='x' model='ir.ui.view'/>\n</odoo>\n",
    "security/ir.model.access.csv": (
        "id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink\n"
        "access_x,x,model_x,base.group_user,1,0,0,0\n"
    ),
    "static/src/js/thing.js": "// nothing\n",
}


class CheckerTestCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self._tmp.cleanup)

    def make_addon(self, overrides=None, remove=()):
        """Write a fake addon (good by default) and return its path."""
        addon = os.path.join(self._tmp.name, "fake_addon")
        files = dict(GOOD_FILES)
        files.update(overrides or {})
        for name in remove:
            del files[name]
        for name, text in files.items():
            path = os.path.join(addon, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        return addon

    def run_checker(self, addon):
        proc = subprocess.run(
            [sys.executable, CHECKER, addon],
            capture_output=True,
            text=True,
            timeout=60,
        )
        lines = proc.stdout.splitlines()
        self.assertTrue(lines, proc.stderr)
        match = SUMMARY_RE.match(lines[-1])
        self.assertIsNotNone(match, f"bad last line: {lines[-1]!r}")
        passed, failed = int(match.group(1)), int(match.group(2))
        body = lines[:-1]
        # One line per check, and the summary counts them.
        self.assertEqual(passed, sum(1 for line in body if line.startswith("PASS ")))
        self.assertEqual(failed, sum(1 for line in body if line.startswith("FAIL ")))
        self.assertEqual(passed + failed, len(body))
        return proc.returncode, failed, body

    def assert_fails_with(self, addon, *fragments):
        code, failed, body = self.run_checker(addon)
        self.assertEqual(code, 1, "\n".join(body))
        self.assertGreaterEqual(failed, 1)
        fails = [line for line in body if line.startswith("FAIL ")]
        for fragment in fragments:
            self.assertTrue(
                any(fragment in line for line in fails),
                f"no FAIL line mentions {fragment!r}:\n" + "\n".join(body),
            )
        return fails


class TestCheckAddon(CheckerTestCase):
    def test_good_addon_passes(self):
        code, failed, body = self.run_checker(self.make_addon())
        self.assertEqual((code, failed), (0, 0), "\n".join(body))
        self.assertIn("PASS asset exists (web.assets_backend): fake_addon/static/src/**/*.js", body)

    def test_real_addon_passes(self):
        code, failed, body = self.run_checker(REAL_ADDON)
        self.assertEqual((code, failed), (0, 0), "\n".join(body))

    def test_broken_xml_is_caught(self):
        addon = self.make_addon({"views/views.xml": "<odoo><record id='x'></odoo>\n"})
        fails = self.assert_fails_with(addon, "xml parses: views/views.xml")
        self.assertEqual(len(fails), 1, fails)

    def test_python_syntax_error_is_caught(self):
        addon = self.make_addon({"models/broken.py": "def oops(:\n    pass\n"})
        fails = self.assert_fails_with(addon, "python compiles: models/broken.py")
        self.assertEqual(len(fails), 1, fails)

    def test_missing_data_file_is_caught(self):
        addon = self.make_addon(remove=["views/views.xml"])
        fails = self.assert_fails_with(addon, "data file exists: views/views.xml")
        self.assertEqual(len(fails), 1, fails)

    def test_missing_asset_is_caught(self):
        addon = self.make_addon(remove=["static/src/js/thing.js"])
        self.assert_fails_with(addon, "asset exists (web.assets_backend): fake_addon/static/src/**/*.js")

    def test_manifest_that_is_not_a_literal_is_caught(self):
        addon = self.make_addon({"__manifest__.py": "dict(name='Fake')\n"})
        self.assert_fails_with(addon, "manifest is a literal dict")

    def test_wrong_version_is_caught(self):
        addon = self.make_addon(
            {"__manifest__.py": GOOD_MANIFEST.replace('"1.0.0"', '"18.0.1.0.0"')}
        )
        self.assert_fails_with(addon, "manifest version is x.y.z (no release prefix)")

    def test_missing_required_key_is_caught(self):
        addon = self.make_addon(
            {"__manifest__.py": GOOD_MANIFEST.replace('"license": "LGPL-3",', "")}
        )
        self.assert_fails_with(addon, "manifest has required keys: missing license")

    def test_incomplete_excludes_is_caught(self):
        addon = self.make_addon(
            {
                "__manifest__.py": GOOD_MANIFEST.replace(
                    '"excludes": ["microsoft_calendar", "microsoft_account"]',
                    '"excludes": ["microsoft_calendar"]',
                )
            }
        )
        self.assert_fails_with(addon, "excludes Odoo's Microsoft modules: missing microsoft_account")

    def test_bad_access_csv_header_is_caught(self):
        addon = self.make_addon(
            {"security/ir.model.access.csv": "id,name,model_id:id\naccess_x,x,model_x\n"}
        )
        self.assert_fails_with(addon, "csv has the ir.model.access header")

    def test_undefined_hook_is_caught(self):
        addon = self.make_addon({"__init__.py": "from . import models\n"})
        self.assert_fails_with(addon, "pre_init_hook 'pre_init_hook' is defined")

    def test_missing_folder_fails(self):
        code, failed, body = self.run_checker(os.path.join(self._tmp.name, "nope"))
        self.assertEqual((code, failed), (1, 1), body)


if __name__ == "__main__":
    unittest.main()
