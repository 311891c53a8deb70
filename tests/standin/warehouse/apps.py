from django.apps import AppConfig


class WarehouseConfig(AppConfig):
    name = "tests.standin.warehouse"
    label = "warehouse"
