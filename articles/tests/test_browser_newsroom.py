"""The newsroom tools end to end, in a real browser against a live server: a writer files an
illustrated article (lead image uploaded, an inline image pasted in, the preview beside the
body), the editor is told, publishes it from the dashboard, and readers see the pictures in
every size and the byline; an editor imports organizations from a CSV file after a dry run.

Skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1.
"""

import re
from urllib.parse import urljoin

import pytest
from django.core import mail
from PIL import Image as PILImage

from articles.models import Article
from articles.tests.test_browser_workflow import log_in
from lenrnews.tests.spreadsheets import csv_bytes
from organizations.models import Organization

pytestmark = pytest.mark.browser

TITLE = "Baishishan park signs with IH"


@pytest.fixture(autouse=True)
def _site_on_the_live_server(settings, live_server, tmp_path):
    """Uploads go to this test's folder; absolute addresses (og:image, mail links) name the live server."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url


def browser_errors(context):
    """What the browser reports as errors in ``context``'s pages, popups included: a script the
    Content-Security-Policy refused, a file that did not load, an exception."""
    errors = []
    context.on("console", lambda message: message.type == "error" and errors.append(message.text))
    context.on("weberror", lambda error: errors.append(str(error.error)))
    return errors


def signed_in(browser, live_server, user):
    """A page signed in as ``user``, and the browser's errors from then on.

    Not test_browser_editor's ``log_in``, which re-sends each admin page's request through a
    route to swap its policy: Playwright drops the file of a multipart POST sent that way. The
    pages here answer under the site's own Content-Security-Policy.
    """
    context, page = log_in(browser, live_server, user.username)
    return context, page, browser_errors(context)


def picture(tmp_path, name, fmt, size, colour):
    """A real image file, as a writer's camera or chart tool would leave it."""
    path = tmp_path / name
    PILImage.new("RGB", size, colour).save(path, fmt)
    return path


def upload_image(page, live_server, path, alt):
    """Upload a picture on the admin's Images page; return the Markdown line its page offers to paste."""
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/admin/articles/image/add/")
    page.set_input_files("#id_upload", path)
    page.fill("#id_alt", alt)
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    return page.locator(".field-markdown_snippet code").inner_text()


def add_lead_image(page, path, alt):
    """Upload the lead image through the "+" beside the field: a popup that picks it when saved."""
    from playwright.sync_api import expect

    with page.expect_popup() as opened:
        page.click("#add_id_lead_image")
    popup = opened.value
    popup.set_input_files("#id_upload", path)
    popup.fill("#id_alt", alt)
    with popup.expect_event("close"):
        popup.click("input[name=_save]")
    expect(page.locator("#id_lead_image option:checked")).to_have_text(alt)


def assert_shown(image):
    """The <img> loaded and decoded in the browser (a broken image rejects ``decode()``)."""
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0


def srcset_urls(srcset):
    return [candidate.split()[0] for candidate in srcset.split(",")]


def assert_served_as_image(page, url):
    response = page.request.get(urljoin(page.url, url))
    assert response.status == 200, url
    assert response.headers["content-type"].startswith("image/"), (url, response.headers["content-type"])


def writer_files_the_article(browser, live_server, writer, tmp_path):
    """The writer uploads an inline picture, writes the article with a lead image and submits it."""
    from playwright.sync_api import expect

    context, page, errors = signed_in(browser, live_server, writer)
    chart = picture(tmp_path, "chart.jpg", "JPEG", (800, 400), (30, 90, 160))
    snippet = upload_image(page, live_server, chart, "The park's heat output, by month")
    assert snippet.startswith("![The park's heat output, by month](/media/images/")

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", TITLE)
    add_lead_image(page, picture(tmp_path, "park.png", "PNG", (1000, 500), (200, 80, 40)), "The park's gate")

    page.locator("#id_body").press_sequentially("## The deal\n\nIH **signed** with the park.\n\n")
    preview = page.locator(".md-editor__preview-body")
    expect(preview.locator("h2")).to_have_text("The deal")
    expect(preview.locator("strong")).to_have_text("signed")
    page.locator("#id_body").press_sequentially(snippet)  # the image appears with the last keystroke
    inline = preview.locator("img")
    expect(inline).to_have_attribute("alt", "The park's heat output, by month")
    assert_shown(inline)

    page.select_option("#id_status", "review")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert errors == []
    context.close()
    return snippet


def editor_publishes_from_the_dashboard(browser, live_server, editor):
    from playwright.sync_api import expect

    context, page, errors = signed_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/")
    review = page.locator("#panel-review")
    expect(review).to_contain_text("Waiting for review (1)")
    expect(page.locator(".desk-notices")).to_contain_text(f"submitted “{TITLE}” for review.")
    review.get_by_role("link", name=TITLE).click()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert errors == []
    context.close()


