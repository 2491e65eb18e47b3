"""Each rule through every door: the admin form, the admin action where there is one, the API.

A rule lives in one place (a model's ``clean()``, a queryset method, a service); these
tests drive the same change through each door and expect the same answer.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.mentions import article_detect_mentions, article_reject_mention
from articles.models import Article, PersonMention
from articles.services import SEND_BACK_NOTE_REQUIRED
from articles.tests.factories import ArticleFactory, CorrectionFactory, SourceFactory, UserFactory
from investments.models import Investment
from investments.tests.factories import InvestmentFactory
from lenrnews.tests.admin_forms import admin_form_data
from lenrnews.tests.api_support import API, client_for
from lenrnews.tests.api_support import writer as api_writer
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyStakeFactory

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")


def admin_change(client, obj, **changes):
    """Post ``obj``'s admin change form as rendered, with ``changes``; the response."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return client.post(url, admin_form_data(client.get(url), **changes))


def main_form_errors(response):
    """The admin change form's errors, {field: [message]}; empty when it saved."""
    if response.status_code == 302:
        return {}
    return {field: list(messages) for field, messages in response.context["adminform"].form.errors.items()}


def api_errors(response):
    """The API's field errors, {field: [message]}; empty when it saved."""
    if response.status_code in (200, 201):
        return {}
    assert response.status_code == 400, response.content
    return response.json()


def in_review(**kwargs):
    return ArticleFactory(status=Article.Status.REVIEW, publish_at=None, **kwargs)


def draft(**kwargs):
    return ArticleFactory(status=Article.Status.DRAFT, publish_at=None, **kwargs)


# --- A source cannot come via itself: Source.clean() ---------------------------------

LOOP = "A source cannot come via itself, directly or through others."


def via_through_admin(editor_client, editor, source, via):
    return main_form_errors(admin_change(editor_client, source, via=via))


def via_through_api(editor_client, editor, source, via):
    response = client_for(editor).patch(f"{API}sources/{source.pk}/", {"via": via.pk}, format="json")
    return api_errors(response)


@pytest.mark.parametrize("door", [via_through_admin, via_through_api])
def test_a_source_that_would_come_via_itself_through_another_is_refused(door, editor_client, editor):
    first = SourceFactory(publisher="Vortex-L")
    second = SourceFactory(publisher="E-Cat World", via=first)
    third = SourceFactory(publisher="Infinite Energy", via=second)

    assert door(editor_client, editor, first, third) == {"via": [LOOP]}  # first via third via second via first
    assert door(editor_client, editor, first, second) == {"via": [LOOP]}
    assert door(editor_client, editor, first, first) == {"via": [LOOP]}
    first.refresh_from_db()
    assert first.via is None


@pytest.mark.parametrize("door", [via_through_admin, via_through_api])
def test_a_chain_without_a_loop_is_accepted(door, editor_client, editor):
    first = SourceFactory(publisher="Vortex-L")
    second = SourceFactory(publisher="E-Cat World", via=first)
    third = SourceFactory(publisher="Infinite Energy")

    assert door(editor_client, editor, third, second) == {}
    third.refresh_from_db()
    assert third.chain_display == "Vortex-L -> E-Cat World -> Infinite Energy"


# --- Sending an article back needs a note: article_send_back_errors -------------------


def send_back_through_form(editor_client, editor, article, note):
    return main_form_errors(admin_change(editor_client, article, status="draft", review_note=note))


def send_back_through_action(editor_client, editor, article, note):
    data = {"action": "send_back", ACTION_CHECKBOX_NAME: [article.pk], "apply": "Send back", "note": note}
    response = editor_client.post(ARTICLES, data, follow=True)
    page = response.content.decode()
    if SEND_BACK_NOTE_REQUIRED in page:
        return {"review_note": [SEND_BACK_NOTE_REQUIRED]}
    assert "1 article(s) sent back to the writer." in page
    return {}


