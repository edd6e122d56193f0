"""Fail when two of our modules (files) import each other, directly or through others.

import-linter's layers keep the packages in one direction; this keeps the files inside a
package in one direction too, so a reader can start at the bottom of any package. Imports
under `if TYPE_CHECKING:` count as well: a cycle in the types is still a cycle to a reader.

    python tools/check_import_cycles.py        # exit 1 and one line per cycle when any
"""

from __future__ import annotations

import sys

import grimp

PACKAGES = ("rules", "scheduler", "notifications", "nhacviec")
# Temporary: being rewritten in #18/#19; the lead empties this after merging them.
EXEMPT = ("rules.timing.", "rules.importers.")


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    imported = graph.find_modules_directly_imported_by(child)
                    work.append((child, iter(sorted(imported))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def main() -> int:
    graph = grimp.build_graph(*PACKAGES)
    found = []
    for component in cycles(graph):
        exempt = all(module.startswith(EXEMPT) for module in component)
        print(("exempt, " if exempt else "") + "import cycle: " + " <-> ".join(component))
        if not exempt:
            found.append(component)
    if not found:
        print(f"no import cycles between the {len(graph.modules)} modules (outside {EXEMPT})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
