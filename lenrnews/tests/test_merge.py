"""Merging duplicates: every reference moves to the survivor, names become aliases, the old slug redirects, and
both histories say so. Through the service and the admin's "Merge into…" action."""

import datetime

import pytest
from django.urls import reverse

from articles.models import OrganizationMention, Source
from articles.tests.factories import ArticleFactory, SourceFactory
from investments.models import Event, EventOrganization, EventPerson, Investment, RecipientOrganization
from lenrnews.merge import MergeRefused, merge_records
from lenrnews.tests.api_support import API, client_for
from organizations.models import (
    Affiliation,
    Organization,
    OrganizationCitation,
    Person,
    Technology,
    TechnologyStake,
)
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)

pytestmark = pytest.mark.django_db


def deal(title, **kwargs):
    return Investment.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        kind="equity",
        announced_on=datetime.date(2015, 1, 1),
        **kwargs,
    )


def test_merging_an_organization_moves_every_reference_to_the_survivor(client):
    survivor = OrganizationFactory(name="Industrial Heat", slug="industrial-heat", aliases="IH", country="")
    loser = OrganizationFactory(
        name="Industrial Heat LLC", slug="industrial-heat-llc", aliases="IH\nIH LLC", country="US", notes="Raleigh."
    )
    person = PersonFactory(name="Tom Darden")
    role = AffiliationFactory(person=person, organization=loser)
    ecat = TechnologyFactory(name="E-Cat")
    report = SourceFactory(title="Owns the E-Cat")
    kept_stake = TechnologyStakeFactory(organization=survivor, technology=ecat, kind="owner")
    loser_stake = TechnologyStakeFactory(organization=loser, technology=ecat, kind="owner")
    loser_stake.sources.add(report)
    other_stake = TechnologyStakeFactory(organization=loser, kind="licensee")
    made = deal("IH raises money")
    made.investors.add(loser)
    shared = deal("Park deal")
    shared.recipients.add(loser, survivor)
    lawsuit = Event.objects.create(title="Rossi sues IH", slug="rossi-sues-ih", kind="lawsuit_filed")
    EventOrganization.objects.create(event=lawsuit, organization=loser, role="defendant")
    article = ArticleFactory()
    article.organizations.add(loser, survivor)
    other_article = ArticleFactory()
    other_article.organizations.add(loser)
    press = SourceFactory(publisher_organization=loser, speaker_organization=loser)
    subsidiary = OrganizationFactory(name="IH Holdings UK", parent=loser)
    OrganizationCitation.objects.create(subject=loser, source=press, fields=["country"])

    loser_pk = loser.pk
    result = merge_records(loser=loser, survivor=survivor)

    assert not Organization.objects.filter(pk=loser_pk).exists()
    survivor.refresh_from_db()
    assert role.__class__.objects.get(pk=role.pk).organization == survivor
    # Two stakes of one kind in one technology: the survivor's is kept, with the other's source.
    assert list(TechnologyStake.objects.filter(technology=ecat)) == [kept_stake]
    assert list(kept_stake.sources.all()) == [report]
    assert TechnologyStake.objects.get(pk=other_stake.pk).organization == survivor
    assert list(made.investors.all()) == [survivor]
    assert list(RecipientOrganization.objects.filter(investment=shared).values_list("organization", flat=True)) == [
        survivor.pk
    ]
    assert list(lawsuit.organizations.all()) == [survivor]
    assert EventOrganization.objects.get(event=lawsuit).role == "defendant"
    assert list(article.organizations.all()) == [survivor]
    assert OrganizationMention.objects.filter(article=article).count() == 1
    assert list(other_article.organizations.all()) == [survivor]
    press.refresh_from_db()
    assert (press.publisher_organization, press.speaker_organization) == (survivor, survivor)
    assert Organization.objects.get(pk=subsidiary.pk).parent == survivor
    assert list(survivor.citations.values_list("fields", flat=True)) == [["country"]]
    # Names become aliases (once each), a missing value is filled, the notes are kept.
    assert survivor.alias_list == ["IH", "Industrial Heat LLC", "IH LLC"]
    assert result.aliases_added == ["Industrial Heat LLC", "IH LLC"]
    assert survivor.country == "US"
    assert "Raleigh." in survivor.notes
    assert (result.moved, result.folded) == (9, 3)

    # The old addresses redirect; the old name is found as an alias.
    assert client.get("/organizations/industrial-heat-llc/")["Location"] == "/organizations/industrial-heat/"
    api = client_for()
    assert api.get(f"{API}organizations/industrial-heat-llc/")["Location"] == f"{API}organizations/industrial-heat/"
    found = api.get(f"{API}organizations/", {"alias": "industrial heat llc"}).json()["results"]
    assert [row["slug"] for row in found] == ["industrial-heat"]
    assert [row["slug"] for row in api.get(f"{API}organizations/?slug=industrial-heat-llc").json()["results"]] == [
        "industrial-heat"
    ]

    # Both histories say so.
    reason = "merged Industrial Heat LLC into Industrial Heat"
    assert survivor.history.first().history_change_reason == reason
    last = Organization.history.filter(id=loser_pk).first()
    assert (last.history_type, last.history_change_reason) == ("-", reason)


