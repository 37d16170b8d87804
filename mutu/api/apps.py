from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mutu.api"
    label = "api"
    verbose_name = "API"
