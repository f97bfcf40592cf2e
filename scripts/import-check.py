#!/usr/bin/env python3
"""The manifest matches the code: every module a target imports is one of its declared
dependencies (a target of this package or a product), and every declared dependency is
imported somewhere in the target. SwiftPM's --explicit-target-dependency-import-check does
not fire on Linux (it needs explicit module builds), so CI runs this instead.

    swift package dump-package | scripts/import-check.py

Exit 0 when they match, 1 with one line per mismatch (target, module, what to change).
"""
import json
import os
import re
import sys

# Modules of the toolchain and the system: never declared in a manifest.
SYSTEM = {"Foundation", "FoundationNetworking", "FoundationEssentials", "Glibc", "Musl", "Darwin",
          "Dispatch", "XCTest", "Testing", "Synchronization", "Observation", "_Concurrency", "Swift"}
# A Swift import at the start of a line; capitalised, so Python kept in a Swift string
# ("import json") is not taken for one.
IMPORT = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:public |package |internal |private |fileprivate )?"
                    r"import (?:typealias |struct |class |enum |protocol |let |var |func )?([A-Z][A-Za-z0-9_]*)")


def declared(target):
    """Module names a target may import, from its dependencies in dump-package's JSON."""
    names = set()
    for dependency in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                names.add(dependency[kind][0])
    return names


def imported(directory):
    """Module name -> first file importing it, for the Swift files under `directory`."""
    found = {}
    for root, _, files in os.walk(directory):
        for name in sorted(files):
            if not name.endswith(".swift"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    match = IMPORT.match(line)
                    if match:
                        found.setdefault(match.group(1), path)
    return found


def main():
    package = json.load(sys.stdin)
    problems = []
    for target in package["targets"]:
        if target["type"] == "system":
            continue
        name = target["name"]
        base = "Tests" if target["type"] == "test" else "Sources"
        directory = target.get("path") or os.path.join(base, name)
        uses = imported(directory)
        allowed = declared(target)
        for module, path in sorted(uses.items()):
            if module != name and module not in SYSTEM and module not in allowed:
                problems.append(f"{name}: imports {module} ({path}) without declaring it: add it to the target's dependencies in Package.swift")
        for module in sorted(allowed - set(uses)):
            problems.append(f"{name}: declares {module} but no file imports it: remove it from the target's dependencies in Package.swift")
    for line in problems:
        print(line)
    if not problems:
        print(f"import check: {len(package['targets'])} targets import exactly what Package.swift declares")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
