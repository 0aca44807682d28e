"""Compare our GraphQL schema with Saleor's: every name we share must have Saleor's shape.

For each type both schemas define, the kind must match; for each field (and argument) we
expose that Saleor also has, the type and nullability must be identical; Saleor's required
arguments must exist here too. What Saleor lacks (Vendor, Grade, extra enum values…) is a
marketplace addition and is listed, not flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import parse, print_ast
from graphql.language import (
    EnumTypeDefinitionNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    TypeDefinitionNode,
    UnionTypeDefinitionNode,
)


@dataclass
class CompatReport:
    mismatches: list[str] = field(default_factory=list)
    additions: list[str] = field(default_factory=list)
    shared_types: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _kind(node: TypeDefinitionNode) -> str:
    return type(node).__name__.replace("TypeDefinitionNode", "")


def _definitions(sdl: str) -> dict[str, TypeDefinitionNode]:
    """Named type definitions of an SDL text; parsed, not built, so a partial file works."""
    return {
        d.name.value: d
        for d in parse(sdl).definitions
        if isinstance(d, TypeDefinitionNode)
    }


def compare(ours_sdl: str, saleor_sdl: str) -> CompatReport:
    ours, theirs = _definitions(ours_sdl), _definitions(saleor_sdl)
    report = CompatReport()
    for name, our_type in sorted(ours.items()):
        their_type = theirs.get(name)
        if their_type is None:
            report.additions.append(f"type {name}")
            continue
        report.shared_types.append(name)
        if _kind(our_type) != _kind(their_type):
            report.mismatches.append(f"{name}: kind {_kind(our_type)} here, {_kind(their_type)} in Saleor")
            continue
        if isinstance(our_type, EnumTypeDefinitionNode):
            extra = {v.name.value for v in our_type.values or ()} - {v.name.value for v in their_type.values or ()}
            report.additions.extend(f"enum value {name}.{v}" for v in sorted(extra))
        elif isinstance(our_type, UnionTypeDefinitionNode):
            missing = {t.name.value for t in our_type.types or ()} - {t.name.value for t in their_type.types or ()}
            report.mismatches.extend(f"{name}: union member {m} not in Saleor" for m in sorted(missing))
        elif isinstance(
            our_type, (ObjectTypeDefinitionNode, InterfaceTypeDefinitionNode, InputObjectTypeDefinitionNode)
        ):
            _compare_fields(name, our_type, their_type, report)
    return report


def _compare_fields(name: str, our_type, their_type, report: CompatReport) -> None:
    is_input = isinstance(our_type, InputObjectTypeDefinitionNode)
    their_fields = {f.name.value: f for f in their_type.fields or ()}
    for our_field in our_type.fields or ():
        field_name = our_field.name.value
        their_field = their_fields.get(field_name)
        where = f"{name}.{field_name}"
        if their_field is None:
            report.additions.append(f"field {where}")
            continue
        our_t, their_t = print_ast(our_field.type), print_ast(their_field.type)
        if our_t != their_t:
            report.mismatches.append(f"{where}: type {our_t} here, {their_t} in Saleor")
        if is_input:
            continue
        our_args = {a.name.value: a for a in our_field.arguments or ()}
        their_args = {a.name.value: a for a in their_field.arguments or ()}
        for arg_name, our_arg in our_args.items():
            their_arg = their_args.get(arg_name)
            if their_arg is None:
                report.additions.append(f"argument {where}({arg_name})")
            elif print_ast(our_arg.type) != print_ast(their_arg.type):
                report.mismatches.append(
                    f"{where}({arg_name}): type {print_ast(our_arg.type)} here, {print_ast(their_arg.type)} in Saleor"
                )
        for arg_name, their_arg in their_args.items():
            required = isinstance(their_arg.type, NonNullTypeNode) and their_arg.default_value is None
            if required and arg_name not in our_args:
                report.mismatches.append(f"{where}: required argument {arg_name} missing here")
    if not is_input:
        their_interfaces = {i.name.value for i in their_type.interfaces or ()}
        for interface in our_type.interfaces or ():
            if interface.name.value not in their_interfaces:
                report.additions.append(f"{name} implements {interface.name.value}")


def subset_of_saleor(ours_sdl: str, saleor_sdl: str) -> str:
    """Saleor's definitions of the types we share, printed: the committed compatibility baseline."""
    ours, theirs = _definitions(ours_sdl), _definitions(saleor_sdl)
    builtin = {"String", "Int", "Float", "Boolean", "ID"}
    blocks = [print_ast(theirs[name]) for name in sorted(set(ours) & set(theirs) - builtin)]
    header = "# Saleor's names and types (no descriptions) for the types this API shares with it.\n"
    header += "# Regenerated by `make compat` from ../shared/reference/saleor-schema.graphql.\n\n"
    return header + "\n\n".join(blocks) + "\n"
