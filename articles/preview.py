"""Preview: writers and editors see a draft, an article in review or a scheduled one in
the public article page. Anyone else gets a 404, as if it did not exist.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from .models import Article
from .views import ArticleDetailView, sources_with_chain

PREVIEW_PERMISSIONS = ("articles.change_article", "articles.view_article")


def can_preview(user):
    """Writers and editors: staff who may see articles in the admin."""
    return user.is_active and user.is_staff and any(user.has_perm(p) for p in PREVIEW_PERMISSIONS)


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(ArticleDetailView):
    """The public article page for any article, whatever its state; never cached, never indexed."""

    def get_queryset(self):
        # The public page's queryset minus published(): the one place that may show
        # an unpublished article, and only to the people who write them.
        return Article.objects.select_related("author").prefetch_related(
            "topics",
            "organizations",
            "people",
            "technologies",
            "corrections",
            Prefetch("sources", queryset=sources_with_chain()),
        )

    def get_object(self, queryset=None):
        if not can_preview(self.request.user):
            raise Http404("No article found matching the query")
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, noindex=True, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
