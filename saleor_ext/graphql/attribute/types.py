"""Attribute types: the legacy ``SelectedAttribute`` list and the ``AssignedAttribute`` interface."""

from __future__ import annotations

import graphene

from saleor_ext.attribute.models import AttributeInputType
from saleor_ext.attribute.models import AttributeValue as AttributeValueModel

from ..core.connection import connection_args, countable_connection, paginate
from ..core.context import get_loader
from ..core.futures import then
from ..core.scalars import JSON, Date, DateTime, JSONString, PositiveInt
from ..core.types import GlobalId, LanguageCodeEnum, MetadataFields
from ..translations import types as translation_types
from ..translations.dataloaders import AttributeTranslationLoader, AttributeValueTranslationLoader


class AttributeInputTypeEnum(graphene.Enum):
    DROPDOWN = "dropdown"
    MULTISELECT = "multiselect"
    FILE = "file"
    REFERENCE = "reference"
    NUMERIC = "numeric"
    RICH_TEXT = "rich-text"
    PLAIN_TEXT = "plain-text"
    SWATCH = "swatch"
    BOOLEAN = "boolean"
    DATE = "date"
    DATE_TIME = "date-time"


class AttributeTypeEnum(graphene.Enum):
    PRODUCT_TYPE = "product-type"
    PAGE_TYPE = "page-type"


class VariantAttributeScope(graphene.Enum):
    ALL = "all"
    VARIANT_SELECTION = "variant_selection"
    NOT_VARIANT_SELECTION = "not_variant_selection"


class File(graphene.ObjectType):
    url = graphene.String(required=True)
    content_type = graphene.String()


class AttributeValue(GlobalId):
    name = graphene.String()
    slug = graphene.String()
    value = graphene.String()
    translation = graphene.Field(
        translation_types.AttributeValueTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True)
    )
    input_type = graphene.Field(AttributeInputTypeEnum)
    file = graphene.Field(File)
    rich_text = JSONString()
    plain_text = graphene.String()
    boolean = graphene.Boolean()
    date = Date()
    date_time = DateTime()
    external_reference = graphene.String()

    @staticmethod
    def resolve_translation(root, info, language_code):
        return get_loader(info, AttributeValueTranslationLoader).load((root.pk, language_code))

    @staticmethod
    def resolve_input_type(root, _info):
        return root.attribute.input_type

    @staticmethod
    def resolve_file(root, _info):
        return File(url=root.file_url, content_type=None) if root.file_url else None

    @staticmethod
    def resolve_date(root, _info):
        if root.date_time and root.attribute.input_type == AttributeInputType.DATE:
            return root.date_time.date()
        return None


AttributeValueCountableConnection = countable_connection(AttributeValue, "AttributeValue")


class Attribute(MetadataFields, GlobalId):
    input_type = graphene.Field(AttributeInputTypeEnum)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    type = graphene.Field(AttributeTypeEnum, required=True)
    choices = graphene.Field(AttributeValueCountableConnection, **connection_args())
    value_required = graphene.Boolean(required=True)
    visible_in_storefront = graphene.Boolean(required=True)
    filterable_in_storefront = graphene.Boolean(required=True, deprecation_reason="deprecated")
    filterable_in_dashboard = graphene.Boolean(required=True, deprecation_reason="deprecated")
    available_in_grid = graphene.Boolean(required=True, deprecation_reason="deprecated")
    storefront_search_position = graphene.Int(required=True, deprecation_reason="deprecated")
    translation = graphene.Field(
        translation_types.AttributeTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True)
    )
    with_choices = graphene.Boolean(required=True)
    external_reference = graphene.String()

    @staticmethod
    def resolve_with_choices(root, _info):
        return root.input_type in AttributeInputType.CHOICE_TYPES

    @staticmethod
    def resolve_translation(root, info, language_code):
        return get_loader(info, AttributeTranslationLoader).load((root.pk, language_code))

    @staticmethod
    def resolve_choices(root, _info, **kwargs):
        if root.input_type not in AttributeInputType.CHOICE_TYPES:
            return None
        values = AttributeValueModel.objects.filter(attribute_id=root.pk).select_related("attribute")
        return paginate(values, sort_keys=["sort_order", "pk"], connection_name="choices", **kwargs)


class SelectedAttribute(graphene.ObjectType):
    attribute = graphene.Field(Attribute, required=True)
    values = graphene.List(graphene.NonNull(AttributeValue), required=True)


class AssignedAttribute(graphene.Interface):
    attribute = graphene.Field(Attribute, required=True)

    @classmethod
    def resolve_type(cls, instance, _info):
        return ASSIGNED_TYPES[instance.attribute.input_type]