def send_back_through_api(editor_client, editor, article, note):
    payload = {"status": "draft", **({"review_note": note} if note is not None else {})}
    return api_errors(client_for(editor).patch(f"{API}articles/{article.slug}/", payload, format="json"))


SEND_BACK_DOORS = [send_back_through_form, send_back_through_action, send_back_through_api]


@pytest.mark.parametrize("door", SEND_BACK_DOORS)
@pytest.mark.parametrize("note", ["", "   "])
def test_an_editor_cannot_send_an_article_back_without_a_note(door, note, editor_client, editor):
    article = in_review()
    assert door(editor_client, editor, article, note) == {"review_note": [SEND_BACK_NOTE_REQUIRED]}
    article.refresh_from_db()
    assert article.status == "review"


def test_the_api_refuses_a_send_back_that_leaves_the_note_out(editor_client, editor):
    article = in_review()
    assert send_back_through_api(editor_client, editor, article, None) == {"review_note": [SEND_BACK_NOTE_REQUIRED]}


@pytest.mark.parametrize("door", SEND_BACK_DOORS)
def test_an_editor_sends_an_article_back_with_a_note(door, editor_client, editor):
    article = in_review()
    assert door(editor_client, editor, article, "Source the $121 million.") == {}
    article.refresh_from_db()
    assert (article.status, article.review_note) == ("draft", "Source the $121 million.")


def withdraw_through_form(writer_client, writer, article):
    return main_form_errors(admin_change(writer_client, article, status="draft"))


def withdraw_through_api(writer_client, writer, article):
    return api_errors(client_for(writer).patch(f"{API}articles/{article.slug}/", {"status": "draft"}, format="json"))


@pytest.mark.parametrize("door", [withdraw_through_form, withdraw_through_api])
def test_a_writer_takes_their_article_back_out_of_review_without_a_note(door, writer_client, writer):
    article = in_review(author=writer)
    assert door(writer_client, writer, article) == {}
    article.refresh_from_db()
    assert (article.status, article.review_note) == ("draft", "")


def resubmit_through_form(writer_client, writer, article):
    assert admin_change(writer_client, article, status="review").status_code == 302


def resubmit_through_action(writer_client, writer, article):
    writer_client.post(ARTICLES, {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [article.pk]})


def resubmit_through_api(writer_client, writer, article):
    response = client_for(writer).patch(f"{API}articles/{article.slug}/", {"status": "review"}, format="json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("door", [resubmit_through_form, resubmit_through_action, resubmit_through_api])
def test_resubmitting_clears_the_answered_note(door, writer_client, writer):
    """The editor reading the queue sees no stale note, whichever way the writer resubmitted."""
    article = draft(author=writer, review_note="Check the date.")
    door(writer_client, writer, article)
    article.refresh_from_db()
    assert (article.status, article.review_note) == ("review", "")
    assert article.history.earliest().review_note == "Check the date."  # the history keeps it


def test_a_writer_cannot_write_the_note_through_any_door(writer_client, writer):
    article = draft(author=writer, review_note="Check the date.")
    admin_change(writer_client, article, review_note="All fine, really.")  # not a field the writer has
    response = client_for(writer).patch(
        f"{API}articles/{article.slug}/", {"review_note": "All fine, really."}, format="json"
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.review_note == "Check the date."


def test_a_writer_restoring_a_revision_that_carried_a_note_is_not_refused(writer_client, writer):
    article = draft(author=writer, title="First title", review_note="Check the date.")
    noted = article.history.latest()
    article.title, article.review_note = "Second title", ""
    article.save()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, noted.history_id])
    assert writer_client.post(url, admin_form_data(writer_client.get(url))).status_code == 302
    article.refresh_from_db()
    assert article.title == "First title"


# --- Who may read an unpublished article: Article.objects.visible_to(user) -----------

