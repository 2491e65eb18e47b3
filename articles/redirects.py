"""The old site's addresses answer 301 with our pages (``Redirect`` rows, made by ``import_wordpress``).

Two forms: a permalink path ('/2015/10/e-cat-test/') that our site does not know, looked
up only when the request would be a 404, as ``django.contrib.redirects`` does; and
WordPress's own short links ('/?p=123', '/index.php?page_id=7'), which would otherwise
open our home page, looked up before the view. An old address of an article that is not
public answers as if it did not exist: a redirect never shows a draft's slug.
"""

from urllib.parse import unquote

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from .models import Article, Redirect

# The query parameters of WordPress's short links, as the importer stores them.
SHORT_LINK_PARAMETERS = ("p", "page_id")
SHORT_LINK_PATHS = ("/", "/index.php")
# Our own address spaces: a 404 there is ours, never an old page's.
OWN_PREFIXES = ("/api/", "/admin/", "/static/", "/media/")


def short_link_path(parameter: str, post_id: int | str) -> str:
    """'/?p=123': how a WordPress short link is stored."""
    return f"/?{parameter}={post_id}"


def normalize_old_path(path: str) -> str:
    """The form an old address is stored and looked up in: decoded, no host, with its leading slash."""
    path = unquote(path or "/")
    return path if path.startswith("/") else f"/{path}"


def redirect_target(candidates: list[str]) -> str | None:
    """Our address for the first of ``candidates`` (old paths) that leads to a public article or a topic."""
    candidates = [path for path in candidates if "\x00" not in path]  # PostgreSQL text refuses NUL; none is stored
    if not candidates:
        return None
    redirect = (
        Redirect.objects.filter(old_path__in=candidates).select_related("article", "topic").order_by("pk").first()
    )
    if redirect is None:
        return None
    if redirect.topic is not None:
        return reverse("articles:topic_detail", args=[redirect.topic.slug])
    article = redirect.article
    if article is None or article.in_trash or not Article.objects.published().filter(pk=article.pk).exists():
        return None
    return article.get_absolute_url()


def _path_candidates(path: str) -> list[str]:
    path = normalize_old_path(path)
    other = path[:-1] if path.endswith("/") and len(path) > 1 else f"{path}/"
    return [path, other]


class OldSiteRedirectMiddleware:
    """A WordPress short link, or a 404 at an address of the old site, becomes a 301 to our page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in SHORT_LINK_PATHS and request.method in ("GET", "HEAD"):
            for parameter in SHORT_LINK_PARAMETERS:
                value = request.GET.get(parameter, "")
                if value.isdigit():
                    target = redirect_target([short_link_path(parameter, int(value))])
                    if target:
                        return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(OWN_PREFIXES)
        ):
            target = redirect_target(_path_candidates(request.path))
            if target:
                return HttpResponsePermanentRedirect(target)
        return response
