from django.urls import path

from . import views

app_name = "investments"

urlpatterns = [
    path("investments/", views.InvestmentListView.as_view(), name="investment_list"),
    path("investments/<slug:slug>/", views.InvestmentDetailView.as_view(), name="investment_detail"),
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event_detail"),
]
