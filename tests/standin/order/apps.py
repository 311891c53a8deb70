from django.apps import AppConfig


class OrderConfig(AppConfig):
    name = "tests.standin.order"
    label = "order"