def test_an_organization_whose_parent_is_the_merged_one_takes_its_parent():
    group = OrganizationFactory(name="Cherokee")
    loser = OrganizationFactory(name="IH LLC", parent=group)
    survivor = OrganizationFactory(name="Industrial Heat", parent=loser)
    merge_records(loser=loser, survivor=survivor)
    survivor.refresh_from_db()
    assert survivor.parent == group


def test_merging_a_person_moves_roles_inventions_deals_events_and_statements():
    survivor = PersonFactory(name="Andrea Rossi", slug="andrea-rossi")
    loser = PersonFactory(name="A. Rossi", slug="a-rossi", born=1950)
    ecat, hot_cat = TechnologyFactory(name="E-Cat"), TechnologyFactory(name="Hot Cat")
    ecat.inventors.add(loser, survivor)
    hot_cat.inventors.add(loser)
    AffiliationFactory(person=loser)
    licence = deal("Rossi licence")
    licence.investor_people.add(loser)
    lawsuit = Event.objects.create(title="Rossi sues IH", slug="rossi-sues-ih", kind="lawsuit_filed")
    EventPerson.objects.create(event=lawsuit, person=loser, role="plaintiff")
    statement = SourceFactory(speaker_person=loser)
    loser_pk = loser.pk

    merge_records(loser=loser, survivor=survivor)

    survivor.refresh_from_db()
    assert list(ecat.inventors.all()) == [survivor]
    assert list(hot_cat.inventors.all()) == [survivor]
    assert Affiliation.objects.get().person == survivor
    assert list(licence.investor_people.all()) == [survivor]
    assert EventPerson.objects.get().person == survivor
    assert Source.objects.get(pk=statement.pk).speaker_person == survivor
    assert survivor.alias_list == ["A. Rossi"]
    assert survivor.born == 1950
    assert not Person.objects.filter(pk=loser_pk).exists()


def test_merging_a_technology_moves_stakes_deals_events_and_inventors(client):
    survivor = TechnologyFactory(name="E-Cat", slug="e-cat", stage="unknown")
    loser = TechnologyFactory(name="Energy Catalyzer", slug="energy-catalyzer", aliases="ECat", stage="prototype")
    inventor = PersonFactory()
    loser.inventors.add(inventor)
    owner = OrganizationFactory()
    TechnologyStakeFactory(organization=owner, technology=survivor, kind="owner")
    TechnologyStakeFactory(organization=owner, technology=loser, kind="owner")
    TechnologyStakeFactory(technology=loser, kind="licensee")
    licence = deal("E-Cat licence")
    licence.technologies.add(loser)
    demo = Event.objects.create(title="Demo", slug="demo", kind="demonstration")
    demo.technologies.add(loser)
    article = ArticleFactory()
    article.technologies.add(loser)

    merge_records(loser=loser, survivor=survivor)

    survivor.refresh_from_db()
    assert TechnologyStake.objects.filter(technology=survivor).count() == 2
    assert list(licence.technologies.all()) == [survivor]
    assert list(demo.technologies.all()) == [survivor]
    assert list(article.technologies.all()) == [survivor]
    assert list(survivor.inventors.all()) == [inventor]
    # "ECat" folds to the survivor's own name: not added twice.
    assert survivor.alias_list == ["Energy Catalyzer"]
    assert survivor.stage == "prototype"  # it had none
    assert client.get("/technologies/energy-catalyzer/")["Location"] == "/technologies/e-cat/"


