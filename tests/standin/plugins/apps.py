from django.apps import AppConfig


class PluginsConfig(AppConfig):
    name = "tests.standin.plugins"
    label = "plugins"
