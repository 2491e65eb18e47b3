from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("corrections/", views.CorrectionListView.as_view(), name="correction_list"),
    path("topics/", views.TopicListView.as_view(), name="topic_list"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author_detail"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic_detail"),
]