def test_merging_a_source_moves_citations_chains_and_its_old_api_address():
    survivor = SourceFactory(title="IH joins Baishishan", url="https://e-catworld.com/a")
    blog = SourceFactory(title="Vortex-L post")
    loser = SourceFactory(title="IH joins Baishishan (copy)", url="https://www.e-catworld.com/a/", via=blog)
    survivor.via = loser
    survivor.save()
    relayed = SourceFactory(title="Relayed", via=loser)
    article = ArticleFactory()
    article.sources.add(loser, survivor)
    stake = TechnologyStakeFactory()
    stake.sources.add(loser)
    citation = OrganizationCitation.objects.create(subject=OrganizationFactory(), source=loser, fields=["founded"])
    loser_pk = loser.pk

    merge_records(loser=loser, survivor=survivor)

    survivor.refresh_from_db()
    assert survivor.via == blog  # it came via the copy, which came via the post
    assert Source.objects.get(pk=relayed.pk).via == survivor
    assert list(article.sources.all()) == [survivor]
    assert list(stake.sources.all()) == [survivor]
    assert OrganizationCitation.objects.get(pk=citation.pk).source == survivor
    response = client_for().get(f"{API}sources/{loser_pk}/")
    assert response.status_code == 301
    assert response["Location"] == f"{API}sources/{survivor.pk}/"
    assert survivor.history.first().history_change_reason == (
        "merged Example Wire: IH joins Baishishan (copy) into Example Wire: IH joins Baishishan"
    )


def test_a_record_is_never_merged_into_itself_nor_into_another_kind():
    organization = OrganizationFactory()
    with pytest.raises(MergeRefused):
        merge_records(loser=organization, survivor=organization)
    with pytest.raises(MergeRefused):
        merge_records(loser=organization, survivor=PersonFactory())
    assert Organization.objects.filter(pk=organization.pk).exists()


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        (Organization, OrganizationFactory),
        (Person, PersonFactory),
        (Technology, TechnologyFactory),
        (Source, SourceFactory),
    ],
)
def test_an_editor_merges_two_selected_records_from_the_admin(editor_client, model, factory):
    survivor, loser = factory(), factory()
    if model is Organization:
        AffiliationFactory(organization=loser)
    url = changelist(model)
    selected = {"action": "merge_into", "_selected_action": [survivor.pk, loser.pk]}

    choose = editor_client.post(url, {**selected, "index": "0"})
    assert choose.status_code == 200
    html = choose.content.decode()
    assert 'type="radio"' in html and str(survivor) in html and str(loser) in html

    confirm = editor_client.post(url, {**selected, "merge_step": "choose", "survivor": survivor.pk})
    assert confirm.status_code == 200
    assert "Yes, merge" in confirm.content.decode()
    assert ("names become aliases" in confirm.content.decode()) is (model is not Source)
    if model is Organization:
        assert "referred to by 1 affiliation" in confirm.content.decode()
    assert model.objects.count() == 2  # nothing merged before the confirmation

    done = editor_client.post(url, {**selected, "merge_step": "confirm", "survivor": survivor.pk}, follow=True)
    change = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[survivor.pk])
    assert done.redirect_chain[-1][0] == change
    assert f"Merged “{loser}” into “{survivor}”" in done.content.decode()
    assert list(model.objects.values_list("pk", flat=True)) == [survivor.pk]
    history = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[survivor.pk])
    assert f"merged {loser} into {survivor}" in editor_client.get(history).content.decode()


def test_merging_one_record_offers_a_search_for_the_other_and_refuses_itself(editor_client):
    loser = OrganizationFactory(name="IH LLC")
    survivor = OrganizationFactory(name="Industrial Heat")
    url = changelist(Organization)
    selected = {"action": "merge_into", "_selected_action": [loser.pk]}
    choose = editor_client.post(url, {**selected, "index": "0"})
    assert choose.status_code == 200
    assert 'data-ajax--url="/admin/autocomplete/"' in choose.content.decode()

    itself = editor_client.post(url, {**selected, "merge_step": "choose", "survivor": loser.pk})
    assert "A record cannot be merged into itself" in itself.content.decode()
    itself = editor_client.post(url, {**selected, "merge_step": "confirm", "survivor": loser.pk})
    assert itself.status_code == 200
    assert Organization.objects.count() == 2

    done = editor_client.post(url, {**selected, "merge_step": "confirm", "survivor": survivor.pk})
    assert done.status_code == 302
    assert list(Organization.objects.all()) == [survivor]
