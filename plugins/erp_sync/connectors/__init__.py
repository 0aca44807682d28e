"""Connectors: one per kind of member system, all speaking ``base.Connector``."""

from __future__ import annotations

from ..models import ConnectionKind, ErpConnection
from .base import Connector, ConnectorError
from .file import FileConnector
from .odoo import FieldMapping
from .odoo_json2 import OdooJson2Connector
from .odoo_xmlrpc import OdooXmlRpcConnector


def connector_for(connection: ErpConnection) -> Connector:
    """The connector a member's settings describe (credentials decrypted only here)."""
    if connection.kind == ConnectionKind.FILE:
        if not connection.file_path:
            raise ConnectorError("No file to read: upload one or run import_items.", code="file_not_found")
        return FileConnector(connection.file_path)
    mapping = FieldMapping.from_dict(connection.mapping())
    if connection.kind == ConnectionKind.ODOO_JSON2:
        return OdooJson2Connector(url=connection.url, database=connection.database, api_key=connection.secret,
                                  mapping=mapping)
    if connection.kind == ConnectionKind.ODOO_XMLRPC:
        return OdooXmlRpcConnector(url=connection.url, database=connection.database, login=connection.login,
                                   password=connection.secret, mapping=mapping)
    raise ConnectorError(f"Unknown connection kind {connection.kind!r}", code="invalid_configuration")
