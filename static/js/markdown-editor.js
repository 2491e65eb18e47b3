/*
 * The article body's editor in the admin (articles.admin.MarkdownEditorWidget).
 *
 * - Live preview: the text is sent, a moment after the last keystroke, to the admin's
 *   preview endpoint, which renders it with the public page's renderer and sanitizer;
 *   the answer also carries the word count and reading time.
 * - Autosave: text not yet saved is kept in this browser (localStorage, one entry per
 *   article id or "new"); opening the article again offers to restore it. After a
 *   successful save the server names the article in a short-lived cookie and the entry
 *   is forgotten.
 *
 * Works under a strict Content-Security-Policy (script-src 'self'): no inline script,
 * no eval, no inline event handlers; everything it needs is in data- attributes.
 */
(function () {
    "use strict";

    var PREVIEW_DELAY_MS = 300;
    var STORE_PREFIX = "lenrnews:article-body:";
    var SAVED_COOKIE = "lenrnews_article_saved";

    function storage() {
        try {
            return window.localStorage;
        } catch (error) {
            return null; // storage disabled: the editor works, nothing is kept
        }
    }

    function forgetSavedArticles() {
        var match = document.cookie.match(new RegExp("(?:^|;\\s*)" + SAVED_COOKIE + "=([^;]*)"));
        if (!match) {
            return;
        }
        var store = storage();
        if (store) {
            store.removeItem(STORE_PREFIX + decodeURIComponent(match[1]));
        }
        document.cookie = SAVED_COOKIE + "=; Max-Age=0; path=/; SameSite=Lax";
    }

    function readKept(store, key) {
        if (!store) {
            return null;
        }
        try {
            var kept = JSON.parse(store.getItem(key) || "null");
            return kept && typeof kept.text === "string" ? kept : null;
        } catch (error) {
            return null;
        }
    }

    function csrfToken(form) {
        var input = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : null;
        return input ? input.value : "";
    }

    function setUp(editor) {
        var textarea = editor.querySelector("textarea");
        var preview = editor.querySelector(".md-editor__preview-body");
        var counts = editor.querySelector(".md-editor__counts");
        var status = editor.querySelector(".md-editor__status");
        var offer = editor.querySelector(".md-editor__offer");
        var url = editor.getAttribute("data-preview-url");
        var key = STORE_PREFIX + editor.getAttribute("data-autosave-key");
        var store = storage();
        // The text as saved on the server; after a form error the text shown is not saved.
        var savedText = editor.getAttribute("data-unsaved") === "true" ? null : textarea.value;
        var timer = null;
        var sequence = 0;

        function keep() {
            if (!store) {
                return;
            }
            try {
                if (textarea.value === savedText) {
                    store.removeItem(key);
                } else {
                    store.setItem(key, JSON.stringify({ text: textarea.value, at: new Date().toISOString() }));
                }
            } catch (error) {
                status.textContent = "This browser could not keep a copy of the text.";
            }
        }

        function render() {
            var mine = ++sequence;
            editor.classList.add("md-editor--updating");
            fetch(url, {
                method: "POST",
                credentials: "same-origin",
                headers: {
                    "Content-Type": "application/json",
                    Accept: "application/json",
                    "X-CSRFToken": csrfToken(textarea.form),
                },
                body: JSON.stringify({ text: textarea.value }),
            })
                .then(function (response) {
                    if ((response.headers.get("Content-Type") || "").indexOf("application/json") !== 0) {
                        throw new Error("the server answered " + response.status);
                    }
                    return response.json().then(function (data) {
                        if (!response.ok) {
                            throw new Error((data.text && data.text[0]) || data.detail || "Error " + response.status);
                        }
                        return data;
                    });
                })
                .then(function (data) {
                    if (mine !== sequence) {
                        return; // a later keystroke's answer is on its way
                    }
                    preview.innerHTML = data.html; // rendered and sanitized by the server
                    counts.textContent = data.stats;
                    status.textContent = "";
                })
                .catch(function (error) {
                    if (mine === sequence) {
                        status.textContent = "The preview is not up to date: " + error.message;
                    }
                })
                .then(function () {
                    if (mine === sequence) {
                        editor.classList.remove("md-editor--updating");
                    }
                });
        }

        function changed() {
            keep();
            window.clearTimeout(timer);
            timer = window.setTimeout(render, PREVIEW_DELAY_MS);
        }

        function offerKeptText() {
            var kept = readKept(store, key);
            if (!kept) {
                return;
            }
            if (kept.text === textarea.value) {
                if (savedText !== null) {
                    store.removeItem(key); // what it kept has been saved since
                }
                return;
            }
            var when = new Date(kept.at);
            offer.querySelector(".md-editor__offer-time").textContent = isNaN(when) ? "earlier" : when.toLocaleString();
            offer.hidden = false;
            offer.querySelector(".md-editor__restore").addEventListener("click", function () {
                textarea.value = kept.text;
                offer.hidden = true;
                textarea.focus();
                changed();
            });
            offer.querySelector(".md-editor__discard").addEventListener("click", function () {
                store.removeItem(key);
                offer.hidden = true;
            });
        }

        textarea.addEventListener("input", changed);
        offerKeptText();
        if (savedText === null) {
            keep(); // shown again after a form error: keep it until it is saved
        }
    }

    function start() {
        forgetSavedArticles();
        Array.prototype.forEach.call(document.querySelectorAll(".md-editor"), setUp);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
