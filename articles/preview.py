"""Preview: writers and editors see a draft, an article in review or a scheduled one in
the public article template. Anyone else gets a 404, as if it did not exist.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView

from .models import Article

PREVIEW_PERMISSIONS = ("articles.change_article", "articles.view_article")


def can_preview(user):
    return user.is_active and user.is_staff and any(user.has_perm(p) for p in PREVIEW_PERMISSIONS)


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        if not can_preview(self.request.user):
            raise Http404("No article found.")
        return get_object_or_404(Article.objects.select_related("author"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, noindex=True, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
