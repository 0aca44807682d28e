"""The core (saleor_ext) never imports a marketplace plugin: plugins join through hooks and
the catalogue extension point, so removing one from PLUGINS cannot break the core."""

import ast
from pathlib import Path

from django.conf import settings


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
