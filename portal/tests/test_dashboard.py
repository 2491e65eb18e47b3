"""The editors' dashboard, the admin's home page: each panel with real rows, as an editor and as a writer."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Notice, OrganizationMention, PersonMention
from articles.services import article_send_back, article_submit_for_review
from articles.tests.factories import ArticleFactory, SourceFactory, UserFactory
from investments.tests.factories import EventFactory, InvestmentFactory
from lenrnews.tests.query_counts import count_queries
from organizations.models import Technology
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


def panel(response, panel_id):
    """The HTML of one panel of the dashboard ('' when it is not shown)."""
    html = response.content.decode()
    start = html.find(f'id="{panel_id}"')
    if start == -1:
        return ""
    return html[start : html.find("</section>", start)]


def group(panel_html, label):
    """One kind of record in the "Facts without a source" panel: its heading and its rows ('' when absent)."""
    start = panel_html.find(f"<h3>{label} (")
    if start == -1:
        return ""
    return panel_html[start : panel_html.find("</ul>", start)]


def draft(**kwargs):
    return ArticleFactory(status=Article.Status.DRAFT, publish_at=None, **kwargs)


def test_the_review_queue_shows_how_long_each_article_has_waited_oldest_first(editor_client, writer):
    with time_machine.travel(NOON - datetime.timedelta(days=3), tick=False):
        old = draft(title="Baishishan park signs", author=writer)
        article_submit_for_review(article=old, user=writer)
    with time_machine.travel(NOON - datetime.timedelta(hours=5), tick=False):
        new = draft(title="Rossi answers", author=writer)
        # Edited before it was submitted: the wait counts from the submission.
        new.body = "Changed."
        new.save()
    with time_machine.travel(NOON - datetime.timedelta(hours=2), tick=False):
        article_submit_for_review(article=new, user=writer)
    draft(title="Not submitted yet", author=writer)

    with time_machine.travel(NOON, tick=False):
        html = panel(editor_client.get(INDEX), "panel-review")

    assert "Waiting for review (2)" in html
    assert html.index("Baishishan park signs") < html.index("Rossi answers")
    assert "3\xa0days" in html
    assert "2\xa0hours" in html
    assert "Not submitted yet" not in html


def test_an_article_sent_back_and_resubmitted_waits_from_its_new_submission(editor_client, editor, writer):
    with time_machine.travel(NOON - datetime.timedelta(days=5), tick=False):
        article = draft(title="Second try", author=writer)
        article_submit_for_review(article=article, user=writer)
    with time_machine.travel(NOON - datetime.timedelta(days=4), tick=False):
        article_send_back(article=article, user=editor, note="Name the source.")
    with time_machine.travel(NOON - datetime.timedelta(minutes=30), tick=False):
        article_submit_for_review(article=article, user=writer)

    with time_machine.travel(NOON, tick=False):
        html = panel(editor_client.get(INDEX), "panel-review")
    assert "Second try" in html
    assert "30\xa0minutes" in html
    assert "days" not in html


def test_scheduled_articles_show_when_they_go_live_soonest_first(editor_client):
    with time_machine.travel(NOON, tick=False):
        ArticleFactory(title="Friday story", publish_at=NOON + datetime.timedelta(days=3))
        ArticleFactory(title="Tonight story", publish_at=NOON + datetime.timedelta(hours=8))
        ArticleFactory(title="Already live", publish_at=NOON - datetime.timedelta(minutes=1))
        html = panel(editor_client.get(INDEX), "panel-scheduled")
    assert "Scheduled (2)" in html
    assert html.index("Tonight story") < html.index("Friday story")
    assert "2 Mar 2026, 20:00" in html
    assert "5 Mar 2026, 12:00" in html
    assert "in 8\xa0hours" in html
    assert "Already live" not in html


def test_sent_back_articles_show_the_editors_note(editor_client, editor, writer):
    article = draft(title="Needs a source", author=writer)
    article_submit_for_review(article=article, user=writer)
    article_send_back(article=article, user=editor, note="Who said the park signed?")
    draft(title="Plain draft", author=writer)

    html = panel(editor_client.get(INDEX), "panel-sent-back")
    assert "Sent back (1)" in html
    assert "Needs a source" in html
    assert "Who said the park signed?" in html
    assert "Plain draft" not in html


def test_recently_published_lists_live_articles_newest_first(editor_client):
    ArticleFactory(title="Yesterday", publish_at=timezone.now() - datetime.timedelta(days=1))
    ArticleFactory(title="This morning", publish_at=timezone.now() - datetime.timedelta(hours=3))
    ArticleFactory(title="Tomorrow", publish_at=timezone.now() + datetime.timedelta(days=1))
    html = panel(editor_client.get(INDEX), "panel-published")
    assert html.index("This morning") < html.index("Yesterday")
    assert "Tomorrow" not in html


def test_recent_changes_show_everyones_changes_to_any_record(editor_client, editor, writer):
    stake = TechnologyStakeFactory(organization__name="Industrial Heat", technology__name="E-Cat")
    InvestmentFactory(title="Cherokee backs IH")
    article = draft(title="A draft by the writer", author=writer)
    article._history_user = writer
    article.title = "A draft, retitled"
    article.save()

    html = editor_client.get(INDEX).content.decode()
    sidebar = html[html.index('id="recent-changes-module"') :]
    assert "A draft, retitled" in sidebar
    assert writer.get_username() in sidebar
    assert "Industrial Heat — Owner — E-Cat" in sidebar
    assert "Cherokee backs IH" in sidebar
    assert reverse("admin:organizations_technologystake_history", args=[stake.pk]) in sidebar
    # Newest first: the retitling came last.
    assert sidebar.index("A draft, retitled") < sidebar.index("Cherokee backs IH")


def test_mentions_to_check_are_the_detected_ones_in_articles_not_yet_public(editor_client):
    ih = OrganizationFactory(name="Industrial Heat")
    rossi = PersonFactory(name="Andrea Rossi")
    cherokee = OrganizationFactory(name="Cherokee Partners")
    waiting = draft(title="Draft with detected names")
    OrganizationMention.objects.create(article=waiting, organization=ih, detected=True)
    PersonMention.objects.create(article=waiting, person=rossi, detected=True)
    OrganizationMention.objects.create(article=waiting, organization=cherokee, detected=False)
    by_hand = draft(title="Draft tagged by hand")
    OrganizationMention.objects.create(article=by_hand, organization=cherokee, detected=False)
    live = ArticleFactory(title="Live with detected names")
    OrganizationMention.objects.create(article=live, organization=ih, detected=True)

    html = panel(editor_client.get(INDEX), "panel-mentions")
    assert "Mentions to check (1 article)" in html
    assert "Draft with detected names" in html
    assert "Industrial Heat, Andrea Rossi" in html
    assert "Cherokee" not in html
    assert "Draft tagged by hand" not in html
    assert "Live with detected names" not in html


def test_facts_without_a_source_list_stakes_affiliations_and_deals_that_cite_nothing(editor_client):
    TechnologyStakeFactory(organization__name="Industrial Heat", technology__name="E-Cat")
    sourced = TechnologyStakeFactory(organization__name="Brillouin", technology__name="HHT")
    sourced.sources.add(SourceFactory())
    AffiliationFactory(person__name="Tom Darden", organization__name="Cherokee")
    reported = AffiliationFactory(person__name="JT Vaughn", organization__name="IH Holdings")
    reported.reported_in.add(ArticleFactory())
    InvestmentFactory(title="Unsourced deal")

    html = panel(editor_client.get(INDEX), "panel-unsourced")
    stakes = group(html, "Technology stakes")
    assert "Technology stakes (1)" in stakes
    assert "Industrial Heat — Owner — E-Cat" in stakes
    assert "Brillouin" not in stakes
    affiliations = group(html, "Affiliations")
    assert "Affiliations (1)" in affiliations
    assert "Tom Darden" in affiliations
    assert "JT Vaughn" not in affiliations
    assert "Deals (1)" in group(html, "Deals")
    assert "Unsourced deal" in group(html, "Deals")


def test_facts_without_a_source_list_events_that_cite_nothing(editor_client):
    EventFactory(title="Rossi sues Industrial Heat")
    settled = EventFactory(title="The suit is settled")
    settled.sources.add(SourceFactory())
    reported = EventFactory(title="A demonstration in Ferrara")
    reported.reported_in.add(ArticleFactory())

    events = group(panel(editor_client.get(INDEX), "panel-unsourced"), "Events")
    assert "Events (1)" in events
    assert "Rossi sues Industrial Heat" in events
    assert "settled" not in events and "Ferrara" not in events


def test_facts_without_a_source_list_profiles_with_a_filled_in_fact_no_citation_supports(editor_client):
    """An organization's founding year or country, a person's birth year, a technology's stage: profile facts
    are cited field by field (``OrganizationCitation.fields``), and the panel names the ones still uncited."""
    heat = OrganizationFactory(name="Industrial Heat", country="US", founded=2012, city="", website="")
    brillouin = OrganizationFactory(name="Brillouin Energy", country="US", founded=2004, city="", website="")
    brillouin.citations.create(source=SourceFactory(), fields=["kind", "founded"])
    brillouin.citations.create(source=SourceFactory(), fields=["country"])
    cherokee = OrganizationFactory(name="Cherokee Partners", country="US", founded=None, city="", website="")
    cherokee.citations.create(source=SourceFactory(), fields=["kind"])
    rossi = PersonFactory(name="Andrea Rossi", country="IT", born=1950)
    rossi.citations.create(source=SourceFactory(), fields=["born"])
    PersonFactory(name="Nobody Known", country="")  # nothing filled in: nothing to cite
    ecat = TechnologyFactory(name="E-Cat", approach=Technology.Approach.NI_H, stage=Technology.Stage.LABORATORY)
    ecat.inventors.add(rossi)
    ecat.citations.create(source=SourceFactory(), fields=["approach", "stage"])
    TechnologyFactory(name="Unknown device", approach=Technology.Approach.UNKNOWN, stage=Technology.Stage.UNKNOWN)

    html = panel(editor_client.get(INDEX), "panel-unsourced")

    organizations = group(html, "Organizations")
    assert "Organizations (2)" in organizations
    assert "Industrial Heat</a>: no source for kind, founded, country" in organizations
    assert "Cherokee Partners</a>: no source for country" in organizations
    assert "Brillouin" not in organizations
    assert reverse("admin:organizations_organization_change", args=[heat.pk]) in organizations
    people = group(html, "People")
    assert "People (1)" in people and "Andrea Rossi</a>: no source for country" in people
    technologies = group(html, "Technologies")
    assert "Technologies (1)" in technologies and "E-Cat</a>: no source for inventors" in technologies
    # The record's own change page names the same facts: one rule (organizations.models.uncited_facts).
    change = editor_client.get(reverse("admin:organizations_organization_change", args=[cherokee.pk]))
    line = re.search(r'field-uncited_facts.*?<div class="readonly">(.*?)</div>', change.content.decode(), re.S)
    assert line.group(1).strip() == "country"

    heat.citations.create(source=SourceFactory(), fields=["kind", "founded", "country"])
    assert "Industrial Heat" not in panel(editor_client.get(INDEX), "panel-unsourced")


def test_when_every_fact_cites_a_source_the_panel_says_so(editor_client):
    stake = TechnologyStakeFactory(organization__name="Industrial Heat", organization__country="")
    stake.sources.add(SourceFactory())
    stake.organization.citations.create(source=SourceFactory(), fields=["kind"])
    stake.technology.citations.create(source=SourceFactory(), fields=["approach", "stage"])
    html = panel(editor_client.get(INDEX), "panel-unsourced")
    assert "Every fact cites a source." in html
    assert "Technology stakes" not in html and "Organizations" not in html and "Technologies" not in html


def test_a_writer_sees_their_own_desk_and_no_panel_about_records_they_cannot_change(writer_client, writer, editor):
    mine = draft(title="My submission", author=writer)
    article_submit_for_review(article=mine, user=writer)
    colleague = UserFactory(username="colleague")
    theirs = draft(title="A colleague's submission", author=colleague)
    article_submit_for_review(article=theirs, user=colleague)
    returned = draft(title="A colleague's returned draft", author=colleague)
    article_submit_for_review(article=returned, user=colleague)
    article_send_back(article=returned, user=editor, note="Not yet.")
    TechnologyStakeFactory(organization__name="Industrial Heat")
    InvestmentFactory(title="Cherokee backs IH")

    response = writer_client.get(INDEX)
    review = panel(response, "panel-review")
    assert "Your articles in review (1)" in review
    assert "My submission" in review
    assert "A colleague" not in review
    assert "A colleague's returned draft" not in panel(response, "panel-sent-back")
    assert panel(response, "panel-unsourced") == ""
    sidebar = response.content.decode().split('id="recent-changes-module"')[1]
    assert "My submission" in sidebar  # articles: the writer may see them
    assert "Cherokee backs IH" not in sidebar  # deals: they may not


def test_notices_show_on_the_dashboard_until_dismissed(editor_client, editor, writer, client):
    article = draft(title="For review", author=writer)
    article_submit_for_review(article=article, user=writer)
    notice = Notice.objects.get(recipient=editor)

    html = panel(editor_client.get(INDEX), "desk-notices-title")
    assert "submitted “For review” for review" in html

    response = editor_client.post(reverse("admin:notice_dismiss", args=[notice.pk]))
    assert response.status_code == 302
    assert panel(editor_client.get(INDEX), "desk-notices-title") == ""
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notice_is_read_once_its_recipient_opens_the_article(editor_client, editor, writer):
    article = draft(title="For review", author=writer)
    article_submit_for_review(article=article, user=writer)
    editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert not Notice.objects.filter(recipient=editor).unread().exists()


def test_nobody_dismisses_another_persons_notice(writer_client, writer, editor):
    article = draft(title="For review", author=writer)
    article_submit_for_review(article=article, user=writer)
    notice = Notice.objects.get(recipient=editor)
    assert writer_client.post(reverse("admin:notice_dismiss", args=[notice.pk])).status_code == 404
    assert writer_client.get(reverse("admin:notice_dismiss", args=[notice.pk])).status_code == 405
    assert Notice.objects.get(pk=notice.pk).read_at is None


def test_dismiss_all_reads_every_notice_of_the_user_only(editor_client, editor, writer):
    other_editor = UserFactory(username="other-editor", is_superuser=True, is_staff=True)
    for title in ["One", "Two"]:
        article_submit_for_review(article=draft(title=title, author=writer), user=writer)
    assert Notice.objects.filter(recipient=editor).count() == 2
    editor_client.post(reverse("admin:notice_dismiss_all"))
    assert not Notice.objects.filter(recipient=editor).unread().exists()
    assert Notice.objects.filter(recipient=other_editor).unread().count() == 2


def _fill(count, writer, editor):
    for n in range(count):
        organization = OrganizationFactory()
        person = PersonFactory()
        review = draft(title=f"Review {n}", author=writer)
        article_submit_for_review(article=review, user=writer)
        back = draft(title=f"Back {n}", author=writer)
        article_submit_for_review(article=back, user=writer)
        article_send_back(article=back, user=editor, note="Again.")
        ArticleFactory(title=f"Scheduled {n}", publish_at=timezone.now() + datetime.timedelta(days=1))
        ArticleFactory(title=f"Live {n}")
        OrganizationMention.objects.create(article=review, organization=organization, detected=True)
        PersonMention.objects.create(article=back, person=person, detected=True)
        TechnologyStakeFactory(organization=organization)
        AffiliationFactory(person=person, organization=organization)
        InvestmentFactory(recipients=[organization])
        EventFactory()


@pytest.mark.parametrize("who", ["editor", "writer"])
def test_the_dashboard_runs_the_same_number_of_queries_for_1_and_50_rows(who, client, editor, writer):
    user = {"editor": editor, "writer": writer}[who]
    client.force_login(user)
    _fill(1, writer, editor)
    _, one = count_queries(client.get, INDEX)
    _fill(49, writer, editor)
    response, fifty = count_queries(client.get, INDEX)
    assert response.status_code == 200
    assert one == fifty
