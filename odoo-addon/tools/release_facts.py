#!/usr/bin/env python3
"""What of Odoo the addon uses, and whether each release has it (stdlib only).

CI has no Odoo trees, so the facts live in release_facts.json next to this file: per release, for every
JavaScript module, Python module under ``odoo``, external XML id and QWeb template the addon refers to,
whether that release has it (and, for modules, each name the addon imports from it).

Regenerate after changing what the addon imports or refers to, with existing Odoo source trees (this reads
them; it fetches and installs nothing):

    ODOO_HOME_17=... ODOO_HOME_18=... ODOO_HOME_19=... \\
        python3 odoo-addon/tools/release_facts.py odoo-addon/outlook_sync

A release whose variable is unset keeps its recorded facts. check_addon.py fails when the addon refers to
something a release lacks, or to something the file does not record (then it is stale: regenerate).
"""

import ast
import csv
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

from addon_files import Result, files, rel

FACTS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "release_facts.json")
KINDS = ("js", "python", "xmlid", "template")
KIND_TEXT = {
    "js": "JavaScript module",
    "python": "Python module",
    "xmlid": "XML id",
    "template": "QWeb template",
}

# import { a, b as c } from "@web/x";  import d, { e } from "@web/y";  import * as f from "@web/z";  import "x";
JS_IMPORT_RE = re.compile(
    r"""^\s*import\s+(?:(?P<default>[\w$]+)\s*,?\s*)?(?:\{(?P<names>[^}]*)\}|\*\s*as\s+[\w$]+)?\s*"""
    r"""(?:from\s+)?["'](?P<module>[^"']+)["']""",
    re.MULTILINE,
)
JS_EXPORT_DECL_RE = re.compile(r"^\s*export\s+(?:default\s+)?(?:async\s+)?(?:function\*?|class|const|let|var)\s+([\w$]+)",
                               re.MULTILINE)
JS_EXPORT_LIST_RE = re.compile(r"^\s*export\s*\{([^}]*)\}", re.MULTILINE)
JS_EXPORT_STAR_RE = re.compile(r"""^\s*export\s*\*\s*from\s*["']([^"']+)["']""", re.MULTILINE)
# web/static/lib/owl/odoo_module.js defines "@odoo/owl" as the global `owl`, which owl.js fills with `exports.X = X`.
OWL_EXPORT_RE = re.compile(r"^\s*exports\.([\w$]+)\s*=", re.MULTILINE)
XMLID_IN_EVAL_RE = re.compile(r"""\bref\(\s*["']([\w.]+)["']\s*\)""")


def _module_name(addon):
    return os.path.basename(os.path.normpath(addon))


def _names_in(text):
    """The imported (or exported) names of "a, b as c": the first name of each pair."""
    return [part.split()[0] for part in text.split(",") if part.strip()]


def js_imports(addon):
    """{module: {names}} for the addon's imports of other modules' JavaScript (not relative paths)."""
    found = {}
    for path in files(addon, ".js"):
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        for match in JS_IMPORT_RE.finditer(text):
            module = match["module"]
            if module.startswith("."):
                continue
            names = found.setdefault(module, set())
            if match["default"]:
                names.add("default")
            names.update(_names_in(match["names"] or ""))
    return found


def python_imports(addon):
    """{module: {names}} for the addon's absolute imports from odoo."""
    found = {}
    for path in files(addon, ".py"):
        try:
            with open(path, "rb") as handle:
                tree = ast.parse(handle.read(), path)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                    and node.module.split(".")[0] == "odoo":
                found.setdefault(node.module, set()).update(a.name for a in node.names if a.name != "*")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "odoo":
                        found.setdefault(alias.name, set())
    return found


def _external(xmlid, own):
    return "." in xmlid and xmlid.split(".", 1)[0] != own


def xml_references(addon):
    """(external XML ids, QWeb templates inherited) the addon's XML and CSV files name."""
    own = _module_name(addon)
    xmlids, templates = set(), set()
    for path in files(addon, ".xml"):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        static = "static" in rel(addon, path).split(os.sep)
        for node in root.iter():
            if static:
                # Web client templates are named, not XML ids (web/static/src/core/templates.js).
                if node.get("t-inherit"):
                    templates.add(node.get("t-inherit"))
                continue
            values = [node.get("ref"), node.get("inherit_id"), node.get("t-call")]
            values += [g.strip().lstrip("!") for g in (node.get("groups") or "").split(",")]
            values += XMLID_IN_EVAL_RE.findall(node.get("eval") or "")
            xmlids.update(v for v in values if v and _external(v, own))
    for path in files(addon, ".csv"):
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        if not rows:
            continue
        columns = [i for i, cell in enumerate(rows[0]) if cell.strip().endswith(":id")]
        for row in rows[1:]:
            xmlids.update(row[i].strip() for i in columns if i < len(row) and _external(row[i].strip(), own))
    return xmlids, templates


