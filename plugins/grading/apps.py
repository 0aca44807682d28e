from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "plugins.grading"
    label = "grading"
