"""The record over time on the pages of organizations, people and technologies: stakes
and roles current and former apart, the sources of profile facts, events, and
uncertain claims drawn as such."""

import datetime
import re
from html import unescape

import pytest

from articles.tests.factories import SourceFactory
from investments.models import Event, EventOrganization, EventPerson
from lenrnews.models import Confidence
from lenrnews.tests.query_counts import QUERY_BUDGET, queries_with_1_and_50_rows
from organizations.models import OrganizationCitation, PersonCitation, Technology, TechnologyCitation
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)

pytestmark = pytest.mark.django_db

YEAR = "year"


def text(html):
    """What a reader reads: tags dropped, entities decoded, white space collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace(" ,", ",").strip()


def between(html, start_id, *end_ids):
    """The HTML from the element with ``start_id`` to the first of ``end_ids`` found after it."""
    start = html.index(f'id="{start_id}"')
    ends = [html.find(f'id="{end_id}"', start) for end_id in end_ids]
    ends = [end for end in ends if end != -1]
    return html[start : min(ends) if ends else len(html)]


def rows_with(html, name):
    """The table rows (``<tr ...>...</tr>``) that name ``name``."""
    return [row for row in re.findall(r"<tr\b.*?</tr>", html, flags=re.S) if f">{name}</a>" in row]


def _year(year):
    return datetime.date(year, 1, 1)


@pytest.fixture
def licensee():
    """An organization with a stake that ended (2012 to 2017), one that ended at an unknown date, and a current one."""
    organization = OrganizationFactory(name="Heat Co", slug="heat-co")
    TechnologyStakeFactory(
        organization=organization,
        technology=TechnologyFactory(name="E-Cat", slug="e-cat"),
        kind="licensee",
        since=_year(2012),
        since_precision=YEAR,
        until=_year(2017),
        until_precision=YEAR,
    )
    TechnologyStakeFactory(
        organization=organization,
        technology=TechnologyFactory(name="Hydrino"),
        kind="owner",
        until_unknown=True,
    )
    TechnologyStakeFactory(
        organization=organization,
        technology=TechnologyFactory(name="QX"),
        kind="developer",
        since=datetime.date(2019, 3, 1),
        since_precision="month",
    )
    return organization


def test_organization_portfolio_shows_current_and_former_stakes_apart(client, licensee):
    html = client.get("/organizations/heat-co/").content.decode()

    current = text(between(html, "portfolio-current-heading", "portfolio-former-heading"))
    former = text(between(html, "portfolio-former-heading", "received-heading"))
    assert "QX Developer, since Mar 2019" in current
    assert "E-Cat" not in current and "Hydrino" not in current
    assert "E-Cat Licensee, 2012 to 2017" in former
    assert "Hydrino Owner, ended, date unknown" in former
    assert "QX" not in former
    assert '<time datetime="2019-03">Mar 2019</time>' in html


def test_technology_page_shows_the_licensee_under_former_holders(client, licensee):
    TechnologyStakeFactory(
        technology=Technology.objects.get(slug="e-cat"), organization=OrganizationFactory(name="Now")
    )

    html = client.get("/technologies/e-cat/").content.decode()

    current = text(between(html, "holders-current-heading", "holders-former-heading"))
    former = text(between(html, "holders-former-heading", "deals-heading"))
    assert "Now Owner" in current and "Heat Co" not in current
    assert "Heat Co Licensee, 2012 to 2017" in former


def test_a_page_with_only_former_stakes_says_none_is_current(client):
    TechnologyStakeFactory(organization=OrganizationFactory(slug="gone"), until=_year(2010), until_precision=YEAR)

    html = client.get("/organizations/gone/").content.decode()

    assert "No current stake recorded." in text(between(html, "portfolio-current-heading", "portfolio-former-heading"))
    assert "until 2010" in text(between(html, "portfolio-former-heading", "received-heading"))


def test_a_stake_ending_in_the_future_is_still_current(client):
    next_year = datetime.date.today().year + 1
    TechnologyStakeFactory(
        organization=OrganizationFactory(slug="lasting"),
        technology=TechnologyFactory(name="Term licence"),
        since=_year(2020),
        since_precision=YEAR,
        until=_year(next_year),
        until_precision=YEAR,
    )

    html = client.get("/organizations/lasting/").content.decode()

    assert f"Term licence Owner, 2020 to {next_year}" in text(
        between(html, "portfolio-current-heading", "received-heading")
    )
    assert 'id="portfolio-former-heading"' not in html


def test_person_roles_are_current_and_former_and_an_unknown_end_is_said(client):
    person = PersonFactory(name="Ann Lee", slug="ann-lee")
    AffiliationFactory(
        person=person,
        organization=OrganizationFactory(name="Now Labs"),
        role="ceo",
        start=_year(2018),
        start_precision=YEAR,
    )
    AffiliationFactory(
        person=person,
        organization=OrganizationFactory(name="Old Labs"),
        role="researcher",
        start=_year(2009),
        start_precision=YEAR,
        end=_year(2014),
        end_precision=YEAR,
    )
    AffiliationFactory(
        person=person, organization=OrganizationFactory(name="Lost Labs"), role="advisor", end_unknown=True
    )

    html = client.get("/people/ann-lee/").content.decode()

    current = text(between(html, "affiliations-current-heading", "affiliations-former-heading"))
    former = text(between(html, "affiliations-former-heading", "events-heading"))
    assert "Now Labs CEO, since 2018" in current
    assert "Old Labs" not in current and "Lost Labs" not in current
    assert "Old Labs Researcher, 2009 to 2014" in former
    assert "Lost Labs Advisor, ended, date unknown" in former


def test_organization_people_are_current_and_former(client):
    organization = OrganizationFactory(slug="labs")
    AffiliationFactory(organization=organization, person=PersonFactory(name="Still Here"))
    AffiliationFactory(
        organization=organization, person=PersonFactory(name="Long Gone"), end=_year(2001), end_precision=YEAR
    )

    html = client.get("/organizations/labs/").content.decode()

    current = text(between(html, "people-current-heading", "people-former-heading"))
    former = text(between(html, "people-former-heading", "articles-heading"))
    assert "Still Here CEO" in current and "Long Gone" not in current
    assert "Long Gone CEO, until 2001" in former


def test_listings_say_a_stake_or_role_has_ended(client, licensee):
    person = PersonFactory(name="Ann Lee")
    AffiliationFactory(person=person, end_unknown=True)

    organizations = text(client.get("/organizations/?q=heat").content.decode())
    people = text(client.get("/people/").content.decode())

    assert "E-Cat (former licensee)" in organizations
    assert "QX (developer)" in organizations
    assert "(ended, date unknown)" in people


def test_disputed_and_denied_stake_and_role_rows_look_uncertain(client):
    organization = OrganizationFactory(slug="unsure")
    TechnologyStakeFactory(
        organization=organization, technology=TechnologyFactory(name="Maybe"), confidence=Confidence.DISPUTED
    )
    TechnologyStakeFactory(
        organization=organization,
        technology=TechnologyFactory(name="Was"),
        confidence=Confidence.DENIED,
        until_unknown=True,
    )
    TechnologyStakeFactory(
        organization=organization, technology=TechnologyFactory(name="Sure"), confidence=Confidence.CONFIRMED
    )
    person = PersonFactory(name="Doubtful", slug="doubtful")
    AffiliationFactory(person=person, organization=organization, confidence=Confidence.DISPUTED)
    AffiliationFactory(person=PersonFactory(name="Certain"), organization=organization, confidence=Confidence.REPORTED)

    html = client.get("/organizations/unsure/").content.decode()
    person_html = client.get("/people/doubtful/").content.decode()

    for row in rows_with(html, "Maybe") + rows_with(html, "Was") + rows_with(html, "Doubtful"):
        assert "claim--uncertain" in row.split(">")[0]
    for row in rows_with(html, "Sure") + rows_with(html, "Certain"):
        assert "claim--uncertain" not in row
    role = rows_with(person_html, organization.name)[0]  # the roles table comes before the timeline
    assert "claim--uncertain" in role.split(">")[0] and "badge--disputed" in role


def test_a_cited_founding_year_shows_its_source(client):
    organization = OrganizationFactory(slug="cited", founded=2012, city="Raleigh")
    registry = SourceFactory(publisher="State registry", kind="registry_filing", url="https://example.org/registry")
    OrganizationCitation.objects.create(subject=organization, source=registry, fields=["founded"], quote="Formed 2012.")
    OrganizationCitation.objects.create(
        subject=organization,
        source=SourceFactory(publisher="Its own site", speaker_organization=organization),
        fields=["founded", "city"],
    )

    html = client.get("/organizations/cited/").content.decode()

    founded = re.search(r"<dt>Founded</dt><dd>(.*?)</dd>", html, flags=re.S).group(1)
    assert founded.startswith("2012")
    assert 'href="#profile-source-1"' in founded and 'href="#profile-source-2"' in founded
    city = re.search(r"<dt>Based in</dt><dd>(.*?)</dd>", html, flags=re.S).group(1)
    assert 'href="#profile-source-2"' in city and 'href="#profile-source-1"' not in city
    first = re.search(r'<li class="source" id="profile-source-1".*?</li>', html, flags=re.S).group(0)
    assert "State registry" in first and "Registry filing" in first
    assert "Supports: founding year" in text(first) and "Formed 2012." in first
    assert "self-claim" not in first
    second = re.search(r'<li class="source" id="profile-source-2".*?</li>', html, flags=re.S).group(0)
    assert "Supports: founding year, city" in text(second)
    assert "self-claim" in second  # the organization's own word about itself


def test_uncited_facts_carry_no_mark_and_no_source_list(client):
    OrganizationFactory(slug="bare", founded=1999, website="https://bare.example")

    html = client.get("/organizations/bare/").content.decode()

    assert "1999" in html
    assert 'class="cite"' not in html and "Sources of these facts" not in html


def test_person_shows_birth_and_death_years_with_their_sources(client):
    person = PersonFactory(slug="late", born=1935, died=2020)
    PersonCitation.objects.create(
        subject=person, source=SourceFactory(publisher="Obituary desk"), fields=["born", "died"]
    )

    html = client.get("/people/late/").content.decode()

    born = re.search(r"<dt>Born</dt><dd>(.*?)</dd>", html, flags=re.S).group(1)
    died = re.search(r"<dt>Died</dt><dd>(.*?)</dd>", html, flags=re.S).group(1)
    assert born.startswith("1935") and 'href="#profile-source-1"' in born
    assert died.startswith("2020") and 'href="#profile-source-1"' in died
    assert "Supports: year of birth, year of death" in text(html)


def test_unknown_stage_and_approach_read_unknown_with_no_source(client):
    technology = TechnologyFactory(slug="vague", stage=Technology.Stage.UNKNOWN, approach=Technology.Approach.UNKNOWN)
    # Even a source naming the stage does not make an unknown stage a fact.
    TechnologyCitation.objects.create(subject=technology, source=SourceFactory(), fields=["stage"])

    html = client.get("/technologies/vague/").content.decode()

    stage = re.search(r"<dt>Stage</dt><dd>(.*?)</dd>", html, flags=re.S).group(1)
    approach = re.search(r"<dt>Approach</dt><dd>(.*?)</dd>", html, flags=re.S).group(1)
    assert text(stage) == "Unknown" and text(approach) == "Unknown"
    assert "<a " not in stage and "<a " not in approach
    assert "?stage=unknown" not in html and "?approach=unknown" not in html
    assert "Unknown" not in text(html[html.index('class="eyebrow"') : html.index("</h1>")])


def test_a_known_stage_links_to_the_listing_and_shows_its_source(client):
    technology = TechnologyFactory(slug="shown", stage=Technology.Stage.PROTOTYPE)
    TechnologyCitation.objects.create(subject=technology, source=SourceFactory(publisher="Test lab"), fields=["stage"])

    html = client.get("/technologies/shown/").content.decode()

    stage = re.search(r"<dt>Stage</dt><dd>(.*?)</dd>", html, flags=re.S).group(1)
    assert "?stage=prototype" in stage and 'href="#profile-source-1"' in stage
    approach = re.search(r"<dt>Approach</dt><dd>(.*?)</dd>", html, flags=re.S).group(1)
    assert 'class="cite"' not in approach


def _event(title, **fields):
    fields.setdefault("kind", Event.Kind.ANNOUNCEMENT)
    return Event.objects.create(title=title, **fields)


def test_entity_pages_list_their_events_latest_first_and_undated_last(client):
    organization = OrganizationFactory(slug="eventful")
    person = PersonFactory(slug="eventful-person")
    technology = TechnologyFactory(slug="eventful-tech")
    events = [
        _event("Undated statement", kind=Event.Kind.STATEMENT),
        _event("Lawsuit filed in Miami", kind=Event.Kind.LAWSUIT_FILED, occurred_on=datetime.date(2016, 4, 5)),
        _event(
            "Licence ended",
            kind=Event.Kind.LICENSE_TERMINATED,
            occurred_on=datetime.date(2017, 7, 1),
            date_precision="month",
            confidence=Confidence.RUMORED,
        ),
    ]
    for event in events:
        EventOrganization.objects.create(event=event, organization=organization, role="defendant")
        EventPerson.objects.create(event=event, person=person)
        event.technologies.add(technology)
    _event("Someone else's news")

    for url in ("/organizations/eventful/", "/people/eventful-person/", "/technologies/eventful-tech/"):
        html = client.get(url).content.decode()
        section = between(html, "events-heading", "people-heading", "articles-heading")
        section = section[: section.index("</section>")]  # the events section only (a timeline may follow)
        assert text(section).index("Licence ended") < text(section).index("Lawsuit filed in Miami")
        assert text(section).index("Lawsuit filed in Miami") < text(section).index("Undated statement")
        assert "Jul 2017" in text(section) and "5 Apr 2016" in text(section) and "Not known" in text(section)
        assert "Licence terminated" in text(section) and "Lawsuit filed" in text(section)
        assert f'href="{events[1].get_absolute_url()}"' in section
        assert "Someone else" not in section
        [rumored] = rows_with(section, "Licence ended")
        assert "claim--uncertain" in rumored.split(">")[0] and "badge--rumored" in rumored
        [reported] = rows_with(section, "Lawsuit filed in Miami")
        assert "claim--uncertain" not in reported


def test_an_event_link_leads_to_its_page(client):
    event = _event("Demo in Ferrara", kind=Event.Kind.DEMONSTRATION)
    EventOrganization.objects.create(event=event, organization=OrganizationFactory(slug="demo-org"))

    html = client.get("/organizations/demo-org/").content.decode()
    url = re.search(r'<a href="([^"]+)">Demo in Ferrara</a>', html).group(1)

    assert client.get(url).status_code == 200


def test_no_events_says_so(client):
    OrganizationFactory(slug="quiet")

    html = client.get("/organizations/quiet/").content.decode()

    assert "No events recorded." in text(between(html, "events-heading", "people-heading"))


# Pages cost the same number of queries whatever they show.


def _grow_profile(organization=None, person=None, technology=None):
    def grow(count):
        for number in range(count):
            source = SourceFactory(via=SourceFactory(via=SourceFactory()))
            ended = (
                {"until": _year(2000 + number % 20), "until_precision": YEAR} if number % 2 else {"until_unknown": True}
            )
            event = _event(f"Event {number} {count}", occurred_on=_year(2000 + number % 20))
            if organization is not None:
                TechnologyStakeFactory(organization=organization).sources.add(source)
                TechnologyStakeFactory(organization=organization, **ended).sources.add(source)
                AffiliationFactory(organization=organization)
                AffiliationFactory(organization=organization, end_unknown=True)
                OrganizationCitation.objects.create(subject=organization, source=source, fields=["founded"])
                EventOrganization.objects.create(event=event, organization=organization)
            if person is not None:
                AffiliationFactory(person=person).sources.add(source)
                AffiliationFactory(person=person, end=_year(2001), end_precision=YEAR).sources.add(source)
                PersonCitation.objects.create(subject=person, source=source, fields=["born"])
                EventPerson.objects.create(event=event, person=person)
            if technology is not None:
                TechnologyStakeFactory(technology=technology).sources.add(source)
                TechnologyStakeFactory(technology=technology, **ended).sources.add(source)
                TechnologyCitation.objects.create(subject=technology, source=source, fields=["stage"])
                event.technologies.add(technology)

    return grow


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/organizations/grown/", lambda: {"organization": OrganizationFactory(slug="grown", founded=2000)}),
        ("/people/grown/", lambda: {"person": PersonFactory(slug="grown", born=1950)}),
        ("/technologies/grown/", lambda: {"technology": TechnologyFactory(slug="grown")}),
    ],
)
def test_entity_pages_cost_the_same_queries_with_1_and_50_rows(client, url, make):
    (_, one), (response, fifty) = queries_with_1_and_50_rows(_grow_profile(**make()), client.get, url)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="profile-source-50"' in html
    assert len(response.context["object"].latest_events) == 50
    assert one == fifty <= QUERY_BUDGET
