"""The layout rules a newcomer relies on: thin actions, a Rasa-free core, no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module a file imports (at any depth: an import inside a function counts too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def own_modules() -> dict[str, Path]:
    return {module_name(path): path for folder in ("bot", "actions") for path in (ROOT / folder).rglob("*.py")}


def import_graph() -> dict[str, set[str]]:
    modules = own_modules()
    return {
        name: {other for other in imports(path) if other in modules and other != name} for name, path in modules.items()
    }


def test_actions_import_only_the_shell_and_bot() -> None:
    for path in (ROOT / "actions").glob("*.py"):
        own = {name for name in imports(path) if name.startswith("actions")}
        assert own <= {"actions.shell", "actions.shell.RuleAction", "actions.shell.apply", "actions.shell.turn_of"}, (
            path.name,
            own,
        )


def test_only_the_shell_reads_the_tracker() -> None:
    for path in (ROOT / "actions").glob("*.py"):
        source = path.read_text()
        if path.name != "shell.py":
            assert "tracker.latest_message" not in source and "tracker.get_slot" not in source, path.name
            assert "tracker.events" not in source, path.name


def test_the_core_has_no_rasa_import() -> None:
    for path in (ROOT / "bot" / "guidance").rglob("*.py"):
        rasa = {name for name in imports(path) if name.split(".")[0] in ("rasa", "rasa_sdk", "actions")}
        assert not rasa, (path.relative_to(ROOT), rasa)


def test_no_module_imports_itself_back() -> None:
    graph = import_graph()
    cycles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        for other in sorted(graph[name]):
            if other in trail:
                cycles.append(trail[trail.index(other) :] + [other])
            elif other not in done:
                visit(other, [*trail, other])
        done.add(name)

    done: set[str] = set()
    for name in sorted(graph):
        if name not in done:
            visit(name, [name])
    assert not cycles, cycles[:5]


def test_the_national_hotline_is_one_constant() -> None:
    for folder in ("bot", "actions"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "loader.py":
                continue
            assert '"1357"' not in path.read_text() and "'1357'" not in path.read_text(), path.relative_to(ROOT)
