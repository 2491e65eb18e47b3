"""The newsroom's journey in a real browser: a writer drafts and submits, an editor
previews, publishes; the reader sees the article with its mentions linked.

Skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1.
"""

import pytest

from articles.models import Article
from organizations.tests.factories import OrganizationFactory, PersonFactory

PASSWORD = "correct-horse-battery-staple"

pytestmark = pytest.mark.browser


def log_in(browser, live_server, username):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    return context, page


def test_writer_submits_editor_previews_and_publishes(live_server, browser, writer, editor):
    from playwright.sync_api import expect

    OrganizationFactory(name="Industrial Heat", slug="industrial-heat", aliases="IH")
    PersonFactory(name="Andrea Rossi", slug="andrea-rossi", aliases="Rossi")

    writer_context, page = log_in(browser, live_server, writer.username)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    expect(page.locator("#id_status option")).to_have_text(["Draft", "In review"])
    page.fill("#id_title", "IH signs with Baishishan")
    page.fill("#id_body", "IH, which holds the rights to Rossi's E-Cat, signed an agreement.")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "submit_for_review")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("1 article(s) submitted for review")
    writer_context.close()

    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW
    public_url = f"{live_server.url}{article.get_absolute_url()}"

    editor_context, page = log_in(browser, live_server, editor.username)
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.click("text=Waiting for review (1)")
    page.click("text=IH signs with Baishishan")
    preview = page.locator(".object-tools a", has_text="Preview").get_attribute("href")
    page.goto(f"{live_server.url}{preview}")
    expect(page.locator(".preview-banner")).to_contain_text("in review")
    expect(page.locator("h1")).to_have_text("IH signs with Baishishan")
    assert page.goto(public_url).status == 404

    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    editor_context.close()

    reader = browser.new_context().new_page()
    assert reader.goto(public_url).status == 200
    expect(reader.locator(".article__body a.mention").first).to_have_text("IH")
    expect(reader.locator(".article__body a.mention")).to_have_count(2)
    reader.context.close()
