from django.apps import AppConfig


class ChannelConfig(AppConfig):
    name = "tests.standin.channel"
    label = "channel"
