from django.apps import AppConfig


class LenrnewsConfig(AppConfig):
    name = "lenrnews"
    verbose_name = "lenrnews"
