from django.urls import path
from django.views.generic import DetailView

from .models import Investment

app_name = "investments"

urlpatterns = [
    path("investments/<slug:slug>/", DetailView.as_view(model=Investment), name="investment_detail"),
]
