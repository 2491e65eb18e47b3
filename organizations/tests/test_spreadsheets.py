"""CSV import of organizations, people and technologies in the admin, and the export of selected rows.

Every import goes through a dry run that shows each row's changes and errors; nothing
is saved unless the whole file is right.
"""

import datetime
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lenrnews.tests.spreadsheets import confirm, csv_bytes, export, import_url, preview, read_csv_response, rows_of
from organizations.models import Organization, Person, Technology
from organizations.tests.factories import OrganizationFactory

ORGANIZATIONS = import_url("organizations", "organization")
PEOPLE = import_url("organizations", "person")
TECHNOLOGIES = import_url("organizations", "technology")
HEADER = ["name", "kind", "country", "city", "founded", "website", "aliases"]


def hundred_organizations():
    rows = [HEADER]
    for n in range(100):
        kind = ["company", "Investor", "research_lab", "University"][n % 4]
        rows.append([f"Lab {n:03}", kind, ["US", "Italy", "cn", "JP"][n % 4], "", str(1980 + n % 40),
                     f"https://lab{n}.example.org", f"L{n}; Lab number {n}"])  # fmt: skip
    return csv_bytes(rows)


@pytest.mark.django_db
def test_a_hundred_organizations_after_a_dry_run(editor_client):
    page = editor_client.get(ORGANIZATIONS)
    assert page.status_code == 200 and b"The columns" in page.content
    assert b"Import CSV" in editor_client.get(reverse("admin:organizations_organization_changelist")).content

    previewed = preview(editor_client, ORGANIZATIONS, hundred_organizations(), "labs.csv")
    assert previewed.status_code == 200
    result = previewed.context["result"]
    assert result.summary == "100 rows: 100 new, 0 changed, 0 unchanged"
    assert not Organization.objects.exists()  # a dry run saves nothing
    line, action, record, changes, errors = rows_of(previewed)[1]
    assert (line, action, record, errors) == (3, "new", "Lab 001", [])
    assert ("kind", "", "investor") in changes and ("country", "", "IT") in changes
    assert b"Dry run of labs.csv: nothing is saved yet" in previewed.content
    assert b"Import 100 rows" in previewed.content

    done = confirm(editor_client, ORGANIZATIONS, previewed)
    assert done.status_code == 302 and done["Location"] == reverse("admin:organizations_organization_changelist")
    assert Organization.objects.count() == 100
    lab = Organization.objects.get(slug="lab-001")
    assert (lab.kind, lab.country.code, lab.founded, lab.alias_list) == ("investor", "IT", 1981, ["L1", "Lab number 1"])
    assert lab.history.first().history_change_reason == "Imported from a CSV file"
    assert LogEntry.objects.filter(object_id=str(lab.pk), change_message="Imported from labs.csv").exists()
    listing = editor_client.get(done["Location"])
    assert b"Imported labs.csv: 100 rows: 100 new, 0 changed, 0 unchanged." in listing.content


