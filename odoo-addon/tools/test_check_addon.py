"""Tests for check_addon.py: it must pass a sound addon and catch broken ones.

Run: python3 -m unittest discover -s odoo-addon/tools -p 'test_*.py'
"""

import json
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
    "static/src/js/thing.js": "/** @odoo-module **/\n// nothing\n",
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

    def run_checker(self, addon, *options, env=None):
        proc = subprocess.run(
            [sys.executable, CHECKER, *options, addon],
            env=env,
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

    def assert_fails_with(self, addon, *fragments, options=(), env=None):
        code, failed, body = self.run_checker(addon, *options, env=env)
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


def view(arch, model="res.partner", view_id="v"):
    return (
        "<odoo>\n"
        f"  <record id='{view_id}' model='ir.ui.view'>\n"
        f"    <field name='model'>{model}</field>\n"
        f"    <field name='arch' type='xml'>{arch}</field>\n"
        "  </record>\n"
        "</odoo>\n"
    )


class TestReleaseRules(CheckerTestCase):
    """Each rule fails a bad addon on the releases it concerns and passes it on the others."""

    def assert_release(self, addon, release, ok, fragment):
        code, failed, body = self.run_checker(addon, "--release", str(release))
        fails = [line for line in body if line.startswith("FAIL ")]
        if ok:
            self.assertEqual((code, failed), (0, 0), "\n".join(body))
        else:
            self.assertEqual(code, 1, "\n".join(body))
            self.assertTrue(any(fragment in line for line in fails), f"{fragment!r} not in:\n" + "\n".join(fails))
            self.assertTrue(all(line.startswith(f"FAIL [{release}] ") for line in fails), fails)

    def test_real_addon_passes_each_release(self):
        for release in (17, 18, 19):
            code, failed, body = self.run_checker(REAL_ADDON, "--release", str(release))
            self.assertEqual((code, failed), (0, 0), "\n".join(body))
            self.assertIn(f"PASS [{release}] list views are <{'tree' if release == 17 else 'list'}>", body)

    def test_default_checks_every_release(self):
        code, _failed, body = self.run_checker(self.make_addon())
        self.assertEqual(code, 0, "\n".join(body))
        for release in (17, 18, 19):
            self.assertIn(f"PASS [{release}] views use no attrs/states", body)

    def test_unknown_release_is_refused(self):
        proc = subprocess.run([sys.executable, CHECKER, "--release", "16", REAL_ADDON], capture_output=True)
        self.assertEqual(proc.returncode, 2)

    def test_tree_view_fails_on_18_and_19(self):
        addon = self.make_addon({"views/views.xml": view("<tree><field name='name'/></tree>")})
        self.assert_release(addon, 17, True, "")
        self.assert_release(addon, 18, False, "list views are <list>: views/views.xml view v has <tree>")
        self.assert_release(addon, 19, False, "has <tree>")

    def test_list_view_fails_on_17(self):
        addon = self.make_addon({"views/views.xml": view("<list><field name='name'/></list>")})
        self.assert_release(addon, 17, False, "list views are <tree>: views/views.xml view v has <list>")
        self.assert_release(addon, 18, True, "")

    def test_tree_view_mode_fails_on_18(self):
        action = ("<odoo><record id='a' model='ir.actions.act_window'><field name='res_model'>res.partner</field>"
                  "<field name='view_mode'>tree,form</field></record></odoo>\n")
        addon = self.make_addon({"views/views.xml": action})
        self.assert_release(addon, 17, True, "")
        self.assert_release(addon, 18, False, "ir.actions.act_window a has view_mode tree")

    def test_attrs_and_states_fail_on_every_release(self):
        arch = "<form><field name='name' attrs=\"{'invisible': [('id', '=', False)]}\"/><button states='draft'/></form>"
        addon = self.make_addon({"views/views.xml": view(arch)})
        for release in (17, 18, 19):
            self.assert_release(addon, release, False, "<field> has attrs")
            self.assert_release(addon, release, False, "<button> has states")

    def test_groups_id_in_data_fails_on_19(self):
        record = ("<odoo><record id='u' model='res.users'><field name='login'>u</field>"
                  "<field name='groups_id' eval=\"[(4, ref('base.group_user'))]\"/></record></odoo>\n")
        addon = self.make_addon({"views/views.xml": record})
        self.assert_release(addon, 18, True, "")
        self.assert_release(addon, 19, False, "record u sets res.users.groups_id (use group_ids)")

    def test_19_names_in_data_fail_on_17(self):
        record = ("<odoo><record id='g' model='res.groups'><field name='name'>G</field>"
                  "<field name='user_ids' eval='[]'/><field name='privilege_id' eval='False'/></record></odoo>\n")
        addon = self.make_addon({"views/views.xml": record})
        self.assert_release(addon, 17, False, "sets res.groups.user_ids (use users)")
        self.assert_release(addon, 17, False, "sets res.groups.privilege_id (use category_id)")
        self.assert_release(addon, 19, True, "")

    def test_groups_id_in_user_view_fails_on_19(self):
        arch = "<form><xpath expr=\"//field[@name='groups_id']\" position='after'><field name='groups_id'/></xpath></form>"
        addon = self.make_addon({"views/views.xml": view(arch, model="res.users")})
        self.assert_release(addon, 17, True, "")
        self.assert_release(addon, 19, False, "view v uses res.users.groups_id (use group_ids)")

    def test_groups_id_in_python_fails_on_19(self):
        code = ("def grant(user, group):\n"
                "    user.write({'groups_id': [(4, group.id)]})\n"
                "    return user.groups_id\n")
        addon = self.make_addon({"models/grant.py": code})
        self.assert_release(addon, 18, True, "")
        self.assert_release(addon, 19, False, "models/grant.py line 2 writes groups_id")
        self.assert_release(addon, 19, False, "models/grant.py line 3 reads .groups_id")

    def test_js_without_odoo_module_comment_fails_on_17(self):
        addon = self.make_addon({"static/src/js/thing.js": "export const x = 1;\n"})
        self.assert_release(addon, 17, False, "static/src/js/thing.js lacks /** @odoo-module **/")
        self.assert_release(addon, 18, True, "")
        self.assert_release(addon, 19, True, "")

    def test_session_uid_fails_on_18_and_19(self):
        js = "/** @odoo-module **/\nimport { session } from \"@web/session\";\nexport const id = session.uid;\n"
        addon = self.make_addon({"static/src/js/thing.js": js})
        self.assert_release(addon, 17, True, "")
        self.assert_release(addon, 18, False, "static/src/js/thing.js line 3 reads session.uid")
        self.assert_release(addon, 19, False, "reads session.uid")

    def test_env_underscore_fails_on_17_unless_guarded(self):
        bare = "def message(self):\n    return self.env._('Hello')\n"
        guarded = ("def message(env):\n    if hasattr(env, '_'):\n        return env._('Hello')\n"
                   "    return 'Hello'\n")
        addon = self.make_addon({"models/m.py": bare})
        self.assert_release(addon, 17, False, "models/m.py line 2 calls env._")
        self.assert_release(addon, 18, True, "")
        self.assert_release(self.make_addon({"models/m.py": guarded}), 17, True, "")


class TestReleaseFacts(CheckerTestCase):
    """The addon's imports and references against recorded facts (a facts file of the test's own)."""

    def facts_env(self, facts):
        path = os.path.join(self._tmp.name, "facts.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(facts, handle)
        return dict(os.environ, RELEASE_FACTS=path)

    def addon_importing_user(self):
        js = ("/** @odoo-module **/\nimport { user } from \"@web/core/user\";\n"
              "import { session, nope } from \"@web/session\";\n")
        code = "from odoo.tools.translate import code_translations\n"
        return self.make_addon({"static/src/js/thing.js": js, "models/m.py": code})

    def facts(self, user, nope=False, xmlid=True):
        return {
            "js": {"@web/core/user": user, "@web/session": {"session": True, "nope": nope}},
            "python": {"odoo.tools.translate": {"code_translations": True}},
            "xmlid": {"base.group_user": xmlid},
            "template": {},
        }

    def test_missing_module_name_and_xmlid_fail(self):
        env = self.facts_env({"17": self.facts(None, xmlid=False), "18": self.facts({"user": True}, nope=True)})
        fails = self.assert_fails_with(self.addon_importing_user(), options=("--release", "17"), env=env)
        text = "\n".join(fails)
        self.assertIn("@web/core/user does not exist in Odoo 17", text)
        self.assertIn("@web/session has no nope in Odoo 17", text)
        self.assertIn("base.group_user does not exist in Odoo 17", text)
        code, failed, body = self.run_checker(self.addon_importing_user(), "--release", "18", env=env)
        self.assertEqual((code, failed), (0, 0), "\n".join(body))

    def test_unrecorded_reference_is_stale(self):
        env = self.facts_env({"19": self.facts({"user": True}, nope=True)})
        addon = self.addon_importing_user()
        with open(os.path.join(addon, "models", "n.py"), "w", encoding="utf-8") as handle:
            handle.write("from odoo.tools import float_compare\n")
        self.assert_fails_with(addon, "odoo.tools not recorded (release_facts.json is stale",
                               options=("--release", "19"), env=env)
        self.assert_fails_with(addon, "Python modules the addon uses exist", options=("--release", "17"), env=env)

    def test_committed_facts_match_the_trees(self):
        """Staleness against the real trees, where ODOO_HOME_17/18/19 name them."""
        sys.path.insert(0, HERE)
        import release_facts

        with open(release_facts.FACTS_FILE, encoding="utf-8") as handle:
            committed = json.load(handle)
        references = release_facts.addon_references(REAL_ADDON)
        checked = 0
        for release in (17, 18, 19):
            tree = os.environ.get(f"ODOO_HOME_{release}")
            if not tree:
                print(f"release facts of Odoo {release} not compared: ODOO_HOME_{release} is not set")
                continue
            self.assertEqual(release_facts.tree_facts(tree, references), committed[str(release)],
                             f"release_facts.json is stale for {release}: run tools/release_facts.py")
            checked += 1
        if not checked:
            self.skipTest("no ODOO_HOME_17/18/19 set")


if __name__ == "__main__":
    unittest.main()
