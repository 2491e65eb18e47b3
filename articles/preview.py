"""Preview: writers and editors see a draft, an article in review or a scheduled one in
the public article page. Anyone else gets a 404 for it, as if it did not exist.
"""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from .models import Article
from .views import ArticleDetailView


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(ArticleDetailView):
    """The public article page for any article the user may read; never cached, never indexed."""

    def get_articles(self):
        # The one place a page may show an unpublished article: to those who may read it.
        return Article.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, noindex=True, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
