"""Rules that differ between Odoo 17, 18 and 19, read from the addon alone (stdlib only).

Each rule states a fact of the release's source tree, cited by its path in the tree. check_addon.py runs
them once per release; each returns Results whose text starts with the release, e.g. "[18] ...".
"""

import ast
import os
import re
import xml.etree.ElementTree as ET

from addon_files import Result, files, rel

RELEASES = (17, 18, 19)

# The list view's tag. odoo/addons/base/models/ir_ui_view.py: the view `type` selection has 'tree' in 17 and
# 'list' in 18 and 19 (a view's type is its root tag: 18 refuses 'tree' as a wrong selection value, 19 with
# "Invalid view type"); subviews of x2many fields are recognised by the same tags (`_postprocess_tag_field`).
# odoo/addons/base/models/ir_actions.py VIEW_TYPES is the same for `ir.actions.act_window.view`, and 18's and
# 19's web client no longer maps a `tree` view mode to the list view (17's did:
# addons/web/static/src/webclient/actions/action_service.js).
LIST_TAG = {17: "tree", 18: "list", 19: "list"}

# Fields renamed in 19 (odoo/addons/base/models/res_users.py, res_groups.py, res_groups_privilege.py,
# ir_ui_view.py, ir_ui_menu.py, ir_actions.py, ir_actions_report.py): (model, name in 17 and 18, name in 19).
# A group's application moved from `category_id` to a privilege (`privilege_id`, whose own `category_id` is the
# application).
RENAMED_IN_19 = (
    ("res.users", "groups_id", "group_ids"),
    ("res.groups", "users", "user_ids"),
    ("res.groups", "category_id", "privilege_id"),
    ("ir.ui.view", "groups_id", "group_ids"),
    ("ir.ui.menu", "groups_id", "group_ids"),
    ("ir.actions.act_window", "groups_id", "group_ids"),
    ("ir.actions.server", "groups_id", "group_ids"),
    ("ir.actions.report", "groups_id", "group_ids"),
)
# No model of 19's tree has a `groups_id` field, so in Python (where the model is not known) that name is
# refused on 19 wherever it is written or read. The other direction is checked in XML only: in 17 and 18 other
# models have fields named `group_ids` (e.g. addons/mail/models/discuss/discuss_channel.py).
GROUPS_ID = "groups_id"

# 17 transpiles a JavaScript file only when it starts with an @odoo-module comment
# (odoo/tools/js_transpiler.py is_odoo_module); 18 and 19 transpile every file under static/src and
# static/tests unless it says "@odoo-module ignore".
ODOO_MODULE_RE = re.compile(r"\s*/(\*|/).*\s*@odoo-module")

# 18 and 19 delete `uid` from the session once @web/core/user has read it (addons/web/static/src/core/user.js).
SESSION_UID_RE = re.compile(r"\bsession\s*\.\s*uid\b")


def _tag(release, text):
    return f"[{release}] {text}"


def _xml_records(addon):
    """(relative path, <record> element) for every record of every parsable XML file."""
    for path in files(addon, ".xml"):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue  # reported by the release-agnostic check
        for record in root.iter("record"):
            yield rel(addon, path), record


def _field(record, name):
    for child in record.findall("field"):
        if child.get("name") == name:
            return child
    return None


def _view_archs(addon):
    """(relative path, view id, view model, arch element) for every ir.ui.view record."""
    for path, record in _xml_records(addon):
        if record.get("model") != "ir.ui.view":
            continue
        arch = _field(record, "arch")
        if arch is not None:
            model = _field(record, "model")
            yield path, record.get("id"), (model.text or "").strip() if model is not None else "", arch


def _verdict(release, what, problems):
    return Result(not problems, _tag(release, what), "; ".join(problems))


def check_list_tag(addon, release):
    good, bad = LIST_TAG[release], ("list" if LIST_TAG[release] == "tree" else "tree")
    problems = []
    for path, view_id, _model, arch in _view_archs(addon):
        if any(node.tag == bad for node in arch.iter()):
            problems.append(f"{path} view {view_id} has <{bad}>")
    for path, record in _xml_records(addon):
        model = record.get("model")
        mode = _field(record, "view_mode")
        if mode is None or model not in ("ir.actions.act_window", "ir.actions.act_window.view"):
            continue
        modes = [m.strip() for m in (mode.text or "").split(",")]
        if bad in modes and (bad == "tree" or model == "ir.actions.act_window.view"):
            problems.append(f"{path} {model} {record.get('id')} has view_mode {bad}")
    return [_verdict(release, f"list views are <{good}>", problems)]


def check_attrs_states(addon, release):
    # odoo/addons/base/models/ir_ui_view.py _check_xml: "Since 17.0, the "attrs" and "states" attributes are
    # no longer used." (17, 18 and 19).
    problems = []
    for path, view_id, _model, arch in _view_archs(addon):
        for node in arch.iter():
            for name in ("attrs", "states"):
                if name in node.attrib:
                    problems.append(f"{path} view {view_id} <{node.tag}> has {name}")
    return [_verdict(release, "views use no attrs/states", problems)]


