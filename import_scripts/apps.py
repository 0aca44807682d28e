from django.apps import AppConfig


class ImportScriptsConfig(AppConfig):
    name = "import_scripts"
