from django.apps import AppConfig


class AppAppConfig(AppConfig):
    name = "tests.standin.app"
    label = "app"
