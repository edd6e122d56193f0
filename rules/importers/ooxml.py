"""The parts of an Office Open XML package (.docx, .xlsx) and how they refer to each other."""

from __future__ import annotations

import posixpath
import zipfile

from lxml import etree

# No entities, no network: a plan file is untrusted input. Huge trees: a 5,000-row plan.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def relationships(package: zipfile.ZipFile, rels: str, folder: str) -> list[tuple[str, str, str]]:
    """(id, type name such as "styles" or "officeDocument", part name) for each internal
    relationship of the .rels part `rels`; targets are resolved against `folder`."""
    try:
        root = etree.fromstring(package.read(rels), SAFE_PARSER)
    except KeyError:
        return []
    found: list[tuple[str, str, str]] = []
    for rel in root.iter(_REL):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        kind = rel.get("Type", "")
        found.append((rel.get("Id", ""), kind[kind.rfind("/") + 1 :], posixpath.normpath(path)))
    return found