def addon_references(addon):
    """{kind: {name: {imported names}}} of everything the addon takes from Odoo."""
    xmlids, templates = xml_references(addon)
    return {
        "js": js_imports(addon),
        "python": python_imports(addon),
        "xmlid": {x: set() for x in xmlids},
        "template": {t: set() for t in templates},
    }


# --- reading an Odoo tree ---------------------------------------------------------------------------------


def _addon_dirs(tree, module):
    return [d for d in (os.path.join(tree, "addons", module), os.path.join(tree, "odoo", "addons", module))
            if os.path.isdir(d)]


def _read(path):
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()


def _js_file(tree, module):
    """The file that defines JavaScript module "@addon/path" (odoo/tools/js_transpiler.py url_to_module_path)."""
    if not module.startswith("@") or "/" not in module:
        return None
    addon, path = module[1:].split("/", 1)
    for base in _addon_dirs(tree, addon):
        for candidate in (f"static/src/{path}.js", f"static/src/{path}/index.js"):
            full = os.path.join(base, candidate)
            if os.path.isfile(full):
                return full
    return None


def _js_exports(tree, module, depth=0):
    if module == "@odoo/owl":
        owl = os.path.join(tree, "addons", "web", "static", "lib", "owl", "owl.js")
        return set(OWL_EXPORT_RE.findall(_read(owl))) if os.path.isfile(owl) else None
    path = _js_file(tree, module)
    if path is None:
        return None
    text = _read(path)
    names = set(JS_EXPORT_DECL_RE.findall(text))
    if re.search(r"^\s*export\s+default\b", text, re.MULTILINE):
        names.add("default")
    for listed in JS_EXPORT_LIST_RE.findall(text):
        names.update(part.split()[-1] for part in listed.split(",") if part.strip())
    for star in JS_EXPORT_STAR_RE.findall(text):
        if depth < 5 and not star.startswith("."):
            names |= _js_exports(tree, star, depth + 1) or set()
    return names


def _python_path(tree, module):
    """The file or package folder of a dotted odoo module, or None."""
    parts = module.split(".")
    if parts[:2] == ["odoo", "addons"] and len(parts) > 2:
        bases = _addon_dirs(tree, parts[2])
        parts = parts[3:]
    else:
        bases = [tree]
    for base in bases:
        path = os.path.join(base, *parts)
        if os.path.isfile(path + ".py"):
            return path + ".py"
        if os.path.isdir(path):
            return path
    return None


