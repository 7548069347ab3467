/*
 * The ticket form of "How to create an online support ticket": answers first, then the route.
 *
 * The guide (kb_builder/generators/templates/support/launch-a-ticket.md.j2) carries an empty,
 * hidden [data-kb-ticket-form] block; with scripts off the page is the plain guide. This script
 * builds the form in it: the client describes the problem in a sentence and sees the site's top
 * answers while typing (window.kbSearch, the static search the header box also falls back to);
 * only once answers were shown does it ask for the plan and the urgency, and then it gives the
 * route that applies right now (window.kbSupport from support-hours.js: the same rules and
 * clock as the "open right now" box): a mailto: link whose subject and body are prefilled with
 * what support.yml says a good ticket includes, the portal, or the telephone while it is open.
 *
 * Every string from the data or from search results is set as text (textContent, attributes);
 * a result's URL must be site-relative. Nothing is sent anywhere: the description stays in the
 * page until the client opens the e-mail.
 */
(function () {
  "use strict";

  const MIN_CHARS = 3;
  const MAX_CHARS = 200;
  const DEBOUNCE_MS = 150;
  const LIMIT = 5;
  const ENGINE_WAIT_MS = 20000;

  /* window.kbSearch, once kb-search-engine.js has loaded its manifest. */
  function searchEngine() {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      (function look() {
        const engine = window.kbSearch;
        if (engine && typeof engine.query === "function") {
          resolve(Promise.resolve(engine.ready).then(() => engine));
        } else if (Date.now() - started > ENGINE_WAIT_MS) {
          reject(new Error("the search index did not load"));
        } else {
          setTimeout(look, 50);
        }
      })();
    });
  }

  // Same rule as kb-search-ui.js: a result URL with a scheme or a leading slash is dropped.
  function isSiteRelative(url) {
    return (
      typeof url === "string" && !/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[\\/]/.test(url.trim())
    );
  }

  /* A snippet's text (it is escaped text and <mark> only; parsed inertly, shown as text). */
  function snippetText(html) {
    if (!html) {
      return "";
    }
    return new DOMParser().parseFromString(String(html), "text/html").body.textContent || "";
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.keys(attributes || {}).forEach((name) => node.setAttribute(name, attributes[name]));
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  /* The e-mail subject: the ticket type's format with its last <...> part replaced by the
   * client's words ("CRITICAL - <your organization> - <what is down>"), else the words. */
  function subjectFor(ticket, description) {
    const format = ticket.subject || "";
    const words = description.trim();
    if (!format) {
      return words;
    }
    const parts = format.match(/<[^<>]*>/g);
    if (!parts || !words) {
      return format;
    }
    const last = format.lastIndexOf(parts[parts.length - 1]);
    return format.slice(0, last) + words + format.slice(last + parts[parts.length - 1].length);
  }

  function build(root, box) {
    const config = JSON.parse(box.getAttribute("data-kb-support-hours"));
    const support = window.kbSupport;
    if (!config.contact || !support) {
      return;
    }
    const tickets = config.contact.tickets;
    root.textContent = "";
    root.className = "kb-ticket-form admonition question";
    root.setAttribute("role", "region");
    root.setAttribute("aria-labelledby", "kb-ticket-form-title");
    const title = { class: "admonition-title", id: "kb-ticket-form-title" };
    root.appendChild(element("p", title, "Describe the problem first"));
    const question = "In one sentence, what is wrong?";
    root.appendChild(element("label", { for: "kb-ticket-problem" }, question));
    const input = element("input", {
      type: "text",
      id: "kb-ticket-problem",
      maxlength: String(MAX_CHARS),
      autocomplete: "off",
      "data-kb-ticket-problem": "",
      placeholder: "e.g. officers cannot issue citations from the mobile app",
    });
    root.appendChild(input);

    const answers = element("div", { "data-kb-ticket-answers": "", "aria-live": "polite" });
    root.appendChild(answers);

    const step = element("div", {
      class: "kb-ticket-form__route-step",
      "data-kb-ticket-route-step": "",
    });
    step.hidden = true;
    step.appendChild(element("p", {}, "Not answered? Tell us your plan and how urgent it is:"));
    const planLabel = element("label", { for: "kb-ticket-plan" }, "Your plan");
    const plan = element("select", { id: "kb-ticket-plan", "data-kb-ticket-plan": "" });
    plan.appendChild(element("option", { value: "" }, "Choose your plan"));
    config.contact.plans.forEach((p) => {
      plan.appendChild(element("option", { value: p.id }, p.name));
    });
    const urgencyLabel = element("label", { for: "kb-ticket-urgency" }, "Urgency");
    const urgency = element("select", { id: "kb-ticket-urgency", "data-kb-ticket-urgency": "" });
    urgency.appendChild(element("option", { value: "" }, "Choose the urgency"));
    tickets.forEach((ticket) => {
      const levels = ticket.urgencies.length ? ticket.urgencies : [ticket.name];
      levels.forEach((level) => {
        urgency.appendChild(element("option", { value: ticket.id + "\n" + level }, level));
      });
    });
    [planLabel, plan, urgencyLabel, urgency].forEach((node) => step.appendChild(node));
    const route = element("div", {
      class: "kb-ticket-form__route",
      "data-kb-ticket-route": "",
      "aria-live": "polite",
    });
    step.appendChild(route);
    root.appendChild(step);
    root.hidden = false;

    let timer = null;
    let asked = 0;

    function showAnswers(answer, text) {
      answers.textContent = "";
      const results = (answer.results || []).filter((r) => isSiteRelative(r.url)).slice(0, LIMIT);
      const base = (window.kbSearch && window.kbSearch.base) || document.baseURI;
      if (results.length === 0) {
        const none = "No answer in the help centre matches “" + text + "” yet.";
        answers.appendChild(element("p", {}, none));
      } else {
        const lead = "These answers may solve it:";
        answers.appendChild(element("p", { class: "kb-ticket-form__lead" }, lead));
        const list = element("ol", { class: "kb-ticket-form__answers" });
        results.forEach((result) => {
          const item = element("li", { "data-kb-ticket-answer": "" });
          const label = result.title || result.page_title || result.url;
          const link = element("a", { href: new URL(result.url, base).href }, label);
          item.appendChild(link);
          const snippet = snippetText(result.snippet);
          if (snippet) {
            item.appendChild(element("span", { class: "kb-ticket-form__snippet" }, " " + snippet));
          }
          list.appendChild(item);
        });
        answers.appendChild(list);
      }
      // Only now, with the answers in front of the client, the route.
      step.hidden = false;
    }

    function search() {
      const text = input.value.trim().slice(0, MAX_CHARS);
      if (text.length < MIN_CHARS) {
        return;
      }
      const mine = ++asked;
      searchEngine()
        .then((engine) => engine.query(text, { limit: LIMIT }))
        .then((answer) => {
          if (mine === asked) {
            showAnswers(answer, text);
          }
        })
        .catch(() => {
          // No index (an unusual host): still hand over the route, the guide says the rest.
          if (mine === asked) {
            answers.textContent = "";
            step.hidden = false;
          }
        });
    }

    function showRoute() {
      route.textContent = "";
      if (!plan.value || !urgency.value) {
        return;
      }
      const [ticketId, level] = urgency.value.split("\n");
      const ticket = tickets.find((t) => t.id === ticketId);
      const clock = support.vendorClock(new Date(), config.timeZone);
      const now = support.routeNow(config, plan.value, ticketId, clock);
      const planName = plan.options[plan.selectedIndex].text;
      if (!ticket || !now) {
        const what = upfirst(ticket ? ticket.name : "this ticket");
        const sentence = what + " is not included in the " + planName + " plan.";
        route.appendChild(element("p", {}, sentence));
        return;
      }
      const when = config.dayNames[clock.day - 1] + ", " + support.clockLabel(clock.minutes) +
        " " + config.zoneLabel;
      const sentence = "Right now (" + when + "), for " + planName + ": " + now.note + ".";
      route.appendChild(element("p", {}, sentence));
      const description = input.value.trim().slice(0, MAX_CHARS);
      const extra = (description ? "Problem: " + description + "\n" : "") + "Urgency: " + level;
      const links = element("p", {
        class: "kb-ticket-form__links",
        "data-kb-ticket-route-links": now.kind,
      });
      const subject = subjectFor(ticket, description);
      links.appendChild(support.linkNodes(now.links, ticket, subject, extra));
      route.appendChild(links);
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(search, DEBOUNCE_MS);
      showRoute();
    });
    plan.addEventListener("change", showRoute);
    urgency.addEventListener("change", showRoute);
  }

  function upfirst(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function init() {
    const root = document.querySelector("[data-kb-ticket-form]");
    const box = document.querySelector("[data-kb-support-hours]");
    if (!root || !box || root.getAttribute("data-kb-ticket-ready")) {
      return;
    }
    try {
      build(root, box);
      root.setAttribute("data-kb-ticket-ready", "true");
    } catch (error) {
      // Malformed data: the guide below says everything, the form stays hidden.
      root.hidden = true;
    }
  }

  // Material's instant navigation swaps pages without reloading: build on each new page.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
