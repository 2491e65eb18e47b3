"""The editor's desk in a real browser, under a strict script policy (script-src 'self'):
typing shows the preview and the word count, a reload without saving offers the kept
text, a save forgets it; the dashboard shows the review queue.

Skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1.
"""

import pytest

from articles.models import Article
from articles.services import article_submit_for_review
from articles.tests.factories import ArticleFactory

PASSWORD = "correct-horse-battery-staple"
STRICT_SCRIPTS = "script-src 'self'; object-src 'none'; base-uri 'none'"

pytestmark = pytest.mark.browser


def log_in(browser, live_server, username):
    """A signed-in page whose admin responses carry a strict Content-Security-Policy."""
    context = browser.new_context()

    from playwright.sync_api import Error as PlaywrightError

    def with_policy(route):
        # Pages only: images and scripts need no policy, and a late one may outlive the page.
        if route.request.resource_type != "document":
            route.continue_()
            return
        try:
            response = route.fetch()
            route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_SCRIPTS})
        except PlaywrightError:
            pass  # the page was closed while the response was on its way

    context.route("**/admin/**", with_policy)
    page = context.new_page()
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    return context, page, violations


def test_typing_shows_the_preview_and_count_and_a_reload_offers_the_unsaved_text(live_server, browser, editor):
    from playwright.sync_api import expect

    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title="IH and the park", body="Saved text.")
    context, page, violations = log_in(browser, live_server, editor.username)
    change = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    page.goto(change)
    expect(page.locator(".md-editor__preview-body")).to_have_text("Saved text.")
    expect(page.locator(".md-editor__counts")).to_have_text("2 words · 1 min read")

    typed = "## The deal\n\nIH **signed** with the park. <script>alert(1)</script>"
    page.fill("#id_body", "")
    page.locator("#id_body").press_sequentially(typed)
    expect(page.locator(".md-editor__preview-body h2")).to_have_text("The deal")
    expect(page.locator(".md-editor__preview-body strong")).to_have_text("signed")
    expect(page.locator(".md-editor__preview-body script")).to_have_count(0)
    expect(page.locator(".md-editor__counts")).to_have_text("11 words · 1 min read")

    page.reload()  # the tab closed without saving
    expect(page.locator("#id_body")).to_have_value("Saved text.")
    offer = page.locator(".md-editor__offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("not saved")
    offer.get_by_role("button", name="Restore it").click()
    expect(offer).to_be_hidden()
    expect(page.locator("#id_body")).to_have_value(typed)
    expect(page.locator(".md-editor__preview-body strong")).to_have_text("signed")

    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.reload()
    expect(page.locator(".md-editor__offer")).to_be_hidden()
    article.refresh_from_db()
    assert article.body.startswith("## The deal")
    assert violations == []
    context.close()


def test_a_new_articles_text_is_kept_until_it_is_saved(live_server, browser, writer):
    from playwright.sync_api import expect

    context, page, violations = log_in(browser, live_server, writer.username)
    add = f"{live_server.url}/admin/articles/article/add/"
    page.goto(add)
    page.fill("#id_title", "Rossi answers")
    page.locator("#id_body").press_sequentially("Rossi answered the critics.")
    expect(page.locator(".md-editor__counts")).to_have_text("4 words · 1 min read")

    page.goto(add)
    page.get_by_role("button", name="Discard it").click()
    expect(page.locator(".md-editor__offer")).to_be_hidden()
    page.goto(add)
    expect(page.locator(".md-editor__offer")).to_be_hidden()  # discarded for good

    page.fill("#id_title", "Rossi answers")
    page.locator("#id_body").press_sequentially("Second go.")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.goto(add)
    expect(page.locator(".md-editor__offer")).to_be_hidden()  # saved: nothing to offer
    assert violations == []
    context.close()


def test_the_dashboard_shows_the_editor_the_review_queue_and_a_notice(live_server, browser, editor, writer):
    from playwright.sync_api import expect

    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title="Baishishan signs", author=writer)
    article_submit_for_review(article=article, user=writer)

    context, page, violations = log_in(browser, live_server, editor.username)
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#panel-review")).to_contain_text("Waiting for review (1)")
    expect(page.locator("#panel-review")).to_contain_text("Baishishan signs")
    notices = page.locator(".desk-notices")
    expect(notices).to_contain_text("submitted “Baishishan signs” for review.")
    notices.get_by_role("button", name="Dismiss").click()
    expect(page.locator(".desk-notices")).to_have_count(0)
    expect(page.locator("#recent-changes-module")).to_contain_text("Baishishan signs")
    page.click("#panel-review >> text=Baishishan signs")
    expect(page.locator("#id_title")).to_have_value("Baishishan signs")
    assert violations == []
    context.close()
