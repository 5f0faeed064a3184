"""Walk the window's accessibility tree through AT-SPI, as a screen reader does.

Run with Debian's Python and python3-pyatspi, inside ``dbus-run-session`` on an
X screen (tests/test_accessibility_tree.py does that):

    dbus-run-session -- /usr/bin/python3 tests/atspi_walk.py PROGRAM_PYTHON

It starts tests/atspi_app.py with PROGRAM_PYTHON (the project's interpreter) and,
for each view (the editor and the report: all their sections, one after another),
prints one JSON line: the interactive controls, those
with no name, the label relations (a label tied to its field), the fields with
no label tied to them, and texts a
screen reader would hear twice (a control named like a label on show beside it
that is not tied to it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyatspi  # Debian's python3-pyatspi: not in the project's virtual environment

ROOT = Path(__file__).resolve().parents[1]

INTERACTIVE = {
    pyatspi.ROLE_PUSH_BUTTON,
    pyatspi.ROLE_TOGGLE_BUTTON,
    pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON,
    pyatspi.ROLE_COMBO_BOX,
    pyatspi.ROLE_TEXT,
    pyatspi.ROLE_ENTRY,
    pyatspi.ROLE_PASSWORD_TEXT,
    pyatspi.ROLE_SPIN_BUTTON,
    pyatspi.ROLE_LIST,
    pyatspi.ROLE_TABLE,
    pyatspi.ROLE_TREE,
    pyatspi.ROLE_TREE_TABLE,
    pyatspi.ROLE_SLIDER,
    pyatspi.ROLE_PAGE_TAB,
}
# Fields a label names: each must be tied to its label (LABELLED_BY), so a screen
# reader says the label when it reaches the field.
FIELDS = {
    pyatspi.ROLE_COMBO_BOX,
    pyatspi.ROLE_TEXT,
    pyatspi.ROLE_ENTRY,
    pyatspi.ROLE_PASSWORD_TEXT,
    pyatspi.ROLE_SPIN_BUTTON,
}
# Their children are cells and entries, named by their content: not walked.
CONTAINERS_OF_ITEMS = {
    pyatspi.ROLE_LIST,
    pyatspi.ROLE_TABLE,
    pyatspi.ROLE_TREE,
    pyatspi.ROLE_TREE_TABLE,
    pyatspi.ROLE_COMBO_BOX,
    pyatspi.ROLE_MENU_BAR,
    pyatspi.ROLE_SCROLL_BAR,
}


def find_app(name: str, timeout: float = 20) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for index in range(desktop.childCount):
            app = desktop.getChildAtIndex(index)
            if app is not None and app.name == name:
                return app
        time.sleep(0.1)
    raise SystemExit(f"{name} did not appear on the accessibility bus")


def relation_targets(node: object, kind: int) -> list[object]:
    targets = []
    for relation in node.getRelationSet():
        if relation.getRelationType() == kind:
            targets.extend(relation.getTarget(i) for i in range(relation.getNTargets()))
    return targets


def walk(node: object, found: list[object], depth: int = 0) -> None:
    if depth > 60:
        return
    for index in range(node.childCount):
        child = node.getChildAtIndex(index)
        if child is None:
            continue
        if not child.getState().contains(pyatspi.STATE_SHOWING):
            continue
        found.append(child)
        if child.getRole() not in CONTAINERS_OF_ITEMS:
            walk(child, found, depth + 1)


def describe(node: object) -> str:
    return f"{node.getRoleName()} {node.name!r}"


def survey(app: object, seen: dict[str, dict[str, object]]) -> None:
    """The controls on show now, added to ``seen`` (by their object path, once each)."""
    nodes: list[object] = []
    for index in range(app.childCount):
        window = app.getChildAtIndex(index)
        if window is not None and window.getState().contains(pyatspi.STATE_SHOWING):
            walk(window, nodes)
    labels = {node.name.strip() for node in nodes if node.getRole() == pyatspi.ROLE_LABEL} - {""}
    tied_labels = set()
    for node in nodes:
        if node.getRole() not in INTERACTIVE or node.path in seen:
            continue
        tied = relation_targets(node, pyatspi.RELATION_LABELLED_BY)
        tied_labels |= {label.name.strip() for label in tied}
        seen[node.path] = {
            "what": describe(node),
            "named": bool(node.name.strip()) or bool(tied),
            "relations": len(tied),
            "unlabelled": node.getRole() in FIELDS and not tied,
            # Heard twice: named like a label on show that is not tied to it.
            "twice": node.name.strip() in labels
            and node.name.strip() not in {label.name.strip() for label in tied},
        }


def summary(view: str, seen: dict[str, dict[str, object]]) -> dict[str, object]:
    controls = list(seen.values())
    return {
        "view": view,
        "interactive": len(controls),
        "unnamed": [control["what"] for control in controls if not control["named"]],
        "label_relations": sum(int(control["relations"]) for control in controls),
        "unlabelled": [control["what"] for control in controls if control["unlabelled"]],
        "twice": [control["what"] for control in controls if control["twice"]],
    }


def announcements(said: list[str], seconds: float) -> list[str]:
    """What the program announced (a screen reader would say it) within ``seconds``."""
    from gi.repository import GLib

    context = GLib.MainContext.default()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not said:
        while context.iteration(False):
            pass
        time.sleep(0.02)
    return list(said)


def main() -> None:
    python = sys.argv[1]
    pyatspi.Registry.getDesktop(0)  # the registry runs before the program starts
    said: list[str] = []
    pyatspi.Registry.registerEventListener(
        lambda event: said.append(str(event.any_data)), "object:announcement"
    )
    env = dict(os.environ, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_QPA_PLATFORM="xcb")
    program = subprocess.Popen(
        [python, str(ROOT / "tests" / "atspi_app.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert program.stdin is not None and program.stdout is not None
    try:
        app = None
        heard: list[str] = []
        views: dict[str, dict[str, dict[str, object]]] = {}
        for line in program.stdout:
            words = line.split()
            if words[:1] == ["done"]:
                break
            if words[:1] != ["ready"]:
                continue
            app = app or find_app("mms-desktop")
            if words[1] == "check":
                heard = announcements(said, seconds=5)
            else:
                survey(app, views.setdefault(words[1].split("/")[0], {}))
            program.stdin.write("next\n")
            program.stdin.flush()
        for view, seen in views.items():
            print(json.dumps(summary(view, seen), ensure_ascii=False), flush=True)
        print(json.dumps({"view": "announced", "texts": heard}, ensure_ascii=False), flush=True)
    finally:
        program.stdin.close()
        program.wait(timeout=60)


if __name__ == "__main__":
    main()
