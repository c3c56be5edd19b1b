#!/usr/bin/env python3
"""Static checks for an Odoo addon folder, without Odoo (stdlib only).

Usage: python3 check_addon.py [--release 17|18|19|all] PATH/TO/ADDON   (default: all)

Checks: every .py file compiles, every .xml file parses, the manifest is a
literal dict with the required keys and a version without a release prefix
(x.y.z, which Odoo 17, 18 and 19 each prefix with their own), every file named
in ``data``/``demo``/``assets`` exists, the pre-init/post-init/uninstall hooks
named in the manifest are defined or imported in ``__init__.py``, every
``ir.model.access*.csv`` has the access-rights header, and ``excludes`` names
both of Odoo's Microsoft modules.

Then, for each release asked for, the rules that differ between Odoo 17, 18 and 19 (release_rules.py: list
view tag, attrs/states, field names renamed in 19, the @odoo-module comment 17 needs, session.uid, env._) and
whether each JavaScript module, Python module, XML id and QWeb template the addon takes from Odoo exists in
that release (release_facts.py, from the facts recorded in release_facts.json). Those lines start with the
release, e.g. "PASS [18] list views are <list>".

Prints one line per check ("PASS ..." / "FAIL ...: reason") and ends with
exactly ``check_addon: N passed, M failed``. Exit code 1 if any check failed.
"""

import ast
import csv
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

from addon_files import Result, files as _files, rel as _rel
from release_facts import FACTS_FILE, check_facts, load_facts
from release_rules import RELEASES, check_release

# Odoo 17 and 18 prefix a version that lacks their release ("0.3.0" -> "18.0.0.3.0"); Odoo 19 does so too but
# refuses a version prefixed with another release (modules/module.py check_version), so one manifest for all
# three must carry none.
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")
REQUIRED_KEYS = ("name", "version", "depends", "license", "data")
REQUIRED_EXCLUDES = ("microsoft_calendar", "microsoft_account")
ACCESS_HEADER = [
    "id",
    "name",
    "model_id:id",
    "group_id:id",
    "perm_read",
    "perm_write",
    "perm_create",
    "perm_unlink",
]
HOOK_KEYS = ("pre_init_hook", "post_init_hook", "uninstall_hook")
# Asset directives whose last element is a file path (the others name a
# bundle, e.g. "include").
PATH_DIRECTIVES = ("append", "prepend", "before", "after", "replace", "remove")


def check_python(addon):
    results = []
    for path in _files(addon, ".py"):
        what = "python compiles: " + _rel(addon, path)
        try:
            with open(path, "rb") as handle:
                compile(handle.read(), path, "exec", dont_inherit=True)
        except SyntaxError as exc:
            results.append(Result(False, what, f"line {exc.lineno}: {exc.msg}"))
        except (ValueError, UnicodeDecodeError) as exc:
            results.append(Result(False, what, str(exc)))
        else:
            results.append(Result(True, what))
    return results


def check_xml(addon):
    results = []
    for path in _files(addon, ".xml"):
        what = "xml parses: " + _rel(addon, path)
        try:
            ET.parse(path)
        except ET.ParseError as exc:
            results.append(Result(False, what, str(exc)))
        else:
            results.append(Result(True, what))
    return results


def load_manifest(addon):
    """Return (manifest dict or None, Result)."""
    path = os.path.join(addon, "__manifest__.py")
    what = "manifest is a literal dict"
    if not os.path.isfile(path):
        return None, Result(False, what, "no __manifest__.py")
    try:
        with open(path, encoding="utf-8") as handle:
            value = ast.literal_eval(handle.read())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        return None, Result(False, what, f"{type(exc).__name__}: {exc}")
    if not isinstance(value, dict):
        return None, Result(False, what, f"got {type(value).__name__}")
    return value, Result(True, what)


def check_manifest_keys(manifest):
    missing = [key for key in REQUIRED_KEYS if key not in manifest]
    results = [
        Result(
            not missing,
            "manifest has required keys",
            "missing " + ", ".join(missing) if missing else "",
        )
    ]
    version = manifest.get("version")
    ok = isinstance(version, str) and bool(VERSION_RE.match(version))
    results.append(
        Result(ok, "manifest version is x.y.z (no release prefix)", "" if ok else f"got {version!r}")
    )
    for key in ("depends", "data"):
        if key in manifest:
            value = manifest[key]
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            results.append(
                Result(ok, f"manifest {key} is a list of strings", "" if ok else repr(value))
            )
    return results


def check_excludes(manifest):
    excludes = manifest.get("excludes")
    if not isinstance(excludes, (list, tuple)):
        return [Result(False, "manifest excludes Odoo's Microsoft modules", f"excludes is {excludes!r}")]
    missing = [name for name in REQUIRED_EXCLUDES if name not in excludes]
    return [
        Result(
            not missing,
            "manifest excludes Odoo's Microsoft modules",
            "missing " + ", ".join(missing) if missing else "",
        )
    ]


