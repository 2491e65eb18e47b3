import datetime
from decimal import Decimal

import pytest

from articles.models import Article
from articles.tests.factories import ArticleFactory, SourceFactory, TopicFactory
from investments.tests.factories import InvestmentFactory
from lenrnews.models import Confidence
from lenrnews.tests.query_counts import (
    CHART_QUERY_BUDGET,
    QUERY_BUDGET,
    count_queries,
    queries_with_1_and_50_rows,
)
from organizations.models import Organization
from organizations.tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TechnologyFactory,
    TechnologyStakeFactory,
)

pytestmark = pytest.mark.django_db


def test_organization_list_rows_show_portfolio_and_deal_stats(client, story):
    InvestmentFactory(recipients=[story["heat"]], amount=Decimal("2500000"), announced_on=datetime.date(2016, 5, 1))

    html = client.get("/organizations/").content.decode()

    heat_row = html[html.index(">Industrial Heat</a>") :].split("</article>")[0]
    assert "Company" in heat_row
    assert "United States of America" in heat_row
    assert 'E-Cat</a> <span class="stake-kind">(owner)</span>' in heat_row
    assert "<dt>Deals</dt><dd>2</dd>" in heat_row
    assert "USD 2,500,000" in heat_row
    assert "May 2016" in heat_row
    assert "<strong>4</strong> organizations" in html


def test_filter_by_country_and_kind_gives_the_rows_a_reader_expects(client, story):
    response = client.get("/organizations/?country=US&kind=company")

    names = [o.name for o in response.context["page_obj"]]
    assert names == ["Industrial Heat"]
    assert response.context["result_count"] == 1


def test_several_kinds_and_countries_combine(client, story):
    response = client.get("/organizations/?kind=company&kind=investor&country=US&country=CN")

    assert {o.slug for o in response.context["page_obj"]} == {"industrial-heat", "cherokee"}


def test_active_filters_are_removable_chips_with_clear_all(client, story):
    html = client.get("/organizations/?country=US&kind=company&kind=investor").content.decode()

    assert 'aria-label="Remove filter Kind: Company"' in html
    assert 'href="/organizations/?country=US&amp;kind=investor"' in html  # company removed, the rest kept
    assert 'href="/organizations/?kind=company&amp;kind=investor"' in html  # country removed
    assert "Country: <strong>United States of America</strong>" in html
    assert '<a class="chips__clear" href="/organizations/">Clear all</a>' in html


def test_technology_chip_shows_its_name(client, story):
    html = client.get("/organizations/?technology=e-cat").content.decode()

    assert "Technology: <strong>E-Cat</strong>" in html
    assert "<strong>1</strong> organization matches your filters" in html


def test_pagination_links_keep_the_filters(client):
    OrganizationFactory.create_batch(25, country="DE", kind=Organization.Kind.RESEARCH_LAB)

    html = client.get("/organizations/?country=DE&kind=research_lab").content.decode()

    assert 'href="?country=DE&amp;kind=research_lab&amp;page=2"' in html
    assert "Page 1 of 2" in html
    page_two = client.get("/organizations/?country=DE&kind=research_lab&page=2")
    assert len(page_two.context["page_obj"]) == 5


def test_empty_result_explains_what_to_do(client, story):
    html = client.get("/organizations/?country=FR").content.decode()

    assert "No organizations match these filters." in html
    assert "clear all filters" in html


def test_bad_value_shows_the_error_beside_its_control_and_keeps_the_form(client, story):
    response = client.get("/organizations/?country=US&kind=spaceship")

    assert response.status_code == 400
    html = response.content.decode()
    kind_field = html[html.index('<div class="field field--error">') :].split("</fieldset>")[0]
    assert "spaceship is not one of the available choices" in kind_field
    assert 'value="company"' in kind_field
    assert 'id="filters-heading"' in html


def test_organization_page_shows_portfolio_deals_people_and_articles(client, story):
    ArticleFactory(title="A draft about IH", status=Article.Status.DRAFT).organizations.add(story["heat"])
    story["heat"].parent = OrganizationFactory(name="Heat Holdings")
    story["heat"].save()
    OrganizationFactory(name="Heat Europe", parent=story["heat"])

    html = client.get("/organizations/industrial-heat/").content.decode()

    portfolio = html[html.index('id="portfolio-heading"') : html.index('id="received-heading"')]
    assert ">E-Cat</a>" in portfolio
    assert "Owner" in portfolio
    assert ">2013<" in portfolio
    assert "badge--reported" in portfolio
    assert "self-claim" in portfolio
    assert "Said by: Marianne Macy, Infinite Energy" in portfolio
    assert "Came through: Vortex-L -&gt; E-Cat World" in portfolio
    made = html[html.index('id="made-heading"') : html.index('id="people-heading"')]
    assert "Industrial Heat joins Baishishan park" in made
    assert "badge--rumored" in made
    assert "claim--uncertain" in made
    people = html[html.index('id="people-heading"') : html.index('id="articles-heading"')]
    assert "Tom Darden" in people and "Backer" in people
    assert "Heat Holdings" in html and "Heat Europe" in html
    assert "Industrial Heat transfers LENR technology to China" in html
    assert "A draft about IH" not in html
    assert "Raleigh, North Carolina" in html
    assert "2013" in html


