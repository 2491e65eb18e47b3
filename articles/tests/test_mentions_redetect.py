"""Adding an entity or an alias detects mentions again, in the background, in the articles
that contain it (Django's tasks framework; the ImmediateBackend in tests)."""

from functools import partial

import pytest
from django.conf import settings
from django.db import transaction

from articles.mentions import article_detect_mentions, article_reject_mention, articles_naming
from articles.models import AmbiguousMention
from articles.tasks import redetect_mentions
from articles.tests.factories import ArticleFactory
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


def org_slugs(article):
    return {o.slug for o in article.organizations.all()}


def redetections(callbacks):
    """The re-detection tasks among the callbacks run on commit (the page cache has its own)."""
    return [c.keywords for c in callbacks if isinstance(c, partial) and c.func == redetect_mentions.enqueue]


def test_tests_run_tasks_at_once():
    assert settings.TASKS["default"]["BACKEND"] == "django.tasks.backends.immediate.ImmediateBackend"


def test_adding_an_alias_detects_it_in_the_articles_that_contain_it(django_capture_on_commit_callbacks):
    heat = OrganizationFactory(name="Industrial Heat", slug="industrial-heat")
    naming = ArticleFactory(title="Plain", standfirst="", body="IH signed the agreement.")
    other = ArticleFactory(title="Plain", standfirst="", body="Nothing about it.")
    article_detect_mentions(article=naming)
    assert org_slugs(naming) == set()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        heat.aliases = "IH"
        heat.save()
    assert redetections(callbacks) == [{"kind": "organization", "pk": heat.pk, "names": ["IH"]}]
    assert org_slugs(naming) == {"industrial-heat"}
    assert org_slugs(other) == set()


def test_nothing_runs_before_the_change_is_committed(django_capture_on_commit_callbacks):
    heat = OrganizationFactory(name="Industrial Heat", slug="industrial-heat")
    article = ArticleFactory(title="Plain", standfirst="", body="IH signed.")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        heat.aliases = "IH"
        heat.save()
    assert org_slugs(article) == set()
    assert len(redetections(callbacks)) == 1


def test_a_change_rolled_back_detects_nothing(django_capture_on_commit_callbacks):
    heat = OrganizationFactory(name="Industrial Heat", slug="industrial-heat")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                heat.aliases = "IH"
                heat.save()
                raise RuntimeError("the admin form failed after the save")
        except RuntimeError:
            pass
    assert redetections(callbacks) == []


def test_saving_an_entity_without_changing_its_names_detects_nothing(django_capture_on_commit_callbacks):
    heat = OrganizationFactory(name="Industrial Heat", slug="industrial-heat", aliases="IH")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        heat.summary = "An investor in LENR technologies."
        heat.save()
    assert redetections(callbacks) == []


def test_a_new_entity_sharing_a_name_makes_detected_mentions_ambiguous(django_capture_on_commit_callbacks):
    """Leonardo was Rossi's company alone; the aerospace group comes in, and the bare name is now open."""
    OrganizationFactory(name="Leonardo Corporation", slug="leonardo-corporation", aliases="Leonardo")
    article = ArticleFactory(title="Plain", standfirst="", body="Leonardo announced results.")
    article_detect_mentions(article=article)
    assert org_slugs(article) == {"leonardo-corporation"}

    with django_capture_on_commit_callbacks(execute=True):
        OrganizationFactory(name="Leonardo S.p.A.", slug="leonardo-spa", aliases="Leonardo")
    assert org_slugs(article) == set()
    assert AmbiguousMention.objects.get(article=article).name == "Leonardo"


def test_removing_an_alias_drops_the_mentions_it_made(django_capture_on_commit_callbacks):
    ecat = TechnologyFactory(name="E-Cat", slug="e-cat", aliases="Energy Catalyzer")
    article = ArticleFactory(title="Plain", standfirst="", body="The Energy Catalyzer ran.")
    article_detect_mentions(article=article)
    assert list(article.technologies.all()) == [ecat]
    with django_capture_on_commit_callbacks(execute=True):
        ecat.aliases = ""
        ecat.save()
    assert list(article.technologies.all()) == []


def test_deleting_one_of_two_entities_sharing_a_name_leaves_the_name_to_the_other(
    django_capture_on_commit_callbacks,
):
    rossi = PersonFactory(name="Andrea Rossi", slug="andrea-rossi", aliases="Rossi")
    other = PersonFactory(name="Mario Rossi", slug="mario-rossi", aliases="Rossi")
    article = ArticleFactory(title="Plain", standfirst="", body="Rossi spoke.")
    article_detect_mentions(article=article)
    assert AmbiguousMention.objects.filter(article=article).exists()
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    assert list(article.people.all()) == [rossi]
    assert not AmbiguousMention.objects.filter(article=article).exists()


def test_a_rejection_sticks_when_an_alias_is_added(django_capture_on_commit_callbacks):
    heat = OrganizationFactory(name="Industrial Heat", slug="industrial-heat")
    article = ArticleFactory(title="Plain", standfirst="", body="Industrial Heat and IH.")
    article_detect_mentions(article=article)
    article_reject_mention(article=article, entity=heat)
    with django_capture_on_commit_callbacks(execute=True):
        heat.aliases = "IH"
        heat.save()
    assert org_slugs(article) == set()


def test_articles_naming_finds_every_variant_and_nothing_else():
    hyphen = ArticleFactory(title="Plain", standfirst="", body="The E-Cat ran.")
    spaced = ArticleFactory(title="The E Cat", standfirst="", body="Plain.")
    plural = ArticleFactory(title="Plain", standfirst="Two ecats.", body="Plain.")
    ArticleFactory(title="Plain", standfirst="", body="The catalogue of the cat show.")
    assert sorted(articles_naming(["E-Cat"])) == sorted([hyphen.pk, spaced.pk, plural.pk])
    assert articles_naming([""]) == []


def test_a_reader_sees_the_new_link_even_when_the_page_was_cached_before_the_worker_ran(client, settings):
    """With a worker, detection runs after the save: the page cached in between must not outlive it."""
    from organizations.models import Organization

    settings.PAGE_CACHE_SECONDS = 300
    heat = OrganizationFactory(name="Industrial Heat", slug="industrial-heat")
    article = ArticleFactory(title="Plain", standfirst="", body="IH signed.")
    Organization.objects.filter(pk=heat.pk).update(aliases="IH")  # saved; the worker has not run yet
    assert "/organizations/industrial-heat/" not in client.get(article.get_absolute_url()).content.decode()
    redetect_mentions.call(kind="organization", pk=heat.pk, names=["IH"])  # the worker
    assert (
        '<a class="mention" href="/organizations/industrial-heat/">IH</a>'
        in client.get(article.get_absolute_url()).content.decode()
    )