def _field_names_for(release):
    """{model: {refused name: name to use}} for the release."""
    refused = {}
    for model, old, new in RENAMED_IN_19:
        if release >= 19:
            refused.setdefault(model, {})[old] = new
        else:
            refused.setdefault(model, {})[new] = old
    return refused


def check_renamed_fields(addon, release):
    refused = _field_names_for(release)
    problems = []
    for path, record in _xml_records(addon):
        names = refused.get(record.get("model"), {})
        for field in record.findall("field"):
            if field.get("name") in names:
                problems.append(
                    f"{path} record {record.get('id')} sets {record.get('model')}.{field.get('name')}"
                    f" (use {names[field.get('name')]})"
                )
    for path, view_id, model, arch in _view_archs(addon):
        names = refused.get(model, {})
        for node in arch.iter():
            named = node.get("name") if node.tag == "field" else None
            in_xpath = [n for n in names if node.tag == "xpath" and re.search(rf"@name=['\"]{n}['\"]", node.get("expr", ""))]
            for name in ([named] if named in names else []) + in_xpath:
                problems.append(f"{path} view {view_id} uses {model}.{name} (use {names[name]})")
    if release >= 19:
        problems += _python_groups_id(addon)
    return [_verdict(release, "res.users/res.groups field names", problems)]


def _python_groups_id(addon):
    problems = []
    for path in files(addon, ".py"):
        tree = _parse(path)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == GROUPS_ID:
                problems.append(f"{rel(addon, path)} line {node.lineno} reads .{GROUPS_ID} (use group_ids)")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("create", "write"):
                for arg in node.args:
                    for d in ast.walk(arg):
                        if isinstance(d, ast.Dict) and any(
                                isinstance(k, ast.Constant) and k.value == GROUPS_ID for k in d.keys):
                            problems.append(
                                f"{rel(addon, path)} line {d.lineno} writes {GROUPS_ID} (use group_ids)")
    return problems


def _parse(path):
    try:
        with open(path, "rb") as handle:
            return ast.parse(handle.read(), path)
    except (SyntaxError, ValueError):
        return None


def _js_files(addon):
    return [p for p in files(addon, ".js") if "/static/src/" in p.replace(os.sep, "/") + "/"
            or "/static/tests/" in p.replace(os.sep, "/")]


def check_odoo_module_comment(addon, release):
    problems = []
    if release == 17:
        for path in _js_files(addon):
            with open(path, encoding="utf-8", errors="replace") as handle:
                if not ODOO_MODULE_RE.match(handle.read()):
                    problems.append(f"{rel(addon, path)} lacks /** @odoo-module **/")
    return [_verdict(release, "JavaScript modules are transpiled", problems)]


def check_session_uid(addon, release):
    problems = []
    if release >= 18:
        for path in _js_files(addon):
            with open(path, encoding="utf-8", errors="replace") as handle:
                for number, line in enumerate(handle, 1):
                    if SESSION_UID_RE.search(line):
                        problems.append(f"{rel(addon, path)} line {number} reads session.uid")
    return [_verdict(release, "JavaScript does not read session.uid", problems)]


def _guarded_by_hasattr_underscore(test):
    """True for a test `hasattr(<x>, "_")`: the body may call `<x>._`."""
    return (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "hasattr"
            and len(test.args) == 2 and isinstance(test.args[1], ast.Constant) and test.args[1].value == "_")


def _unguarded_env_underscore(node, guarded=False):
    """Line numbers of `<...>.env._(...)` / `env._(...)` calls outside an `if hasattr(env, "_")` body."""
    lines = []
    if isinstance(node, ast.If) and _guarded_by_hasattr_underscore(node.test):
        for child in node.body:
            lines += _unguarded_env_underscore(child, True)
        for child in node.orelse:
            lines += _unguarded_env_underscore(child, guarded)
        return lines
    if not guarded and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "_":
        owner = node.func.value
        if (isinstance(owner, ast.Name) and owner.id == "env") or \
                (isinstance(owner, ast.Attribute) and owner.attr == "env"):
            lines.append(node.lineno)
    for child in ast.iter_child_nodes(node):
        lines += _unguarded_env_underscore(child, guarded)
    return lines


def check_env_translate(addon, release):
    # 17's Environment has no `_` (odoo/api.py); 18 has it (odoo/api.py), 19 too (odoo/orm/environments.py).
    problems = []
    if release == 17:
        for path in files(addon, ".py"):
            tree = _parse(path)
            if tree is not None:
                problems += [f"{rel(addon, path)} line {n} calls env._" for n in _unguarded_env_underscore(tree)]
    return [_verdict(release, "env._ only where the environment has it", problems)]


RULES = (
    check_list_tag,
    check_attrs_states,
    check_renamed_fields,
    check_odoo_module_comment,
    check_session_uid,
    check_env_translate,
)


def check_release(addon, release):
    results = []
    for rule in RULES:
        results += rule(addon, release)
    return results