@pytest.mark.django_db
def test_rows_match_records_by_slug_name_or_alias_and_show_their_changes(editor_client):
    by_slug = OrganizationFactory(name="Industrial Heat", slug="industrial-heat", city="Raleigh", founded=2012)
    by_name = OrganizationFactory(name="Leonardo Corporation", slug="leonardo", founded=None)
    by_alias = OrganizationFactory(name="Brillouin Energy Corp.", slug="brillouin", aliases="Brillouin\nBEC")
    untouched = OrganizationFactory(name="Cherokee Investment Partners", slug="cherokee", city="Raleigh")
    data = csv_bytes([
        ["slug", "name", "city", "founded", "parent"],
        ["INDUSTRIAL-HEAT", "Industrial Heat", "Raleigh, NC", "2012", "cherokee"],
        ["", "leonardo corporation", "Miami", "2007", ""],
        ["", "bec", "Berkeley", "", ""],
        ["", "Cherokee Investment Partners", "Raleigh", "", ""],
    ])  # fmt: skip
    previewed = preview(editor_client, ORGANIZATIONS, data)
    rows = rows_of(previewed)
    assert rows[0][1] == "update"
    assert rows[0][3] == [("city", "Raleigh", "Raleigh, NC"), ("parent", "(empty)", "Cherokee Investment Partners")]
    # Found by its name whatever the case (or by an alias), a record keeps its name: renaming takes the slug.
    assert rows[1][1:4] == (
        "update",
        "leonardo corporation",
        [("city", "(empty)", "Miami"), ("founded", "(empty)", "2007")],
    )
    assert rows[2][1] == "update" and rows[2][3] == [("city", "(empty)", "Berkeley")]
    assert rows[3][1:4] == ("unchanged", "Cherokee Investment Partners", [])
    assert b"<del>Raleigh</del> \xe2\x86\x92 <ins>Raleigh, NC</ins>" in previewed.content
    confirm(editor_client, ORGANIZATIONS, previewed)
    by_slug.refresh_from_db(), by_name.refresh_from_db(), by_alias.refresh_from_db()
    assert (by_slug.city, by_slug.parent) == ("Raleigh, NC", untouched)
    assert (by_name.name, by_name.city, by_name.founded) == ("Leonardo Corporation", "Miami", 2007)
    assert (by_alias.name, by_alias.city) == ("Brillouin Energy Corp.", "Berkeley")
    assert Organization.objects.count() == 4
    assert untouched.history.count() == 1  # an unchanged row writes nothing


@pytest.mark.django_db
def test_rows_with_errors_are_shown_and_nothing_is_saved(editor_client):
    OrganizationFactory(name="Leonardo Corporation", slug="leonardo-corp", aliases="Leonardo")
    OrganizationFactory(name="Leonardo S.p.A.", slug="leonardo-spa", aliases="Leonardo")
    data = csv_bytes([
        ["name", "kind", "country", "founded", "dissolved", "parent", "website"],
        ["Good Lab", "company", "US", "2000", "", "", ""],
        ["Bad Kind", "spaceship", "US", "", "", "", ""],
        ["Bad Country", "company", "Atlantis", "", "", "", ""],
        ["Backwards", "company", "US", "2010", "2001", "", ""],
        ["Orphan", "company", "US", "", "", "Nobody Inc", ""],
        ["Leonardo", "company", "IT", "", "", "", ""],
        ["Bad Year", "company", "US", "nineteen", "", "", "not a url"],
        ["Good Lab", "company", "US", "2000", "", "", ""],
    ])  # fmt: skip
    previewed = preview(editor_client, ORGANIZATIONS, data)
    errors = {line: errs for line, _, _, _, errs in rows_of(previewed)}
    assert errors[2] == []
    assert errors[3] == ["kind: “spaceship” is not one of: company, investor, research_lab, university, government, "
                         "media, technology_park, nonprofit"]  # fmt: skip
    assert errors[4] == ["country: “Atlantis” is not a country (give its two-letter ISO code, e.g. US, or its name)"]
    assert errors[5] == ["An organization cannot be dissolved before it was founded."]
    assert errors[6] == ["parent: no organization is called “Nobody Inc” (by slug, name or alias)"]
    assert errors[7] == [
        "“Leonardo” names several organizations: Leonardo Corporation (leonardo-corp), Leonardo S.p.A. "
        "(leonardo-spa); add a slug column"
    ]
    assert errors[8] == ["founded: “nineteen” is not a whole number"]
    assert errors[9] == ["it is the same organization as line 2"]
    assert previewed.context["result"].summary == "8 rows: 1 new, 0 changed, 0 unchanged, 7 with errors"
    assert "payload" not in previewed.context
    assert b"Nothing is imported until every row is right" in previewed.content
    assert b'name="payload"' not in previewed.content
    assert Organization.objects.count() == 2


