from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "portal"


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose home is the editors' dashboard (``portal.dashboard``)."""

    default = False  # not the configuration of the "portal" app itself
    default_site = "portal.dashboard.NewsroomAdminSite"
