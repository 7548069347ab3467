/*
 * The help centre's search as visitors see it: the header box (an ARIA 1.2 combobox whose
 * listbox shows results as you type) and the search page (search/?q=words).
 *
 * Where answers come from, in order:
 *   1. a search API, when there is one: the URL in mkdocs.yml `extra: kb_search_api`, else the
 *      one `kb serve --api` announces in an X-KB-Search-API response header (read from a HEAD
 *      request for this very page, made when the visitor first searches on a page and
 *      remembered for the session once found, so a plain static host, which answers it
 *      without that header, never sees a request for a path it lacks);
 *   2. the static index in the browser (window.kbSearch, kb-search-engine.js), whenever the API
 *      fails or does not answer within a short timeout (250 ms unless configured).
 * No other host is ever called unless configured. Every string from a result or the query is
 * shown as text; a snippet keeps only its <mark> elements (see snippetNodes).
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 90;
  var API_TIMEOUT_MS = 250;
  // After this many slow answers in a row the API is left alone for the rest of the page view:
  // each one would add the timeout to a query the static index answers anyway.
  var API_MAX_TIMEOUTS = 3;
  var BOX_LIMIT = 8;
  // The search page waits up to 4 x the timeout for the API: a page load, not a key press.
  var PAGE_PATIENCE = 4;
  var PAGE_LIMIT = 20;
  // Fewer results than this is a weak answer: the page then offers the did-you-mean and the
  // ways to contact support (a score threshold would not carry over between the two engines).
  var WEAK_COUNT = 3;
  var ENGINE_WAIT_MS = 20000;
  var API_HEADER = "X-KB-Search-API";
  var API_CACHE_KEY = "kb-search-api";
  var KINDS = {
    faq: "FAQ",
    article: "Article",
    guide: "Guide",
    release: "Release notes",
    video: "Video",
    lesson: "Training",
    listing: "List",
  };

  var root = document.querySelector("[data-kb-search]");
  if (!root) return;

  /* ---------- URLs ---------- */

  // A result URL must be site-relative ("faq/#anchor"): anything with a scheme, or starting
  // with a slash (another host, or outside the site), is dropped rather than linked.
  function isSiteRelative(url) {
    return (
      typeof url === "string" && !/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[\\/]/.test(url.trim())
    );
  }

  function siteUrl(relative) {
    var base = root.getAttribute("data-kb-base") || ".";
    return new URL(base.replace(/\/+$/, "") + "/" + relative, location.href).href;
  }

  function searchPageUrl(text, kind) {
    var url = new URL(root.getAttribute("data-kb-search-page") || siteUrl("search/"), location.href);
    url.search = "";
    url.hash = "";
    if (text) url.searchParams.set("q", text);
    if (kind) url.searchParams.set("kind", kind);
    return url.href;
  }

  // The respelling to offer: the did-you-mean, unless the results shown already are for it.
  function offered(answer) {
    var dym = answer.did_you_mean || (answer.results.length ? null : answer.corrected);
    return dym && (dym !== answer.corrected || !answer.results.length) ? dym : null;
  }

  /* ---------- where answers come from ---------- */

  var engine = null;

  // The static engine is another script (it may load after this one): wait for its contract.
  function staticEngine() {
    if (engine) return engine;
    engine = new Promise(function (resolve, reject) {
      var started = Date.now();
      (function look() {
        var e = window.kbSearch;
        if (e && typeof e.query === "function") return resolve(e);
        if (Date.now() - started > ENGINE_WAIT_MS) {
          return reject(new Error("the search index did not load"));
        }
        setTimeout(look, 50);
      })();
    }).then(function (e) {
      return Promise.resolve(e.ready).then(function () {
        return e;
      });
    });
    engine.catch(function () {
      engine = null; // a later query tries again
    });
    return engine;
  }

  var api = { endpoint: undefined, timeouts: 0, off: false };
  var timeoutMs = parseInt(root.getAttribute("data-kb-api-timeout"), 10) || API_TIMEOUT_MS;

  function readCache() {
    try {
      return sessionStorage.getItem(API_CACHE_KEY);
    } catch (e) {
      return null; // storage refused (privacy settings): ask again
    }
  }

  // Only an API that was found is remembered (for the session): "no API" is asked again on
  // the next page, so that a writer who restarts the same address with `kb serve --api` gets
  // it at once, and an API that stops answering is forgotten (forgetApi).
  function writeCache(value) {
    try {
      if (value) sessionStorage.setItem(API_CACHE_KEY, value);
      else sessionStorage.removeItem(API_CACHE_KEY);
    } catch (e) {
      /* not kept: the next page asks again */
    }
  }

  function sameOrigin(value) {
    try {
      var url = new URL(value, location.href);
      return url.origin === location.origin ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // A first request opens the server's index (and its word lists): made as soon as the API
  // is known, without a timeout, so that the visitor's own queries find it warm.
  function warmUp(endpoint) {
    if (!endpoint) return endpoint;
    var url = new URL(endpoint);
    url.searchParams.set("q", "help");
    url.searchParams.set("limit", "1");
    fetch(url.href, { credentials: "same-origin" }).catch(function () {});
    return endpoint;
  }

  // The API's URL, or null: configured, else announced by the server that served this page.
  function apiEndpoint() {
    if (api.off) return Promise.resolve(null);
    if (api.endpoint !== undefined) return api.endpoint;
    api.endpoint = findApi().then(warmUp);
    return api.endpoint;
  }

  function findApi() {
    var configured = root.getAttribute("data-kb-api");
    if (configured) return Promise.resolve(new URL(configured, location.href).href);
    // file:// (the offline copy): no server at all.
    if (!/^https?:$/.test(location.protocol)) return Promise.resolve(null);
    var cached = readCache();
    if (cached) return Promise.resolve(sameOrigin(cached));
    return fetch(location.href, { method: "HEAD", cache: "no-store" })
      .then(function (response) {
        var announced = response.headers.get(API_HEADER);
        var url = announced ? sameOrigin(announced) : null;
        writeCache(url || "");
        return url;
      })
      .catch(function () {
        return null;
      });
  }

  function fromApi(data) {
    return {
      query: data.query,
      corrected: data.corrected_query || null,
      did_you_mean: data.did_you_mean || null,
      results: (data.hits || []).map(function (hit) {
        return {
          url: hit.url,
          title: hit.title,
          page_title: hit.page_title,
          kind: hit.kind,
          snippet: hit.snippet_html,
          score: hit.score,
        };
      }),
    };
  }

  function askApi(endpoint, text, limit, kind, patience) {
    var url = new URL(endpoint);
    url.searchParams.set("q", text);
    url.searchParams.set("limit", String(limit));
    if (kind) url.searchParams.set("kind", kind);
    var controller = new AbortController();
    var timedOut = false;
    var timer = setTimeout(function () {
      timedOut = true;
      controller.abort();
    }, timeoutMs * (patience || 1));
    return fetch(url.href, {
      signal: controller.signal,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error("search API: HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        clearTimeout(timer);
        api.timeouts = 0;
        return fromApi(data);
      })
      .catch(function (error) {
        clearTimeout(timer);
        // A refusal or a broken answer will not mend during this page view; slowness might
        // (the server opens its index on the first request).
        if (!timedOut || ++api.timeouts >= API_MAX_TIMEOUTS) {
          api.off = true;
          writeCache("");
        }
        throw error;
      });
  }

  function clean(answer, source) {
    var results = (answer && answer.results) || [];
    return {
      query: String((answer && answer.query) || ""),
      corrected: (answer && answer.corrected) || null,
      did_you_mean: (answer && answer.did_you_mean) || null,
      source: source,
      results: results
        .filter(function (r) {
          return r && isSiteRelative(r.url);
        })
        .map(function (r) {
          return {
            url: r.url,
            title: String(r.title || r.page_title || r.url),
            page_title: String(r.page_title || ""),
            kind: String(r.kind || ""),
            snippet: String(r.snippet || ""),
            score: Number(r.score) || 0,
          };
        }),
    };
  }

  /** Results for `text` (of one `kind`, if given): from the API when it answers in time, else
   * from the static index. `patience` multiplies the API's timeout (the search page, loading
   * anyway, waits longer than a box answering key presses). */
  function search(text, limit, kind, patience) {
    return apiEndpoint()
      .then(function (endpoint) {
        if (!endpoint) return null;
        return askApi(endpoint, text, limit, kind, patience).then(
          function (answer) {
            return clean(answer, "api");
          },
          function () {
            return null;
          }
        );
      })
      .then(function (answer) {
        if (answer) return answer;
        return staticEngine()
          .then(function (e) {
            return e.query(text, kind ? { limit: limit, kind: kind } : { limit: limit });
          })
          .then(function (answer) {
            return clean(answer, "static");
          });
      });
  }

  // What visitors searched and opened, for kb-feedback.js (which reports it to the API):
  // "kb-search:shown" {query, count, where: "box" | "page"} and "kb-search:go" {href}.
  function announce(name, detail) {
    root.dispatchEvent(new CustomEvent("kb-search:" + name, { detail: detail }));
  }

  /* ---------- rendering ---------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A snippet is HTML that should hold escaped text and <mark> only. It is parsed inert (a
  // template's content runs no script and loads nothing) and rebuilt from its text and marks,
  // so that whatever else it might contain reaches the page as text, never as markup.
  function snippetNodes(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var out = document.createDocumentFragment();
    (function walk(node) {
      node.childNodes.forEach(function (child) {
        if (child.nodeType === Node.TEXT_NODE) {
          out.appendChild(document.createTextNode(child.nodeValue));
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          if (child.nodeName === "MARK") out.appendChild(el("mark", "", child.textContent));
          else if (!/^(SCRIPT|STYLE|TEMPLATE)$/.test(child.nodeName)) walk(child);
        }
      });
    })(template.content);
    return out;
  }

  function where(result) {
    var kind = KINDS[result.kind] || result.kind;
    var page = result.page_title && result.page_title !== result.title ? result.page_title : "";
    return [kind, page].filter(Boolean).join(" · ");
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  /* ---------- the header box ---------- */

  var input = root.querySelector("#kb-search-input");
  var form = root.querySelector("form");
  var popup = root.querySelector("[data-kb-search-popup]");
  var listbox = root.querySelector("[role=listbox]");
  var status = root.querySelector("[data-kb-search-status]");
  var opener = document.querySelector("[data-kb-search-open]");
  var closer = root.querySelector("[data-kb-search-close]");
  var options = [];
  var active = -1;
  var shownFor = null;
  var sequence = 0;
  var debounce = null;

  function setExpanded(open) {
    popup.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) setActive(-1);
  }

  function setActive(index) {
    active = index;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function option(id, className, href) {
    var node = el("li", "kb-search__option " + className);
    node.id = "kb-search-option-" + id;
    node.setAttribute("role", "option");
    node.setAttribute("aria-selected", "false");
    node.setAttribute("data-href", href);
    options.push(node);
    return node;
  }

  function renderBox(text, answer) {
    options = [];
    listbox.textContent = "";
    var note = popup.querySelector(".kb-search__note");
    if (note) note.remove();
    if (answer.corrected && answer.results.length) {
      note = el("p", "kb-search__note", "Showing results for ");
      note.appendChild(el("strong", "", answer.corrected));
      popup.insertBefore(note, listbox);
    }
    answer.results.slice(0, BOX_LIMIT).forEach(function (result, i) {
      var node = option(i, "kb-search__result", siteUrl(result.url));
      node.appendChild(el("span", "kb-search__title", result.title));
      var context = where(result);
      if (context) node.appendChild(el("span", "kb-search__where", context));
      if (result.snippet) {
        // Shown, not read out: the option's name stays its title and page.
        var snippet = el("span", "kb-search__snippet");
        snippet.setAttribute("aria-hidden", "true");
        snippet.appendChild(snippetNodes(result.snippet));
        node.appendChild(snippet);
      }
      listbox.appendChild(node);
    });
    var n = answer.results.length;
    var respelt = offered(answer);
    if (respelt) {
      var dym = option("did-you-mean", "kb-search__more", searchPageUrl(respelt));
      dym.appendChild(document.createTextNode("Did you mean "));
      dym.appendChild(el("strong", "", respelt));
      dym.appendChild(document.createTextNode("?"));
      listbox.appendChild(dym);
    }
    var all = option("all", "kb-search__more", searchPageUrl(text));
    all.textContent = n
      ? "All results for “" + text + "”"
      : "No results for “" + text + "”: more help on the search page";
    listbox.appendChild(all);
    // Which query and which engine the list shows (for tests and for anyone debugging).
    listbox.setAttribute("data-kb-query", text);
    listbox.setAttribute("data-kb-source", answer.source);
    shownFor = text;
    setExpanded(true);
    setActive(-1); // a new list: nothing chosen in it yet
    status.textContent = n
      ? plural(n, "result", "results") + " for " + text + ". Use the arrow keys to choose."
      : "No results for " + text + ".";
    announce("shown", { query: text, count: n, where: "box" });
  }

  function runQuery() {
    var text = input.value.trim();
    if (!text) {
      shownFor = null;
      setExpanded(false);
      status.textContent = "";
      return;
    }
    var mine = ++sequence;
    root.setAttribute("aria-busy", "true");
    search(text, BOX_LIMIT).then(
      function (answer) {
        // The last query wins: an earlier, slower answer never replaces a later one.
        if (mine !== sequence) return;
        root.removeAttribute("aria-busy");
        if (input.value.trim() !== text) return;
        renderBox(text, answer);
      },
      function () {
        if (mine !== sequence) return;
        root.removeAttribute("aria-busy");
        options = [];
        listbox.textContent = "";
        var note = popup.querySelector(".kb-search__note");
        if (note) note.remove();
        var fallback = option("all", "kb-search__more", searchPageUrl(text));
        fallback.textContent = "Search is not available right now: open the search page";
        listbox.appendChild(fallback);
        setExpanded(true);
      }
    );
  }

  function go(href) {
    announce("go", { href: href });
    setExpanded(false);
    location.assign(href);
  }

  function openBox() {
    root.classList.add("kb-search--open");
    document.documentElement.classList.add("kb-search-is-open");
  }

  function closeBox() {
    setExpanded(false);
    root.classList.remove("kb-search--open");
    document.documentElement.classList.remove("kb-search-is-open");
  }

  input.addEventListener("input", function () {
    clearTimeout(debounce);
    debounce = setTimeout(runQuery, DEBOUNCE_MS);
  });

  input.addEventListener("focus", function () {
    // Warm up: find out now whether there is an API, and start loading the static index.
    apiEndpoint();
    staticEngine().catch(function () {});
    if (shownFor && shownFor === input.value.trim()) setExpanded(true);
  });

  input.addEventListener("keydown", function (event) {
    var open = !popup.hidden;
    switch (event.key) {
      case "ArrowDown":
      case "Down":
        event.preventDefault();
        if (!open) {
          if (shownFor && shownFor === input.value.trim()) setExpanded(true);
          else runQuery();
          return;
        }
        setActive(active + 1 >= options.length ? 0 : active + 1);
        return;
      case "ArrowUp":
      case "Up":
        if (!open) return;
        event.preventDefault();
        setActive(active <= 0 ? options.length - 1 : active - 1);
        return;
      case "Enter":
        if (open && active >= 0) {
          event.preventDefault();
          go(options[active].getAttribute("data-href"));
        } else if (!input.value.trim()) {
          event.preventDefault();
        } else {
          // The form's own submission: the search page for the typed words.
          clearTimeout(debounce);
        }
        return;
      case "Escape":
      case "Esc":
        event.preventDefault();
        // A query still on its way (or still waiting for its debounce) must not reopen it.
        clearTimeout(debounce);
        sequence++;
        if (open) setExpanded(false);
        else if (root.classList.contains("kb-search--open")) closeBox();
        else input.value = "";
        return;
      case "Tab":
        clearTimeout(debounce);
        sequence++;
        setExpanded(false);
        return;
    }
  });

  form.addEventListener("submit", function (event) {
    if (!input.value.trim()) event.preventDefault();
  });

  listbox.addEventListener("mousedown", function (event) {
    event.preventDefault(); // keep the focus in the box until the click lands
  });

  listbox.addEventListener("click", function (event) {
    var target = event.target.closest("[role=option]");
    if (target) go(target.getAttribute("data-href"));
  });

  root.addEventListener("focusout", function (event) {
    if (!event.relatedTarget || !root.contains(event.relatedTarget)) {
      setExpanded(false);
      if (event.relatedTarget) closeBox();
    }
  });

  if (opener) {
    opener.addEventListener("click", function (event) {
      event.preventDefault();
      openBox();
      input.focus();
    });
  }
  if (closer) {
    closer.hidden = false; // shown by the stylesheet only while the box is open on a phone
    closer.addEventListener("click", function () {
      closeBox();
      if (opener) opener.focus();
    });
  }

  // "/" or "s" anywhere but in a field focuses the box, as Material's search did.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" && event.key !== "s") return;
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var target = event.target;
    if (
      target &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName || ""))
    ) {
      return;
    }
    event.preventDefault();
    openBox();
    input.focus();
    input.select();
  });

  /* ---------- the search page ---------- */

  var region = document.querySelector("[data-kb-search-results]");
  if (!region) return;
  var pageForm = document.querySelector("[data-kb-search-form]");
  var pageInput = pageForm && pageForm.querySelector("input[name=q]");
  var pageStatus = region.querySelector("[role=status]");
  var help = document.querySelector("[data-kb-search-help]");
  var params = new URLSearchParams(location.search);
  var query = (params.get("q") || "").trim();
  // ?kind=faq: only results of that kind (as `kb search --kind` and the API's kind=).
  var kind = KINDS.hasOwnProperty(params.get("kind")) ? params.get("kind") : null;

  function clearPage() {
    Array.prototype.slice.call(region.children).forEach(function (child) {
      if (child !== pageStatus) child.remove();
    });
  }

  function pageLink(text) {
    var a = el("a", "", text);
    a.href = searchPageUrl(text, kind);
    return a;
  }

  function renderPage(answer) {
    clearPage();
    region.setAttribute("data-kb-source", answer.source);
    var n = answer.results.length;
    pageStatus.textContent = "";
    pageStatus.appendChild(
      document.createTextNode(n ? plural(n, "result", "results") + " for " : "No results for ")
    );
    pageStatus.appendChild(el("strong", "", "“" + query + "”"));
    if (answer.corrected && n) {
      var corrected = el("p", "kb-search-page__corrected", "Showing results for ");
      corrected.appendChild(pageLink(answer.corrected));
      corrected.appendChild(document.createTextNode("."));
      region.appendChild(corrected);
    }
    var respelt = offered(answer);
    if (respelt) {
      var dym = el("p", "kb-search-page__did-you-mean", "Did you mean ");
      dym.appendChild(pageLink(respelt));
      dym.appendChild(document.createTextNode("?"));
      region.appendChild(dym);
    }
    if (n) {
      var list = el("ol", "kb-search-page__list");
      answer.results.forEach(function (result) {
        var item = el("li", "kb-search-page__item");
        var heading = el("h2", "kb-search-page__title");
        var link = el("a", "kb-search-page__link", result.title);
        link.href = siteUrl(result.url);
        heading.appendChild(link);
        item.appendChild(heading);
        var context = where(result);
        if (context) item.appendChild(el("p", "kb-search-page__where", context));
        if (result.snippet) {
          var snippet = el("p", "kb-search-page__snippet");
          snippet.appendChild(snippetNodes(result.snippet));
          item.appendChild(snippet);
        }
        list.appendChild(item);
      });
      region.appendChild(list);
    }
    if (help) help.hidden = n >= WEAK_COUNT;
    announce("shown", { query: query, count: n, where: "page" });
  }

  if (pageInput) pageInput.value = query;
  if (!query) {
    pageStatus.textContent = "Type what you are looking for, in your own words.";
    return;
  }
  document.title = "“" + query + "”: " + document.title;
  region.setAttribute("aria-busy", "true");
  pageStatus.textContent = "Searching…";
  search(query, PAGE_LIMIT, kind, PAGE_PATIENCE).then(
    function (answer) {
      region.removeAttribute("aria-busy");
      renderPage(answer);
    },
    function () {
      region.removeAttribute("aria-busy");
      clearPage();
      pageStatus.textContent = "Search is not available right now.";
      if (help) help.hidden = false;
    }
  );
})();
