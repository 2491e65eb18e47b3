"""A strict API: what it doesn't know is a 400 naming it; what it returns it accepts back.

Every test runs over the router's resources, so a new endpoint is covered as soon as it
is registered.
"""

import datetime

import pytest
from django.urls import reverse

from investments.models import Investment
from lenrnews.models import DatePrecision
from lenrnews.partial_dates import partial_date_pairs
from lenrnews.tests.admin_forms import admin_form_data, form_errors
from lenrnews.tests.api_support import API, RICH_ROWS, client_for, create_payload, editor
from organizations.tests.factories import OrganizationFactory
from portal.api import router

pytestmark = pytest.mark.django_db

LISTS = [prefix for prefix, _viewset, _basename in router.registry]
RESOURCES = [prefix for prefix in LISTS if prefix in RICH_ROWS]
VIEWSETS: dict = {prefix: viewset for prefix, viewset, _basename in router.registry}


def test_every_resource_of_the_router_has_a_rich_row():
    """The tests below make one of each resource: a new resource needs its row in api_support.RICH_ROWS."""
    assert set(LISTS) - set(RICH_ROWS) == {"deletions"}


def detail_url(resource, row):
    key = row.slug if VIEWSETS[resource].lookup_field == "slug" else row.pk
    return f"{API}{resource}/{key}/"


# --- Query parameters ---


@pytest.mark.parametrize("resource", LISTS)
def test_an_unknown_query_parameter_is_a_400_naming_it_and_listing_the_accepted_ones(resource):
    # No list has a "colour" filter (sources do look up by "url" now: lenrnews/lookups.py).
    response = client_for().get(f"{API}{resource}/", {"colour": "red"})

    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["colour"]
    message = body["colour"][0]
    assert "Unknown parameter" in message
    for accepted in ("page", "page_size", "fields", "omit"):
        assert accepted in message, accepted


def test_the_accepted_list_names_the_lists_own_filters():
    message = client_for().get(f"{API}sources/", {"colour": "x"}).json()["colour"][0]
    assert "q" in message.split(": ", 1)[1].rstrip(".").split(", ")
    assert "updated_since" in message
    assert {"kind", "speaker", "url", "doi"} <= set(message.split(": ", 1)[1].rstrip(".").split(", "))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_name_with_a_percent_sign_is_text_in_the_answer(fmt):
    OrganizationFactory(name="100% Heat")
    for typed in ("%(class)s_claims", "100%", "%s %d"):
        response = client_for().get(f"{API}people/", {"format": fmt, "organization": typed})

        assert response.status_code == 400, typed
        assert f"Nothing is named “{typed}”" in response.json()["organization"][0]


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_format_is_a_400_naming_it(method):
    response = getattr(client_for(editor()), method)(f"{API}stakes/?format=yaml", {}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["format"]
    assert "csv, json" in response.json()["format"][0]


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_detail_takes_no_filters(resource):
    url = detail_url(resource, RICH_ROWS[resource]())
    assert client_for().get(url).status_code == 200

    response = client_for().get(url, {"q": "anything", "utm_source": "newsletter"})

    assert response.status_code == 400
    assert set(response.json()) == {"q", "utm_source"}


def test_a_reader_s_tracking_parameter_never_breaks_a_page(story, client):
    tracking = {"utm_source": "newsletter", "utm_medium": "email", "fbclid": "abc"}
    pages = [
        "/",
        "/articles/",
        "/organizations/",
        "/technologies/",
        "/people/",
        "/investments/",
        "/search/",
        story["article"].get_absolute_url(),
        story["heat"].get_absolute_url(),
        story["baishishan"].get_absolute_url(),
        story["topic"].get_absolute_url(),
    ]
    for page in pages:
        assert client.get(page, tracking).status_code == 200, page


def _filters(resource):
    viewset = VIEWSETS[resource]
    backend = viewset.filter_backends[0]()
    queryset = viewset.filterset_class._meta.model._default_manager.none()
    view = viewset(request=None, kwargs={}, format_kwarg=None, action="list")
    return backend.parameter_names(None, queryset, view)


EMPTY_FILTERS = [(resource, name) for resource in LISTS for name in _filters(resource)]


@pytest.mark.parametrize(("resource", "name"), EMPTY_FILTERS)
def test_an_empty_filter_value_is_no_filter_in_the_api(resource, name):
    if resource in RICH_ROWS:
        RICH_ROWS[resource]()
    everything = client_for().get(f"{API}{resource}/").json()

    response = client_for().get(f"{API}{resource}/?{name}=")

    assert response.status_code == 200, response.content
    assert response.json() == everything


def test_an_empty_value_beside_a_real_one_is_left_out():
    RICH_ROWS["investments"]()
    response = client_for().get(f"{API}investments/?kind=&kind=equity")
    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    "page", ["/organizations/", "/technologies/", "/people/", "/investments/", "/articles/", "/topics/business/"]
)
def test_an_empty_filter_value_is_no_filter_on_the_page(story, client, page):
    everything = client.get(page)
    query = "&".join(f"{name}=" for name in everything.context["filter"].form.fields)

    response = client.get(f"{page}?{query}", follow=True)

    assert response.status_code == 200
    assert [str(row) for row in response.context["object_list"]] == [
        str(row) for row in everything.context["object_list"]
    ]


