from django.urls import path
from django.views.generic import DetailView

from .models import Organization, Person, Technology

app_name = "organizations"

urlpatterns = [
    path("organizations/<slug:slug>/", DetailView.as_view(model=Organization), name="organization_detail"),
    path("people/<slug:slug>/", DetailView.as_view(model=Person), name="person_detail"),
    path("technologies/<slug:slug>/", DetailView.as_view(model=Technology), name="technology_detail"),
]