@pytest.mark.django_db
def test_a_file_that_went_wrong_after_its_preview_saves_nothing(editor_client):
    data = csv_bytes([["name", "slug"], ["First Lab", ""], ["Second Lab", "second"]])
    previewed = preview(editor_client, ORGANIZATIONS, data)
    assert "payload" in previewed.context
    OrganizationFactory(name="Someone Else", slug="second", aliases="Second Lab")  # made meanwhile
    response = confirm(editor_client, ORGANIZATIONS, previewed)
    assert response.status_code == 302  # the second row now updates the record with that slug
    assert Organization.objects.get(slug="second").name == "Second Lab"

    parent = OrganizationFactory(name="Cherokee Investment Partners", slug="cherokee")
    data = csv_bytes([["name", "parent"], ["Third Lab", ""], ["Fourth Lab", "Cherokee"]])
    previewed = preview(editor_client, ORGANIZATIONS, data)
    assert "payload" in previewed.context
    parent.delete()  # the parent the last row names is gone
    response = confirm(editor_client, ORGANIZATIONS, previewed)
    assert response.status_code == 400
    assert b"Nothing was imported: since the preview, some rows stopped being right." in response.content
    assert not Organization.objects.filter(name="Third Lab").exists()
    assert rows_of(response)[1][4] == ["parent: no organization is called “Cherokee” (by slug, name or alias)"]