def _organizations_with_everything(count):
    technology = TechnologyFactory()
    for _ in range(count):
        organization = OrganizationFactory()
        TechnologyStakeFactory(organization=organization, technology=technology)
        TechnologyStakeFactory(organization=organization)
        InvestmentFactory(recipients=[organization], investors=[OrganizationFactory()])


@pytest.mark.parametrize("url", ["/organizations/", "/organizations/?country=US&ordering=-total_raised"])
def test_organization_list_runs_a_fixed_number_of_queries(client, url):
    (_, one), (response, fifty) = queries_with_1_and_50_rows(_organizations_with_everything, client.get, url)

    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 20
    assert one == fifty <= QUERY_BUDGET


def _grow_organization(organization, count):
    for _ in range(count):
        source = SourceFactory(via=SourceFactory(via=SourceFactory()))
        stake = TechnologyStakeFactory(organization=organization)
        stake.sources.add(source)
        AffiliationFactory(organization=organization)
        OrganizationFactory(parent=organization)
        deal = InvestmentFactory(recipients=[organization], investors=[OrganizationFactory()])
        deal.technologies.add(stake.technology)
        InvestmentFactory(investors=[organization])
        article = ArticleFactory()
        article.organizations.add(organization)
        article.topics.add(TopicFactory())


def test_organization_page_runs_a_fixed_number_of_queries(client):
    organization = OrganizationFactory(slug="grown", parent=OrganizationFactory())
    (_, one), (response, fifty) = queries_with_1_and_50_rows(
        lambda count: _grow_organization(organization, count), client.get, "/organizations/grown/"
    )

    assert response.status_code == 200
    assert len(response.context["deals_made"]) + len(response.context["deals_received"]) == 50
    assert "Showing the latest 50 deals only" in response.content.decode()
    assert one == fifty <= QUERY_BUDGET + CHART_QUERY_BUDGET  # the charts of the page


def test_technology_list_and_filters(client, story):
    other = TechnologyFactory(name="Hydrino", approach="plasma", stage="concept")
    TechnologyStakeFactory(technology=other, organization=story["park"])

    response = client.get("/technologies/?approach=ni_h")
    assert [t.name for t in response.context["page_obj"]] == ["E-Cat"]
    html = response.content.decode()
    assert "Prototype" in html and "Andrea Rossi" in html and "Industrial Heat" in html

    assert [t.name for t in client.get("/technologies/?holder=industrial-heat").context["page_obj"]] == ["E-Cat"]
    assert [t.name for t in client.get("/technologies/?country=CN").context["page_obj"]] == ["Hydrino"]
    assert [t.name for t in client.get("/technologies/?stage=concept&stage=prototype").context["page_obj"]] == [
        "E-Cat",
        "Hydrino",
    ]


def test_technology_page_shows_holders_deals_and_published_articles(client, story):
    ArticleFactory(title="Scheduled E-Cat story", publish_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC))

    html = client.get("/technologies/e-cat/").content.decode()

    assert "Ni-H" in html and "Prototype" in html and "Andrea Rossi" in html
    holders = html[html.index('id="holders-heading"') : html.index('id="deals-heading"')]
    assert "Industrial Heat" in holders and "Owner" in holders and "badge--reported" in holders
    assert "Industrial Heat joins Baishishan park" in html
    assert "Industrial Heat transfers LENR technology to China" in html
    assert "Scheduled E-Cat story" not in html


def test_technology_pages_run_a_fixed_number_of_queries(client):
    technology = TechnologyFactory(slug="grown")

    def grow(count):
        for _ in range(count):
            TechnologyFactory().inventors.add(PersonFactory())
            stake = TechnologyStakeFactory(technology=technology)
            stake.sources.add(SourceFactory(via=SourceFactory()))
            technology.inventors.add(PersonFactory())
            InvestmentFactory(investors=[OrganizationFactory()]).technologies.add(technology)
            ArticleFactory().technologies.add(technology)

    (counts_one, _), (counts_fifty, _) = queries_with_1_and_50_rows(
        grow, lambda: [count_queries(client.get, url)[1] for url in ("/technologies/", "/technologies/grown/")]
    )

    assert counts_one == counts_fifty
    assert max(counts_fifty) <= QUERY_BUDGET + CHART_QUERY_BUDGET  # the detail page's charts


