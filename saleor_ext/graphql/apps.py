from django.apps import AppConfig


class GraphqlConfig(AppConfig):
    name = "saleor_ext.graphql"
    label = "graphql_api"