@pytest.mark.django_db
def test_a_forged_or_stale_confirmation_is_refused(editor_client, time_machine):
    previewed = preview(editor_client, ORGANIZATIONS, csv_bytes([["name"], ["Real Lab"]]))
    forged = previewed.context["payload"][:-3] + "abc"
    response = editor_client.post(ORGANIZATIONS, {"payload": forged})
    assert response.status_code == 400 and b"could not be read back" in response.content
    response = editor_client.post(PEOPLE, {"payload": previewed.context["payload"]})
    assert response.status_code == 400 and b"of another list or another person" in response.content
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=2))
    response = confirm(editor_client, ORGANIZATIONS, previewed)
    assert response.status_code == 400 and b"more than an hour old" in response.content
    assert not Organization.objects.exists() and not Person.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (csv_bytes([["name", "colour"], ["A Lab", "red"]]), "has columns this import does not know: “colour”"),
        (csv_bytes([["title", "kind"], ["A Lab", "company"]]), "“title” and no “name” column. Its first line"),
        (csv_bytes([["name", "kind", "Name"], ["A", "company", "B"]]), "has the column name more than once"),
        (csv_bytes([["name", "city"], ["Laboratoire Électrique", "Genève"]], "latin-1"),
         "records.csv is not UTF-8 text: line 2 has the byte 0xC9"),
        (csv_bytes([["name", "city"], ["Lab", "Zürich"]], "utf-16"), "records.csv is UTF-16 text"),
        (b"name;kind;country\nLab;company;US\n", "separates its columns with semicolons or tabs"),
        (b"", "records.csv is empty."),
        (b"name\n", "has its column names but no rows"),
        (b'name,city\n"Unclosed lab,Rome\n', "is not valid CSV near line"),
        (b"PK\x03\x04\x14\x00\x06\x00", "is a spreadsheet workbook (or a zip archive), not CSV"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read_gets_a_clear_message_and_saves_nothing(editor_client, data, message):
    response = preview(editor_client, ORGANIZATIONS, data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert "result" not in response.context
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_a_file_too_large_is_refused_before_it_is_read(editor_client, settings):
    settings.SPREADSHEET_IMPORT_MAX_BYTES = 2000
    response = preview(editor_client, ORGANIZATIONS, hundred_organizations())
    assert "records.csv is 7.2 KB; an import takes at most 2.0 KB (setting SPREADSHEET_IMPORT_MAX_BYTES)" in " ".join(
        response.context["form"].errors["file"]
    )
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_only_those_who_may_add_and_change_import(writer_client):
    assert writer_client.get(ORGANIZATIONS).status_code == 403
    listing = writer_client.get(reverse("admin:organizations_organization_changelist"))
    assert b"Import CSV" not in listing.content


@pytest.mark.django_db
def test_people_and_technologies_with_their_inventors(editor_client):
    rows = [
        ["name", "aliases", "country", "born"],
        ["Andrea Rossi", "Rossi", "IT", "1950"],
        ["Francesco Piantelli", "", "Italy", ""],
    ]
    confirm(editor_client, PEOPLE, preview(editor_client, PEOPLE, csv_bytes(rows)))
    assert Person.objects.get(slug="andrea-rossi").born == 1950
    data = csv_bytes([
        ["name", "aliases", "approach", "stage", "inventors"],
        ["E-Cat", "ECat; Energy Catalyzer", "Ni-H", "prototype", "rossi"],
        ["Nickel-hydrogen cell", "", "ni_h", "", "Francesco Piantelli; Andrea Rossi"],
        ["Ghost", "", "", "", "Nobody"],
    ])  # fmt: skip
    previewed = preview(editor_client, TECHNOLOGIES, data)
    rows = rows_of(previewed)
    assert ("inventors", "", "Andrea Rossi") in rows[0][3]
    assert rows[2][4] == ["inventors: no person is called “Nobody” (by slug, name or alias)"]
    data = csv_bytes([row for row in csv_bytes_rows(data)][:3])
    confirm(editor_client, TECHNOLOGIES, preview(editor_client, TECHNOLOGIES, data))
    e_cat = Technology.objects.get(slug="e-cat")
    assert (e_cat.approach, e_cat.stage, e_cat.alias_list) == ("ni_h", "prototype", ["ECat", "Energy Catalyzer"])
    assert [p.name for p in e_cat.inventors.all()] == ["Andrea Rossi"]
    cell = Technology.objects.get(slug="nickel-hydrogen-cell")
    assert cell.stage == Technology.Stage.UNKNOWN  # an empty cell where the field cannot be empty: the default
    assert {p.name for p in cell.inventors.all()} == {"Andrea Rossi", "Francesco Piantelli"}


def csv_bytes_rows(data):
    import csv

    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


# --- Export -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_of_the_selected_rows_as_csv_imports_again_unchanged(editor_client):
    parent = OrganizationFactory(name="Cherokee Investment Partners", slug="cherokee")
    chosen = OrganizationFactory(name="Industrial Heat", slug="industrial-heat", parent=parent, aliases="IH\nIHLLC")
    formula = OrganizationFactory(name='=HYPERLINK("https://evil.example")', slug="formula")
    OrganizationFactory(name="Not chosen", slug="not-chosen")
    listing = reverse("admin:organizations_organization_changelist")
    response = export(editor_client, listing, "export_selected_csv", [chosen.pk, formula.pk, parent.pk])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="organization-')
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = read_csv_response(response)
    assert rows[0] == ["slug", "name", "aliases", "kind", "country", "city", "founded", "dissolved", "website",
                       "summary", "description", "parent", "notes"]  # fmt: skip
    by_slug = {row[0]: row for row in rows[1:]}
    assert set(by_slug) == {"industrial-heat", "formula", "cherokee"}
    assert by_slug["industrial-heat"][2] == "IH; IHLLC" and by_slug["industrial-heat"][11] == "cherokee"
    assert by_slug["formula"][1] == '\'=HYPERLINK("https://evil.example")'  # never run as a formula

    again = preview(editor_client, ORGANIZATIONS, response.content, "organizations.csv")
    assert again.context["result"].summary == "3 rows: 0 new, 0 changed, 3 unchanged"


@pytest.mark.django_db
def test_export_of_the_selected_rows_as_a_spreadsheet(editor_client):
    chosen = OrganizationFactory(name="Industrial Heat", slug="industrial-heat", founded=2012)
    formula = OrganizationFactory(name="=1+1", slug="formula")
    OrganizationFactory(name="Not chosen", slug="not-chosen")
    listing = reverse("admin:organizations_organization_changelist")
    response = export(editor_client, listing, "export_selected_xlsx", [chosen.pk, formula.pk])
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["slug", "name", "aliases"]
    assert sorted(row[0] for row in rows[1:]) == ["formula", "industrial-heat"]
    heat = next(row for row in rows if row[0] == "industrial-heat")
    assert heat[6] == 2012  # a number, not text
    cell = next(row for row in sheet.iter_rows() if row[0].value == "formula")[1]
    assert cell.value == "=1+1" and cell.data_type == "s"  # text, not a formula