def reader_sees_the_pictures(reader, live_server):
    """The lead image in every size (WebP first), the shared og:image and the inline image, all served."""
    from playwright.sync_api import expect

    lead = reader.locator(".lead-image picture")
    webp = lead.locator('source[type="image/webp"]').get_attribute("srcset")
    assert [url.rsplit("/", 1)[1] for url in srcset_urls(webp)] == ["320.webp", "640.webp", "960.webp", "1000.webp"]
    lead_img = lead.locator("img")
    expect(lead_img).to_have_attribute("alt", "The park's gate")
    fallback = lead_img.get_attribute("srcset")
    assert [url.rsplit("/", 1)[1] for url in srcset_urls(fallback)] == ["320.png", "640.png", "960.png", "1000.png"]
    assert_shown(lead_img)
    assert lead_img.evaluate("img => img.currentSrc").endswith(".webp")  # Chromium takes the WebP rendition

    og_image = reader.locator('meta[property="og:image"]').get_attribute("content")
    assert og_image.startswith(f"{live_server.url}/media/images/")

    inline = reader.locator(".article__body img")
    expect(inline).to_have_attribute("alt", "The park's heat output, by month")
    assert_shown(inline)

    images = [og_image, inline.get_attribute("src"), lead_img.get_attribute("src"), *srcset_urls(webp)]
    for url in [*images, *srcset_urls(fallback)]:
        assert_served_as_image(reader, url)


def reader_follows_the_byline(reader, live_server, article, writer):
    """The byline prints the writer's name (never the login) and leads to the author's page, which lists it."""
    from playwright.sync_api import expect

    name = writer.get_full_name()
    byline = reader.locator(".article__header a[rel=author]")
    expect(byline).to_have_text(name)
    assert writer.username not in reader.locator(".article__header").inner_text()
    byline.click()
    expect(reader).to_have_url(f"{live_server.url}/authors/{article.authors.get().slug}/")
    expect(reader.locator("h1")).to_have_text(name)
    card = reader.locator(".article-card", has_text=TITLE)
    expect(card.get_by_role("link", name=TITLE)).to_have_attribute("href", article.get_absolute_url())
    expect(card.locator("img")).to_have_attribute("loading", "lazy")  # a list's pictures wait to be scrolled to
    expect(card.locator('source[type="image/webp"]')).to_have_attribute("srcset", re.compile(r"/320\.webp 320w"))


def test_a_writer_files_an_illustrated_article_the_editor_publishes_and_readers_see_it(
    live_server, browser, writer, editor, tmp_path, settings
):
    writer.email, editor.email = "wendy@example.org", "eddie@example.org"
    writer.save()
    editor.save()

    snippet = writer_files_the_article(browser, live_server, writer, tmp_path)
    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW
    assert article.lead_image.alt == "The park's gate"
    assert snippet in article.body
    told = [message for message in mail.outbox if message.to == [editor.email]]
    assert [message.subject for message in told] == [f"[{settings.SITE_NAME}] Submitted for review: {TITLE}"]
    assert f"{live_server.url}/admin/articles/article/{article.pk}/change/" in told[0].body

    editor_publishes_from_the_dashboard(browser, live_server, editor)
    article.refresh_from_db()
    assert article.is_public
    told = [message.subject for message in mail.outbox if message.to == [writer.email]]
    assert told == [f"[{settings.SITE_NAME}] Published: {TITLE}"]

    reader_context = browser.new_context()
    errors = browser_errors(reader_context)
    reader = reader_context.new_page()
    assert reader.goto(f"{live_server.url}{article.get_absolute_url()}").status == 200
    reader_sees_the_pictures(reader, live_server)
    reader_follows_the_byline(reader, live_server, article, writer)
    assert errors == []
    reader_context.close()


def open_the_import(browser, live_server, editor):
    context, page, errors = signed_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/organizations/organization/")
    page.get_by_role("link", name="Import CSV").click()
    return context, page, errors


def test_an_editor_imports_100_organizations_after_a_dry_run(live_server, browser, editor, tmp_path):
    from playwright.sync_api import expect

    names = [f"Cold Fusion Lab {n:03}" for n in range(1, 101)]
    path = tmp_path / "organizations.csv"
    path.write_bytes(
        csv_bytes([["name", "kind", "country", "city"], *([name, "company", "US", "Austin"] for name in names)])
    )

    context, page, errors = open_the_import(browser, live_server, editor)
    page.set_input_files("#id_file", path)
    page.click("text=Preview the import")
    expect(page.locator("#preview-heading")).to_have_text("Dry run of organizations.csv: nothing is saved yet")
    expect(page.locator(".import-summary")).to_have_text("100 rows: 100 new, 0 changed, 0 unchanged.")
    rows = page.locator(".import-preview tbody tr")
    expect(rows).to_have_count(100)
    expect(rows.first).to_contain_text("Cold Fusion Lab 001")
    expect(rows.last).to_contain_text("Cold Fusion Lab 100")
    assert not Organization.objects.exists()  # a dry run

    page.click("input[value='Import 100 rows']")
    expect(page.locator(".messagelist")).to_contain_text("Imported organizations.csv: 100 rows: 100 new")
    assert sorted(Organization.objects.values_list("name", flat=True)) == names
    assert errors == []
    context.close()


def test_a_file_with_the_wrong_columns_is_refused_and_saves_nothing(live_server, browser, editor, tmp_path):
    from playwright.sync_api import expect

    path = tmp_path / "companies.csv"
    path.write_bytes(csv_bytes([["title", "type", "nation"], ["Cold Fusion Lab", "company", "US"]]))

    context, page, errors = open_the_import(browser, live_server, editor)
    page.set_input_files("#id_file", path)
    page.click("text=Preview the import")
    error = page.locator(".import-upload .errorlist")
    expect(error).to_contain_text("companies.csv has columns this import does not know: “title”, “type”, “nation”")
    expect(error).to_contain_text("no “name” column")
    expect(page.locator(".import-preview")).to_have_count(0)
    expect(page.locator(".import-confirm")).to_have_count(0)
    assert not Organization.objects.exists()
    assert errors == []
    context.close()
