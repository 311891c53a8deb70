from django.apps import AppConfig


class ProductConfig(AppConfig):
    name = "tests.standin.product"
    label = "product"
