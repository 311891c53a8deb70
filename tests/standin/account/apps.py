from django.apps import AppConfig


class AccountConfig(AppConfig):
    name = "tests.standin.account"
    label = "account"
