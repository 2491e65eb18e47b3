from django.urls import path
from django.views.generic import DetailView

from .models import Article, Topic

app_name = "articles"

urlpatterns = [
    path("articles/<slug:slug>/", DetailView.as_view(queryset=Article.objects.published()), name="article_detail"),
    path("topics/<slug:slug>/", DetailView.as_view(model=Topic), name="topic_detail"),
]