def _asset_paths(entry):
    """File path(s) named by one assets entry, or [] for bundle includes."""
    if isinstance(entry, str):
        return [entry]
    if isinstance(entry, (list, tuple)) and entry and entry[0] in PATH_DIRECTIVES:
        return [entry[-1]] if isinstance(entry[-1], str) else []
    return []


def check_referenced_files(addon, manifest):
    results = []
    for key in ("data", "demo"):
        entries = manifest.get(key) or []
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if not isinstance(entry, str):
                continue
            what = f"{key} file exists: {entry}"
            ok = os.path.isfile(os.path.join(addon, entry))
            results.append(Result(ok, what, "" if ok else "not found"))

    module = os.path.basename(os.path.normpath(addon))
    addons_dir = os.path.dirname(os.path.abspath(addon))
    assets = manifest.get("assets") or {}
    if not isinstance(assets, dict):
        return results + [Result(False, "manifest assets is a dict", repr(type(assets)))]
    for bundle, entries in assets.items():
        for entry in entries or []:
            for path in _asset_paths(entry):
                # Assets are addressed as "<module>/<path>"; only this
                # module's own files can be checked here.
                if path.split("/", 1)[0] != module:
                    continue
                what = f"asset exists ({bundle}): {path}"
                full = os.path.join(addons_dir, path)
                if any(ch in path for ch in "*?["):
                    ok = bool(glob.glob(full, recursive=True))
                else:
                    ok = os.path.isfile(full)
                results.append(Result(ok, what, "" if ok else "not found"))
    return results


def _names_in_init(addon):
    """Top-level names that __init__.py defines or imports, or None."""
    path = os.path.join(addon, "__init__.py")
    try:
        with open(path, "rb") as handle:
            tree = ast.parse(handle.read(), path)
    except (OSError, SyntaxError, ValueError):
        return None
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names.add(target.id)
    return names


def check_hooks(addon, manifest):
    results = []
    hooks = [key for key in HOOK_KEYS if manifest.get(key)]
    if not hooks:
        return results
    names = _names_in_init(addon)
    for key in hooks:
        hook = manifest[key]
        what = f"{key} {hook!r} is defined in __init__.py"
        if names is None:
            results.append(Result(False, what, "__init__.py missing or unparsable"))
        else:
            ok = hook in names
            results.append(Result(ok, what, "" if ok else "not found"))
    return results


def check_csv(addon):
    results = []
    for path in _files(addon, ".csv"):
        name = os.path.basename(path)
        rel = _rel(addon, path)
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle))
        except (UnicodeDecodeError, csv.Error) as exc:
            results.append(Result(False, "csv reads: " + rel, str(exc)))
            continue
        header = [cell.strip() for cell in rows[0]] if rows else []
        if name.startswith("ir.model.access"):
            ok = header == ACCESS_HEADER
            results.append(
                Result(ok, "csv has the ir.model.access header: " + rel, "" if ok else f"got {header}")
            )
            if ok:
                bad = [i + 2 for i, row in enumerate(rows[1:]) if any(row) and len(row) != len(ACCESS_HEADER)]
                results.append(
                    Result(not bad, "csv rows have 8 columns: " + rel,
                           "" if not bad else "bad lines " + ", ".join(map(str, bad)))
                )
        else:
            ok = "id" in header
            results.append(Result(ok, "csv header has an id column: " + rel, "" if ok else f"got {header}"))
    return results


def check_addon(addon, releases=RELEASES):
    """Run every check on the addon folder, with the rules of each release; return the list of Results."""
    if not os.path.isdir(addon):
        return [Result(False, "addon folder exists", addon)]
    results = check_python(addon) + check_xml(addon)
    manifest, loaded = load_manifest(addon)
    results.append(loaded)
    if manifest is not None:
        results += check_manifest_keys(manifest)
        results += check_referenced_files(addon, manifest)
        results += check_hooks(addon, manifest)
        results += check_excludes(manifest)
    results += check_csv(addon)
    try:
        facts = load_facts()
    except (OSError, ValueError) as exc:
        facts = None
        results.append(Result(False, "release facts load", f"{os.path.basename(FACTS_FILE)}: {exc}"))
    for release in releases:
        results += check_release(addon, release)
        if facts is not None:
            results += check_facts(addon, release, facts)
    return results


def parse_args(argv):
    """(addon, releases) or None for a bad command line."""
    releases = RELEASES
    if len(argv) == 3 and argv[0] == "--release":
        if argv[1] == "all":
            pass
        elif argv[1].isdigit() and int(argv[1]) in RELEASES:
            releases = (int(argv[1]),)
        else:
            return None
        argv = argv[2:]
    if len(argv) != 1 or argv[0].startswith("--"):
        return None
    return argv[0], releases


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parsed = parse_args(argv)
    if parsed is None:
        print("usage: check_addon.py [--release 17|18|19|all] PATH/TO/ADDON", file=sys.stderr)
        return 2
    results = check_addon(*parsed)
    for result in results:
        print(result.line())
    failed = sum(1 for r in results if not r.ok)
    print(f"check_addon: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
