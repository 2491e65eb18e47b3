from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(("lenrnews.api", "api"))),
    path("", include("articles.urls")),
    path("", include("organizations.urls")),
    path("", include("investments.urls")),
]
