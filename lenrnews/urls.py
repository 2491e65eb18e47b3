from django.contrib import admin
from django.urls import include, path

from lenrnews.views import HomeView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", HomeView.as_view(), name="home"),
    path("api/", include(("lenrnews.api", "api"))),
    path("", include("articles.urls")),
    path("", include("organizations.urls")),
    path("", include("investments.urls")),
]
