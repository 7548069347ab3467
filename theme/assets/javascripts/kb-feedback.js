/*
 * "Was this helpful?" under every article and FAQ answer, and the searches visitors make, sent
 * to the search API server (`kb serve --api`: /api/feedback and /api/search-event beside
 * /api/search). No analytics vendor, no cookie, nothing about the visitor: the page, yes or no,
 * the comment they typed; the query, and which result they opened.
 *
 * The API is found as kb-search-ui.js finds it: mkdocs.yml `extra: kb_search_api`, else the
 * X-KB-Search-API header that `kb serve --api` sends with this very page (a HEAD request),
 * remembered for the session under the same key. Without an API (a static host, the offline
 * copy) nothing is shown and nothing is sent: the widget stays an inert <template>.
 * Every text reaches the page through textContent.
 */
(function () {
  "use strict";

  var API_HEADER = "X-KB-Search-API";
  var API_CACHE_KEY = "kb-search-api";
  var MAX_COMMENT = 500;

  var slot = document.querySelector("[data-kb-feedback]");
  var template = document.querySelector("[data-kb-feedback-template]");
  var searchRoot = document.querySelector("[data-kb-search]");

  /* ---------- where the API is (as kb-search-ui.js) ---------- */

  function sameOrigin(value) {
    try {
      var url = new URL(value, location.href);
      return url.origin === location.origin ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function cached() {
    try {
      return sessionStorage.getItem(API_CACHE_KEY);
    } catch (e) {
      return null;
    }
  }

  function remember(url) {
    try {
      if (url) sessionStorage.setItem(API_CACHE_KEY, url);
    } catch (e) {
      /* not kept: the next page asks again */
    }
  }

  function findApi() {
    var configured = searchRoot && searchRoot.getAttribute("data-kb-api");
    if (configured) return Promise.resolve(new URL(configured, location.href).href);
    if (!/^https?:$/.test(location.protocol)) return Promise.resolve(null);
    var known = cached();
    if (known) return Promise.resolve(sameOrigin(known));
    return fetch(location.href, { method: "HEAD", cache: "no-store" })
      .then(function (response) {
        var announced = response.headers.get(API_HEADER);
        var url = announced ? sameOrigin(announced) : null;
        remember(url);
        return url;
      })
      .catch(function () {
        return null;
      });
  }

  function post(url, fields, keepalive) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(fields),
      credentials: "same-origin",
      keepalive: !!keepalive,
    }).then(function (response) {
      return response.json().then(
        function (data) {
          if (!response.ok) throw new Error((data && data.error) || "HTTP " + response.status);
          return data;
        },
        function () {
          throw new Error("HTTP " + response.status);
        }
      );
    });
  }

  /* ---------- "Was this helpful?" ---------- */

  var count = 0;

  function widget(feedbackUrl, target, question, extraClass) {
    var form = template.content.firstElementChild.cloneNode(true);
    var n = ++count;
    if (extraClass) form.classList.add(extraClass);
    form.setAttribute("data-kb-feedback-target", target);
    var prompt = form.querySelector("[data-kb-feedback-question]");
    prompt.id = "kb-feedback-q-" + n;
    prompt.textContent = question;
    form.querySelector("[data-kb-feedback-choices]").setAttribute("aria-labelledby", prompt.id);
    var comment = form.querySelector("[data-kb-feedback-comment]");
    comment.id = "kb-feedback-comment-" + n;
    form.querySelector("[data-kb-feedback-label]").setAttribute("for", comment.id);
    var more = form.querySelector("[data-kb-feedback-more]");
    var status = form.querySelector("[data-kb-feedback-status]");
    var buttons = form.querySelectorAll("[data-kb-helpful]");
    var chosen = null;
    var sent = false;

    function send(keepalive) {
      if (chosen === null || sent) return;
      sent = true;
      var fields = { page: target, helpful: chosen === "yes" };
      var text = comment.value.trim().slice(0, MAX_COMMENT);
      if (text) fields.comment = text;
      form.setAttribute("aria-busy", "true");
      post(feedbackUrl, fields, keepalive).then(
        function () {
          form.removeAttribute("aria-busy");
          more.hidden = true;
          form.querySelector("[data-kb-feedback-choices]").hidden = true;
          prompt.hidden = true;
          status.textContent = "Thank you for your answer.";
          form.setAttribute("data-kb-feedback-sent", "");
        },
        function (error) {
          form.removeAttribute("aria-busy");
          sent = false;
          status.textContent = "Sorry, your answer could not be sent: " + error.message;
        }
      );
    }

    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        if (sent) return;
        chosen = button.getAttribute("data-kb-helpful");
        Array.prototype.forEach.call(buttons, function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
        more.hidden = false;
        status.textContent = "Add a comment if you like, then Send.";
        comment.focus();
      });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(false);
    });
    // A choice made and the page left before Send: the answer still counts (without comment
    // unless one was typed).
    window.addEventListener("pagehide", function () {
      send(true);
    });
    return form;
  }

  function showFeedback(api) {
    if (!slot || !template) return;
    var feedbackUrl = new URL("feedback", api).href;
    var page = slot.getAttribute("data-kb-feedback-page") || "";
    var questions = document.querySelectorAll("article h2.kb-faq-question[id]");
    if (questions.length) {
      // An FAQ: one box under each answer (before its "Back to the questions" link).
      Array.prototype.forEach.call(questions, function (heading) {
        var end = heading.nextElementSibling;
        var last = heading;
        while (end && !(end.matches("h2.kb-faq-question") || end.matches("p.kb-faq-back"))) {
          last = end;
          end = end.nextElementSibling;
        }
        var box = widget(
          feedbackUrl,
          page + "#" + heading.id,
          "Was this answer helpful?",
          "kb-feedback--answer"
        );
        last.parentNode.insertBefore(box, last.nextSibling);
      });
      return;
    }
    slot.appendChild(widget(feedbackUrl, page, "Was this page helpful?", ""));
    slot.hidden = false;
  }

  /* ---------- searches (events from kb-search-ui.js) ---------- */

  function siteBase() {
    var base = (searchRoot && searchRoot.getAttribute("data-kb-base")) || ".";
    return new URL(base.replace(/\/+$/, "") + "/", location.href).href;
  }

  // A result's URL within the site ("faq/#anchor"), or null for anything else.
  function withinSite(href) {
    var base = siteBase();
    var url;
    try {
      url = new URL(href, location.href);
    } catch (e) {
      return null;
    }
    if (url.href.indexOf(base) !== 0) return null;
    url.search = "";
    return url.href.slice(base.length);
  }

  function isSearchPage(href) {
    var page = searchRoot && searchRoot.getAttribute("data-kb-search-page");
    if (!page) return false;
    var a = new URL(href, location.href);
    var b = new URL(page, location.href);
    return a.origin === b.origin && a.pathname === b.pathname;
  }

  // Listening starts at once (the search page may show its results before the API is
  // known); sending waits for the API, and nothing is sent without one.
  function followSearches(apiFound) {
    if (!searchRoot) return;
    var pendingBox = null; // the box's last shown query, until it is opened, left or submitted
    var pageSearch = null; // the search page's recorded search: {query, token}

    function record(fields, keepalive) {
      return apiFound
        .then(function (api) {
          return api ? post(new URL("search-event", api).href, fields, keepalive) : null;
        })
        .catch(function () {
          return null;
        });
    }

    searchRoot.addEventListener("kb-search:shown", function (event) {
      var detail = event.detail || {};
      if (!detail.query) return;
      if (detail.where === "page") {
        pageSearch = { query: detail.query, token: null };
        record({ query: detail.query }).then(function (answer) {
          if (answer && pageSearch) pageSearch.token = answer.search;
        });
      } else {
        pendingBox = detail.query;
      }
    });
    searchRoot.addEventListener("kb-search:go", function (event) {
      var href = (event.detail || {}).href;
      var query = pendingBox;
      pendingBox = null;
      if (!query || !href || isSearchPage(href)) return; // the search page records it
      var opened = withinSite(href);
      if (opened !== null) record({ query: query, opened: opened }, true);
    });
    var boxForm = searchRoot.querySelector("form");
    if (boxForm) {
      boxForm.addEventListener("submit", function () {
        pendingBox = null; // the search page records it
      });
    }
    var results = document.querySelector("[data-kb-search-results]");
    if (results) {
      var opened = function (event) {
        var link = event.target.closest && event.target.closest("a.kb-search-page__link");
        if (!link || !pageSearch) return;
        var target = withinSite(link.href);
        if (target === null) return;
        if (pageSearch.token) record({ search: pageSearch.token, opened: target }, true);
        else record({ query: pageSearch.query, opened: target }, true);
      };
      results.addEventListener("click", opened);
      results.addEventListener("auxclick", opened);
    }
    window.addEventListener("pagehide", function () {
      if (pendingBox) record({ query: pendingBox }, true);
      pendingBox = null;
    });
  }

  if (!slot && !searchRoot) return; // nothing to show or follow on this page
  var apiFound = findApi();
  followSearches(apiFound);
  apiFound.then(function (api) {
    if (api) showFeedback(api); // static only: no widget
  });
})();