def _translated(info, value, language_code, field_name):
    def pick(translation):
        return getattr(translation, field_name) if translation is not None else None

    return then(get_loader(info, AttributeValueTranslationLoader).load((value.pk, language_code)), pick)


class AssignedChoiceAttributeValue(graphene.ObjectType):
    name = graphene.String()
    slug = graphene.String()
    translation = graphene.String(language_code=graphene.Argument(LanguageCodeEnum, required=True))

    @staticmethod
    def resolve_translation(root, info, language_code):
        return _translated(info, root, language_code, "name")


class AssignedPlainTextAttribute(graphene.ObjectType):
    value = graphene.String()
    translation = graphene.String(language_code=graphene.Argument(LanguageCodeEnum, required=True))

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        return root.values[0].plain_text if root.values else None

    @staticmethod
    def resolve_translation(root, info, language_code):
        return _translated(info, root.values[0], language_code, "plain_text") if root.values else None


class AssignedTextAttribute(graphene.ObjectType):
    value = JSON()
    translation = JSON(language_code=graphene.Argument(LanguageCodeEnum, required=True))

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        return root.values[0].rich_text if root.values else None

    @staticmethod
    def resolve_translation(root, _info, language_code):
        # Rich-text translations are not stored yet; the original text stands in.
        return root.values[0].rich_text if root.values else None


class AssignedBooleanAttribute(graphene.ObjectType):
    value = graphene.Boolean()

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        return root.values[0].boolean if root.values else None


class AssignedNumericAttribute(graphene.ObjectType):
    value = graphene.Float()

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        return root.values[0].numeric if root.values else None


class AssignedSingleChoiceAttribute(graphene.ObjectType):
    value = graphene.Field(AssignedChoiceAttributeValue)

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        return root.values[0] if root.values else None


class AssignedMultiChoiceAttribute(graphene.ObjectType):
    value = graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(AssignedChoiceAttributeValue))),
        limit=PositiveInt(default_value=100),
    )

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info, limit=100):
        return root.values[:limit]


class AssignedSwatchAttributeValue(graphene.ObjectType):
    name = graphene.String()
    slug = graphene.String()
    hex_color = graphene.String()
    file = graphene.Field(File)
    translation = graphene.String(language_code=graphene.Argument(LanguageCodeEnum, required=True))

    @staticmethod
    def resolve_hex_color(root, _info):
        return root.value or None

    @staticmethod
    def resolve_file(root, _info):
        return File(url=root.file_url, content_type=None) if root.file_url else None

    @staticmethod
    def resolve_translation(root, info, language_code):
        return _translated(info, root, language_code, "name")


class AssignedSwatchAttribute(graphene.ObjectType):
    value = graphene.Field(AssignedSwatchAttributeValue)

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        return root.values[0] if root.values else None


class AssignedFileAttribute(graphene.ObjectType):
    value = graphene.Field(File)

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        value = root.values[0] if root.values else None
        return File(url=value.file_url, content_type=None) if value and value.file_url else None


class AssignedDateAttribute(graphene.ObjectType):
    value = Date()

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        value = root.values[0] if root.values else None
        return value.date_time.date() if value and value.date_time else None


class AssignedDateTimeAttribute(graphene.ObjectType):
    value = DateTime()

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, _info):
        return root.values[0].date_time if root.values else None


ASSIGNED_TYPES = {
    AttributeInputType.PLAIN_TEXT: AssignedPlainTextAttribute,
    AttributeInputType.RICH_TEXT: AssignedTextAttribute,
    AttributeInputType.BOOLEAN: AssignedBooleanAttribute,
    AttributeInputType.NUMERIC: AssignedNumericAttribute,
    AttributeInputType.DROPDOWN: AssignedSingleChoiceAttribute,
    AttributeInputType.MULTISELECT: AssignedMultiChoiceAttribute,
    AttributeInputType.SWATCH: AssignedSwatchAttribute,
    AttributeInputType.FILE: AssignedFileAttribute,
    AttributeInputType.DATE: AssignedDateAttribute,
    AttributeInputType.DATE_TIME: AssignedDateTimeAttribute,
}
ASSIGNED_ATTRIBUTE_TYPES = list(ASSIGNED_TYPES.values())


def assigned_attributes(entries, limit: int | None = None):
    """The ``AssignedAttribute`` entries of an object, skipping kinds without a GraphQL type (references)."""
    result = [entry for entry in entries if entry.attribute.input_type in ASSIGNED_TYPES]
    return result[:limit] if limit is not None else result