ACCOUNTS = ["anonymous", "reader", "staff_without_rights", "viewer", "api_writer", "writer", "editor"]
# Who sees articles in the admin (the view or change permission), whether or not they log in there.
MAY_READ_UNPUBLISHED = {"viewer", "api_writer", "writer", "editor"}
STATES = {
    "draft": {"status": Article.Status.DRAFT, "publish_at": None},
    "review": {"status": Article.Status.REVIEW, "publish_at": None},
    "scheduled": {"status": Article.Status.PUBLISHED, "publish_at": timezone.now() + datetime.timedelta(days=1)},
    "published": {"status": Article.Status.PUBLISHED, "publish_at": timezone.now() - datetime.timedelta(seconds=1)},
}


def with_permissions(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))
    return user


@pytest.fixture
def account(request, client):
    """(user or None, a logged-in test client, an API client with the user's token)."""
    users = {
        "anonymous": lambda: None,
        "reader": lambda: UserFactory(username="reader"),
        "staff_without_rights": lambda: UserFactory(username="staff-without-rights", is_staff=True),
        "viewer": lambda: with_permissions(UserFactory(username="viewer", is_staff=True), "view_article"),
        "api_writer": lambda: api_writer(),  # not staff: works through the API only
        "writer": lambda: request.getfixturevalue("writer"),
        "editor": lambda: request.getfixturevalue("editor"),
    }
    user = users[request.param]()
    if user is not None:
        client.force_login(user)
    return user, client, client_for(user)


def doors_showing(article, client, api):
    """Which doors show ``article``: the preview, the API's detail and list, and two nested lists."""
    stake = TechnologyStakeFactory()
    stake.reported_in.add(article)
    deal = InvestmentFactory()
    deal.reported_in.add(article)
    shown = set()
    if client.get(reverse("admin:articles_article_preview", args=[article.pk])).status_code == 200:
        shown.add("preview")
    if api.get(f"{API}articles/{article.slug}/").status_code == 200:
        shown.add("api detail")
    if article.slug in [row["slug"] for row in api.get(f"{API}articles/").json()["results"]]:
        shown.add("api list")
    if [row["slug"] for row in api.get(f"{API}stakes/{stake.pk}/").json()["reported_in"]] == [article.slug]:
        shown.add("a stake's articles")
    if [row["slug"] for row in api.get(f"{API}investments/{deal.slug}/").json()["reported_in"]] == [article.slug]:
        shown.add("a deal's articles")
    return shown


ALL_DOORS = {"preview", "api detail", "api list", "a stake's articles", "a deal's articles"}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("account", ACCOUNTS, indirect=True)
def test_every_door_shows_an_article_to_the_same_people(request, account, state):
    user, client, api = account
    article = ArticleFactory(slug=f"a-{state}", **STATES[state])
    may_read = state == "published" or request.node.callspec.params["account"] in MAY_READ_UNPUBLISHED
    assert Article.objects.visible_to(user).filter(pk=article.pk).exists() is may_read
    assert article.is_visible_to(user) is may_read
    assert doors_showing(article, client, api) == (ALL_DOORS if may_read else set())


def test_the_preview_is_the_public_page_widened(editor_client, client):
    """Same page, same joins: the sources' chain and the corrections show in both."""
    article = ArticleFactory(slug="baishishan", body="The *park*.")
    article.sources.add(SourceFactory(publisher="E-Cat World", via=SourceFactory(publisher="Vortex-L")))
    CorrectionFactory(article=article, text="The amount was $121 million.")
    public = client.get(article.get_absolute_url()).content.decode()
    preview = editor_client.get(reverse("admin:articles_article_preview", args=[article.pk])).content.decode()
    for shown in ["<em>park</em>", "Vortex-L", "E-Cat World", "The amount was $121 million."]:
        assert shown in public and shown in preview


# --- An editor's corrections to detected mentions: articles.mentions -----------------


@pytest.fixture
def rossi():
    return PersonFactory(name="Andrea Rossi", slug="andrea-rossi", aliases="Rossi")


