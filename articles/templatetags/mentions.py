"""``{{ article|linked_body }}``: the body with the first mention of each entity linked."""

from django import template

from articles.mentions import article_link_mentions

register = template.Library()


@register.filter
def linked_body(article):
    return article_link_mentions(article)
