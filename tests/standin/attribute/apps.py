from django.apps import AppConfig


class AttributeConfig(AppConfig):
    name = "tests.standin.attribute"
    label = "attribute"