def test_people_list_filters_and_shows_roles(client, story):
    response = client.get("/people/?organization=industrial-heat")
    assert [p.name for p in response.context["page_obj"]] == ["Tom Darden"]
    html = response.content.decode()
    assert "Backer" in html and "Cherokee Investment Partners" in html

    assert [p.name for p in client.get("/people/?role=ceo").context["page_obj"]] == ["Tom Darden"]
    assert [p.name for p in client.get("/people/?country=IT").context["page_obj"]] == ["Andrea Rossi"]
    assert [p.name for p in client.get("/people/?q=rossi").context["page_obj"]] == ["Andrea Rossi"]


def test_person_page_shows_affiliations_with_dates_and_confidence(client, story):
    AffiliationFactory(
        person=story["rossi"],
        organization=story["heat"],
        role="inventor",
        start=datetime.date(2012, 10, 1),
        start_precision="month",
        end=datetime.date(2016, 1, 1),
        end_precision="year",
        confidence=Confidence.DISPUTED,
    )

    html = client.get("/people/andrea-rossi/").content.decode()

    roles = html[html.index('id="affiliations-heading"') : html.index('id="articles-heading"')]
    assert "Industrial Heat" in roles and "Inventor" in roles
    assert "Oct 2012" in roles and ">2016<" in roles
    assert "badge--disputed" in roles and "claim--uncertain" in roles
    assert "E-Cat" in html  # inventor of
    assert "Industrial Heat transfers LENR technology to China" in html


def test_people_pages_run_a_fixed_number_of_queries(client):
    person = PersonFactory(slug="grown")

    def grow(count):
        for _ in range(count):
            AffiliationFactory(organization=OrganizationFactory()).sources.add(SourceFactory())
            AffiliationFactory(person=person).sources.add(SourceFactory(via=SourceFactory()))
            TechnologyFactory().inventors.add(person)
            InvestmentFactory(investors=[]).investor_people.add(person)
            ArticleFactory().people.add(person)

    (counts_one, _), (counts_fifty, _) = queries_with_1_and_50_rows(
        grow, lambda: [count_queries(client.get, url)[1] for url in ("/people/", "/people/grown/")]
    )

    assert counts_one == counts_fifty
    assert max(counts_fifty) <= QUERY_BUDGET + CHART_QUERY_BUDGET  # the detail page's charts


def test_latest_deal_date_shows_only_as_much_as_is_known(client):
    organization = OrganizationFactory(name="Vague Corp", slug="vague")
    InvestmentFactory(recipients=[organization], announced_on=datetime.date(2012, 5, 1), date_precision="day")
    InvestmentFactory(investors=[organization], announced_on=datetime.date(2013, 1, 1), date_precision="year")

    for url in ["/organizations/", "/organizations/vague/", "/"]:
        html = client.get(url).content.decode()
        assert ">2013</time>" in html or "latest 2013" in html or "<dd>2013</dd>" in html, url
        assert "Jan 2013" not in html, url


def test_every_claim_in_a_listing_shows_its_confidence(client, story):
    organizations = client.get("/organizations/?technology=e-cat").content.decode()
    technologies = client.get("/technologies/").content.decode()
    people = client.get("/people/?q=darden").content.decode()

    def results(html):
        return html.split('class="results"')[1].split("<footer")[0]

    assert "badge--reported" in results(organizations)
    assert "badge--reported" in results(technologies)
    results = results(people)
    assert "badge--confirmed" in results and "badge--reported" in results


def test_has_deals_yes_and_no(client, story):
    with_deals = {o.slug for o in client.get("/organizations/?has_deals=true").context["page_obj"]}
    without = {o.slug for o in client.get("/organizations/?has_deals=false").context["page_obj"]}
    html = client.get("/organizations/?has_deals=true").content.decode()

    assert with_deals == {"industrial-heat", "baishishan-park", "china-government"}
    assert without == {"cherokee"}
    assert "Has deals: <strong>Yes</strong>" in html
    assert '<option value="true" selected>Yes</option>' in html


def test_a_claim_cites_our_published_articles_that_report_it_and_never_a_draft(client):
    stake = TechnologyStakeFactory()
    affiliation = AffiliationFactory(organization=stake.organization)
    public = ArticleFactory(title="Owner of the reactor named")
    draft = ArticleFactory(title="Unpublished scoop", status=Article.Status.DRAFT)
    for claim in (stake, affiliation):
        claim.reported_in.add(public, draft)

    for page in (stake.organization, stake.technology, affiliation.person):
        html = client.get(page.get_absolute_url()).content.decode()
        assert f'Reported in <a href="{public.get_absolute_url()}">Owner of the reactor named</a>' in html
        assert "Unpublished scoop" not in html