def reject_through_admin(editor_client, article, rossi):
    data = admin_form_data(editor_client.get(reverse("admin:articles_article_change", args=[article.pk])))
    data["personmention_set-0-DELETE"] = "on"
    assert editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data).status_code == 302


def reject_through_the_service(editor_client, article, rossi):
    article_reject_mention(article=article, entity=rossi)


@pytest.mark.parametrize("door", [reject_through_admin, reject_through_the_service])
def test_a_rejected_mention_stays_out_whichever_door_saves_next(door, editor_client, editor, rossi):
    article = draft(body="Rossi spoke.")
    article_detect_mentions(article=article)
    assert PersonMention.objects.get(article=article).detected

    door(editor_client, article, rossi)
    assert (list(article.people.all()), list(article.rejected_people.all())) == ([], [rossi])

    admin_change(editor_client, article, body="Rossi spoke, and Rossi again.")
    assert list(article.people.all()) == []
    response = client_for(editor).patch(f"{API}articles/{article.slug}/", {"body": "Rossi, once more."}, format="json")
    assert response.status_code == 200
    assert list(article.people.all()) == []


def test_changing_a_detected_mention_in_the_admin_rejects_the_old_entity(editor_client, rossi):
    """The editor says "not this one, that one": detection must not bring the first back."""
    article = draft(body="Rossi spoke.")
    article_detect_mentions(article=article)
    other = PersonFactory(name="Tom Darden", slug="tom-darden")
    assert admin_change(editor_client, article, **{"personmention_set-0-person": other.pk}).status_code == 302
    assert list(article.people.all()) == [other]
    assert list(article.rejected_people.all()) == [rossi]
    assert PersonMention.objects.get(article=article).detected is False


# --- An organization is not its own parent: Organization.clean() -----------------------


def test_an_organization_cannot_be_its_own_parent_through_any_door(editor_client, editor):
    heat = OrganizationFactory(slug="industrial-heat")
    message = "An organization cannot be its own parent."
    assert main_form_errors(admin_change(editor_client, heat, parent=heat)) == {"parent": [message]}
    response = client_for(editor).patch(f"{API}organizations/industrial-heat/", {"parent": heat.slug}, format="json")
    assert api_errors(response) == {"parent": [message]}
    heat.refresh_from_db()
    assert heat.parent is None


# --- A deal's amount in USD: Investment.derive_amount_usd() ----------------------------


def amount_through_admin(editor_client, editor, deal, **values):
    return main_form_errors(admin_change(editor_client, deal, **values))


def amount_through_api(editor_client, editor, deal, **values):
    response = client_for(editor).patch(f"{API}investments/{deal.slug}/", values, format="json")
    return api_errors(response)


@pytest.mark.parametrize("door", [amount_through_admin, amount_through_api])
def test_the_amount_in_usd_is_derived_and_checked_the_same_way(door, editor_client, editor):
    deal = InvestmentFactory(currency="USD", amount=Decimal("100"))

    assert door(editor_client, editor, deal, amount="121000000") == {}  # the admin still shows 100 in USD
    deal.refresh_from_db()
    assert deal.amount_usd == Decimal("121000000")  # a USD deal's amount in USD is its amount

    errors = door(editor_client, editor, deal, currency="EUR", amount="1000", amount_usd=None)
    assert errors == {"amount_usd": ["Enter the amount in USD for a deal in another currency."]}
    deal.refresh_from_db()
    assert deal.currency == "USD"


# --- How money reads: format_amount ------------------------------------------------------


def test_the_admin_and_the_public_page_write_amounts_the_same_way(editor_client, client):
    deal = InvestmentFactory(
        slug="euro-grant", kind=Investment.Kind.GRANT, currency="EUR", amount=Decimal("1500.50"), amount_usd=1650
    )
    public = client.get(deal.get_absolute_url()).content.decode()
    admin = editor_client.get(reverse("admin:investments_investment_changelist")).content.decode()
    for shown in ["EUR 1,500.50", "USD 1,650"]:
        assert shown in public and shown in admin