def _star_source(module, package, node):
    """The dotted module a `from X import *` inside `module` reads."""
    if node.level == 0:
        return node.module
    parts = module.split(".") if package else module.split(".")[:-1]
    parts = parts[:len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def _python_names(tree, module, depth=0):
    """Top-level names of a module, its submodules, and for 19's namespace package ``odoo`` the attributes
    odoo/init.py sets on it; None when the module does not exist."""
    path = _python_path(tree, module)
    if path is None:
        return None
    sources, names = [], set()
    if os.path.isdir(path):
        names.update(n[:-3] if n.endswith(".py") else n for n in os.listdir(path)
                     if n.endswith(".py") or os.path.isdir(os.path.join(path, n)))
        sources.append(os.path.join(path, "__init__.py"))
        if module == "odoo":
            sources.append(os.path.join(path, "init.py"))
    else:
        sources.append(path)
    for source in sources:
        if not os.path.isfile(source):
            continue
        for node in ast.walk(ast.parse(_read(source))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.col_offset == 0:
                names.add(node.name)
            elif isinstance(node, ast.ImportFrom) and node.col_offset == 0 \
                    and any(a.name == "*" for a in node.names):
                star = _python_names(tree, _star_source(module, os.path.isdir(path), node), depth + 1) \
                    if depth < 5 else None
                names.update(n for n in star or () if not n.startswith("_"))
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and node.col_offset == 0:
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.col_offset == 0:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        names.add(target.id)
                    elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                            and target.value.id == "odoo" and module == "odoo":
                        names.add(target.attr)
    return names


def _has_xmlid(tree, xmlid):
    module, name = xmlid.split(".", 1)
    # A data file's record may give its id with or without the module (odoo/tools/convert.py).
    pattern = re.compile(rf"""<(?:record|template|menuitem|report)\b[^>]*\bid=["'](?:{re.escape(module)}\.)?"""
                         rf"""{re.escape(name)}["']""")
    for base in _addon_dirs(tree, module):
        for root, _dirs, names in os.walk(base):
            for file_name in names:
                path = os.path.join(root, file_name)
                if file_name.endswith(".xml") and "static" not in path[len(base):].split(os.sep):
                    if pattern.search(_read(path)):
                        return True
                elif file_name.endswith(".csv") and re.search(rf"^{re.escape(name)},", _read(path), re.MULTILINE):
                    return True
    return False


def _has_template(tree, template):
    module = template.split(".", 1)[0]
    pattern = re.compile(rf"""\bt-name=["']{re.escape(template)}["']""")
    for base in _addon_dirs(tree, module):
        for path in files(os.path.join(base, "static"), ".xml") if os.path.isdir(os.path.join(base, "static")) else []:
            if pattern.search(_read(path)):
                return True
    return False


def tree_facts(tree, references):
    """The facts file's entry for one release: {kind: {name: {imported name: bool} or bool or None}}."""
    facts = {"js": {}, "python": {}, "xmlid": {}, "template": {}}
    for kind, finder in (("js", _js_exports), ("python", _python_names)):
        for module, imported in sorted(references[kind].items()):
            exported = finder(tree, module)
            facts[kind][module] = None if exported is None else {n: n in exported for n in sorted(imported)}
    for xmlid in sorted(references["xmlid"]):
        facts["xmlid"][xmlid] = _has_xmlid(tree, xmlid)
    for template in sorted(references["template"]):
        facts["template"][template] = _has_template(tree, template)
    return facts


def tree_release(tree):
    """The major release of an Odoo tree, from odoo/release.py's version_info."""
    text = _read(os.path.join(tree, "odoo", "release.py"))
    match = re.search(r"^version_info\s*=\s*\(\s*(?:'saas~)?(\d+)", text, re.MULTILINE)
    if not match:
        raise ValueError(f"no version_info in {tree}/odoo/release.py")
    return int(match.group(1))


# --- checking the addon against the recorded facts ----------------------------------------------------------


def load_facts(path=None):
    # RELEASE_FACTS points at another facts file (the checker's tests use it).
    with open(path or os.environ.get("RELEASE_FACTS") or FACTS_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def check_facts(addon, release, facts):
    """One Result per kind: everything the addon takes from Odoo exists in the release."""
    recorded = facts.get(str(release))
    references = addon_references(addon)
    results = []
    for kind in KINDS:
        what = f"[{release}] {KIND_TEXT[kind]}s the addon uses exist"
        problems = []
        for name, imported in sorted(references[kind].items()):
            if recorded is None or name not in recorded.get(kind, {}):
                problems.append(f"{name} not recorded (release_facts.json is stale: run tools/release_facts.py)")
                continue
            fact = recorded[kind][name]
            if fact is None or fact is False:
                problems.append(f"{name} does not exist in Odoo {release}")
                continue
            for item in sorted(imported):
                if item not in fact:
                    problems.append(f"{name}: {item} not recorded (release_facts.json is stale: run "
                                    "tools/release_facts.py)")
                elif not fact[item]:
                    problems.append(f"{name} has no {item} in Odoo {release}")
        results.append(Result(not problems, what + f" ({len(references[kind])})", "; ".join(problems)))
    return results


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: release_facts.py PATH/TO/ADDON  (reads ODOO_HOME_17, ODOO_HOME_18, ODOO_HOME_19)",
              file=sys.stderr)
        return 2
    references = addon_references(argv[0])
    facts = load_facts() if os.path.isfile(FACTS_FILE) else {}
    for release in (17, 18, 19):
        tree = os.environ.get(f"ODOO_HOME_{release}")
        if not tree:
            print(f"Odoo {release} kept as recorded: ODOO_HOME_{release} is not set")
            continue
        found = tree_release(tree)
        if found != release:
            print(f"ODOO_HOME_{release} is an Odoo {found} tree", file=sys.stderr)
            return 2
        facts[str(release)] = tree_facts(tree, references)
        print(f"Odoo {release} read")
    with open(FACTS_FILE, "w", encoding="utf-8") as handle:
        json.dump(facts, handle, indent=2, sort_keys=True)
        handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
