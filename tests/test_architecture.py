"""The project's spine: layers that point down, plugins that join through declared extension
points, and dependencies that are all declared.

The core (saleor_ext) never imports a marketplace plugin: plugins join through hooks and the
catalogue and back-office extension points, so removing one from PLUGINS cannot break the core.
"""

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings
from packaging.utils import canonicalize_name


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_does_not_import_plugins():
    core = Path(settings.BASE_DIR) / "saleor_ext"
    offenders = {
        str(path.relative_to(core)): sorted(name for name in _imports(path) if name.split(".")[0] == "plugins")
        for path in core.rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_grade_reaches_the_api_through_the_grading_plugin_extension():
    from plugins.grading.plugin import GradingPlugin
    from saleor_ext.graphql.api import schema
    from saleor_ext.graphql.product.extensions import extensions

    assert GradingPlugin.CATALOGUE_EXTENSION == "plugins.grading.graphql.catalogue_extension"
    assert any("GRADE" in extension.sorts for extension in extensions())
    variant = schema.graphql_schema.get_type("ProductVariant")
    assert "grade" in variant.fields
    assert "GRADE" in schema.graphql_schema.get_type("ProductOrderField").values


# --- layers -------------------------------------------------------------------------------------------

PROJECT_PACKAGES = ("saleor_ext", "plugins", "marketplace", "storefront", "import_scripts", "simulators")

# Imports that must stay inside a function, each with its reason. Anything else is moved to the top
# of its module, or the code is moved to the layer it belongs to: an import inside a function hides
# a dependency from the layer contracts (pyproject.toml, `make lint`).
FUNCTION_IMPORTS_ALLOWED: dict[str, str] = {}


def _function_level_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of the project imports made inside a function, except in an AppConfig's
    ``ready()`` (Django's documented place for imports that need the app registry)."""
    found = []
    exempt = "ready" if path.name == "apps.py" else None

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, function or child.name)
                continue
            if function and function != exempt:
                modules = []
                if isinstance(child, ast.Import):
                    modules = [alias.name for alias in child.names]
                elif isinstance(child, ast.ImportFrom):
                    modules = ["." * child.level + (child.module or "")]
                for module in modules:
                    if module.startswith(".") or module.split(".")[0] in PROJECT_PACKAGES:
                        found.append((child.lineno, module))
            visit(child, function)

    visit(ast.parse(path.read_text()), None)
    return found


def test_no_project_import_hides_inside_a_function():
    base = Path(settings.BASE_DIR)
    found = {}
    for package in PROJECT_PACKAGES:
        for path in (base / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for line, module in _function_level_imports(path):
                found[f"{path.relative_to(base)}:{module}"] = line
    assert sorted(set(found) - set(FUNCTION_IMPORTS_ALLOWED)) == []


def test_the_layer_contracts_hold():
    """The same check as `make lint`: pyproject.toml's import-linter contracts."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=settings.BASE_DIR,
        env={**os.environ, "PYTHONPATH": str(settings.BASE_DIR)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "0 broken" in result.stdout


# --- dependencies -------------------------------------------------------------------------------------


def _declared_distributions() -> set[str]:
    project = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"].values()
    requirements = [*project["dependencies"], *(requirement for extra in extras for requirement in extra)]
    return {canonicalize_name(re.split(r"[\[=<>!~; ]", requirement, maxsplit=1)[0]) for requirement in requirements}


def test_every_imported_package_is_a_declared_dependency():
    base = Path(settings.BASE_DIR)
    distributions = importlib.metadata.packages_distributions()
    declared = _declared_distributions()
    own = {*PROJECT_PACKAGES, "bench", "tests", "manage"}
    undeclared = {}
    folders = (*PROJECT_PACKAGES, "bench", "tests")
    sources = [base / "manage.py", *(path for folder in folders for path in (base / folder).rglob("*.py"))]
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in own:
                    continue
                if not declared & {canonicalize_name(d) for d in distributions.get(top, [])}:
                    undeclared.setdefault(top, str(path.relative_to(base)))
    assert undeclared == {}


def test_the_installed_packages_meet_each_others_requirements():
    result = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