# --- Fields in a write ---


@pytest.mark.parametrize("resource", RESOURCES)
# Fields no resource has (a stake's ``until`` and a person's ``born`` exist now).
@pytest.mark.parametrize("field", ["valuation", "headcount"])
def test_an_unknown_field_in_a_create_is_a_400_naming_it(resource, field):
    model = VIEWSETS[resource].serializer_class.Meta.model
    before = model._base_manager.count()

    response = client_for(editor()).post(
        f"{API}{resource}/", {**create_payload(resource), field: "1950"}, format="json"
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert "Unknown field" in response.json()[field][0]
    assert model._base_manager.count() == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_unknown_or_changed_read_only_field_in_a_change_is_a_400_naming_it(resource):
    url = detail_url(resource, RICH_ROWS[resource]())
    client = client_for(editor())
    before = client.get(url).json()

    unknown = client.patch(url, {"valuation": "2020", "headcount": 1950}, format="json")
    read_only = client.patch(
        url, {"created_at": "2000-01-01T00:00:00Z", "updated_at": "2000-01-01T00:00:00Z"}, format="json"
    )

    assert unknown.status_code == 400
    assert set(unknown.json()) == {"valuation", "headcount"}
    assert read_only.status_code == 400
    assert set(read_only.json()) == {"created_at", "updated_at"}
    assert "read-only" in read_only.json()["created_at"][0]
    assert client.get(url).json() == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_read_only_field_in_a_create_is_a_400(resource):
    response = client_for(editor()).post(
        f"{API}{resource}/", {**create_payload(resource), "created_at": "2000-01-01T00:00:00Z"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["created_at"]


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_what_a_read_returns_can_be_written_back(resource, method):
    """GET a record, send the whole of it back: accepted, and nothing changes."""
    url = detail_url(resource, RICH_ROWS[resource]())
    client = client_for(editor())
    read = client.get(url).json()

    response = getattr(client, method)(url, read, format="json")

    assert response.status_code == 200, response.content
    written = response.json()
    assert {k: v for k, v in written.items() if k != "updated_at"} == {
        k: v for k, v in read.items() if k != "updated_at"
    }


def test_related_records_are_written_as_read_objects_or_as_keys():
    investment = RICH_ROWS["investments"]()
    client = client_for(editor())
    url = detail_url("investments", investment)
    read = client.get(url).json()
    investors, source = read["investors"], read["sources"][0]

    as_objects = client.patch(url, {"investors": investors[:1], "sources": [source]}, format="json")
    as_keys = client.patch(url, {"investors": [investors[1]["slug"]], "sources": [source["id"]]}, format="json")
    slug_only = client.patch(url, {"recipients": [{"slug": investors[0]["slug"]}]}, format="json")

    assert as_objects.status_code == 200
    assert [o["slug"] for o in as_objects.json()["investors"]] == [investors[0]["slug"]]
    assert as_keys.status_code == 200
    assert [o["slug"] for o in as_keys.json()["investors"]] == [investors[1]["slug"]]
    assert [s["id"] for s in as_keys.json()["sources"]] == [source["id"]]
    assert slug_only.status_code == 200
    assert [o["slug"] for o in slug_only.json()["recipients"]] == [investors[0]["slug"]]
    bad = client.patch(url, {"investors": [{"name": "No slug"}], "sources": [{"title": "No id"}]}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()) == {"investors", "sources"}


# --- Partial dates ---

PARTIAL_DATES = [
    (resource, date, precision)
    for resource in RESOURCES
    for date, precision in partial_date_pairs(VIEWSETS[resource].serializer_class.Meta.model).items()
]


def test_partial_dates_are_found_on_every_model_that_has_them():
    assert {(r, d) for r, d, _p in PARTIAL_DATES} >= {
        ("investments", "announced_on"),
        ("affiliations", "start"),
        ("affiliations", "end"),
        ("stakes", "since"),
        ("stakes", "until"),
        ("events", "occurred_on"),
        ("sources", "published_on"),
    }


@pytest.mark.parametrize(("resource", "date", "precision"), PARTIAL_DATES)
@pytest.mark.parametrize(
    ("typed", "stored", "known_to"),
    [
        ("2015", datetime.date(2015, 1, 1), DatePrecision.YEAR),
        ("2015-05", datetime.date(2015, 5, 1), DatePrecision.MONTH),
        ("2015-05-20", datetime.date(2015, 5, 20), DatePrecision.DAY),
    ],
)
def test_a_partial_date_is_written_as_people_write_it(resource, date, precision, typed, stored, known_to):
    row = RICH_ROWS[resource]()
    client = client_for(editor())
    if date == "end":  # a role cannot end before it starts
        client.patch(detail_url(resource, row), {"start": "2000"}, format="json")

    response = client.patch(detail_url(resource, row), {date: typed}, format="json")

    assert response.status_code == 200, response.content
    row.refresh_from_db()
    assert (getattr(row, date), getattr(row, precision)) == (stored, known_to)
    assert response.json()[date] == stored.isoformat()
    assert response.json()[precision] == known_to


@pytest.mark.parametrize(("resource", "date", "precision"), PARTIAL_DATES)
@pytest.mark.parametrize("typed", ["2015-13", "abc", "2015-02-30", "20150520", "2015/05/20", 2015])
def test_a_date_that_does_not_parse_is_a_400_with_a_hint(resource, date, precision, typed):
    row = RICH_ROWS[resource]()

    response = client_for(editor()).patch(detail_url(resource, row), {date: typed}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [date]
    assert "2015, 2015-05 or 2015-05-20" in response.json()[date][0]


def test_a_precision_may_say_less_than_the_date_never_more():
    deal = RICH_ROWS["investments"]()
    client = client_for(editor())
    url = detail_url("investments", deal)

    less = client.patch(url, {"announced_on": "2015-10-01", "date_precision": "month"}, format="json")
    more = client.patch(url, {"announced_on": "2015", "date_precision": "day"}, format="json")
    cleared = client.patch(url, {"announced_on": None}, format="json")

    assert less.status_code == 200
    assert (less.json()["announced_on"], less.json()["date_display"]) == ("2015-10-01", "Oct 2015")
    assert more.status_code == 400
    assert "gives only a year" in str(more.json())
    assert cleared.status_code == 200
    assert cleared.json()["announced_on"] is None


def test_a_new_deal_takes_a_year_only_date():
    response = client_for(editor()).post(
        f"{API}investments/", {"title": "Sometime in 2012", "kind": "grant", "announced_on": "2012"}, format="json"
    )
    assert response.status_code == 201, response.content
    deal = Investment.objects.get(slug="sometime-in-2012")
    assert (deal.announced_on, deal.date_precision, deal.date_display) == (datetime.date(2012, 1, 1), "year", "2012")


def test_a_new_event_and_a_stake_s_end_take_a_month_only_date():
    client = client_for(editor())
    event = client.post(f"{API}events/", create_payload("events"), format="json")
    stake = client.post(
        f"{API}stakes/", {**create_payload("stakes"), "since": "2012", "until": "2016-04"}, format="json"
    )

    assert event.status_code == 201, event.content
    assert (event.json()["occurred_on"], event.json()["date_precision"]) == ("2017-07-01", "month")
    assert stake.status_code == 201, stake.content
    assert (stake.json()["until"], stake.json()["until_precision"]) == ("2016-04-01", "month")
    assert stake.json()["until_display"] == "Apr 2016"


# --- Partial dates in the admin ---


@pytest.fixture
def deal_form(admin_client):
    deal = RICH_ROWS["investments"]()
    url = reverse("admin:investments_investment_change", args=[deal.pk])
    return deal, url, admin_client.get(url)


@pytest.mark.parametrize(
    ("typed", "stored", "known_to"),
    [
        ("2015", datetime.date(2015, 1, 1), "year"),
        ("2015-05", datetime.date(2015, 5, 1), "month"),
        ("2015-05-20", datetime.date(2015, 5, 20), "day"),
    ],
)
def test_the_admin_takes_a_partial_date_as_typed(admin_client, deal_form, typed, stored, known_to):
    deal, url, page = deal_form

    response = admin_client.post(url, admin_form_data(page, announced_on=typed))

    assert response.status_code == 302, form_errors(response)
    deal.refresh_from_db()
    assert (deal.announced_on, deal.date_precision) == (stored, known_to)
    shown = admin_client.get(url).context["adminform"].form["announced_on"].value()
    assert shown == typed


@pytest.mark.parametrize("typed", ["2015-13", "abc", "2015-02-30"])
def test_the_admin_refuses_a_date_that_does_not_parse_with_a_hint(admin_client, deal_form, typed):
    deal, url, page = deal_form

    response = admin_client.post(url, admin_form_data(page, announced_on=typed))

    assert response.status_code == 200
    assert any("2015, 2015-05 or 2015-05-20" in error for error in form_errors(response))
    deal.refresh_from_db()
    assert deal.announced_on == datetime.date(2015, 10, 20)


def test_the_admin_keeps_a_full_date_with_the_precision_chosen(admin_client, deal_form):
    deal, url, page = deal_form

    month = admin_client.post(url, admin_form_data(page, announced_on="2016-03-01", date_precision="month"))
    refused = admin_client.post(url, admin_form_data(page, announced_on="2016", date_precision="day"))

    assert month.status_code == 302, form_errors(month)
    assert refused.status_code == 200
    assert any("gives only a year" in error for error in form_errors(refused))
    deal.refresh_from_db()
    assert (deal.announced_on, deal.date_precision) == (datetime.date(2016, 3, 1), "month")


def test_an_admin_inline_takes_a_partial_date(admin_client):
    stake = RICH_ROWS["stakes"]()
    url = reverse("admin:organizations_organization_change", args=[stake.organization.pk])
    page = admin_client.get(url)
    data = admin_form_data(page)
    prefix = next(key.removesuffix("-since") for key in data if key.endswith("-since"))
    data[f"{prefix}-since"] = "2019-07"
    data[f"{prefix}-until"] = "2021"

    response = admin_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    stake.refresh_from_db()
    assert (stake.since, stake.since_precision) == (datetime.date(2019, 7, 1), "month")
    assert (stake.until, stake.until_precision) == (datetime.date(2021, 1, 1), "year")


def test_the_event_admin_takes_a_partial_date_as_typed(admin_client):
    """The event page posts its party rows too; its date is typed as the deal's."""
    event = RICH_ROWS["events"]()
    url = reverse("admin:investments_event_change", args=[event.pk])
    page = admin_client.get(url)

    typed = admin_client.post(url, admin_form_data(page, occurred_on="2016-02"))
    refused = admin_client.post(url, admin_form_data(page, occurred_on="2016-02-30"))

    assert typed.status_code == 302, form_errors(typed)
    assert refused.status_code == 200
    assert any("2015, 2015-05 or 2015-05-20" in error for error in form_errors(refused))
    event.refresh_from_db()
    assert (event.occurred_on, event.date_precision) == (datetime.date(2016, 2, 1), "month")
    assert event.organizations.count() == 1, "the party row stays"


def test_a_copy_read_before_the_last_change_is_stale_and_the_answer_of_a_write_is_fresh():
    url = detail_url("organizations", RICH_ROWS["organizations"]())
    client = client_for(editor())
    read = client.get(url).json()
    answer = client.patch(url, {**read, "summary": "First change."}, format="json").json()

    stale = client.patch(url, {**read, "summary": "Second change."}, format="json")
    fresh = client.patch(url, {**answer, "summary": "Second change."}, format="json")

    assert stale.status_code == 400
    assert list(stale.json()) == ["updated_at"]
    assert "stale" in stale.json()["updated_at"][0]
    assert fresh.status_code == 200
    assert fresh.json()["summary"] == "Second change."
