/*
 * Training progress, kept in this browser (localStorage): no account, no server.
 *
 * Every lesson checkbox carries data-kb-lesson="<lesson id>". Progress is keyed by lesson id,
 * not title, so renaming a lesson keeps everyone's tick. The agenda page also has progress bars
 * (data-kb-progress="<module id>" or "all"), a "continue" link and a reset button, all hidden
 * until this script runs: with scripts off the agenda is a plain checklist.
 *
 * The lesson box on a page that lessons link to (nav.kb-lesson-nav, hidden in the HTML) is shown
 * only to a visitor who has started the agenda in this browser: a lesson ticked, or a page opened
 * from the agenda (a link followed there, or the agenda as referrer). Everyone else came for the
 * page itself (the FAQ, a guide, the release notes) and would find a training box above its title.
 */
(function () {
  "use strict";

  var PREFIX = "kb-training:";

  function storageKey() {
    var holder = document.querySelector("[data-kb-progress-key]");
    return holder ? PREFIX + holder.getAttribute("data-kb-progress-key") : null;
  }

  function load(key) {
    try {
      var state = JSON.parse(window.localStorage.getItem(key) || "null");
      if (state && typeof state.done === "object" && state.done !== null) return state;
    } catch (e) { /* unreadable or blocked storage: start afresh */ }
    return { done: {} };
  }

  function save(key, state) {
    try {
      window.localStorage.setItem(key, JSON.stringify(state));
    } catch (e) { /* private mode or full storage: progress lasts for this page only */ }
  }

  function boxes(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector || "input[data-kb-lesson]"));
  }

  function hasStarted(state) {
    return state.started === true || Object.keys(state.done).length > 0;
  }

  // The agenda page is the one with the "continue" link; lesson boxes link back to it.
  function onAgenda() {
    return Boolean(document.querySelector("[data-kb-continue]"));
  }

  function cameFromAgenda() {
    var back = document.querySelector(".kb-lesson-nav__where a");
    if (!back || !document.referrer) return false;
    try {
      var from = new URL(document.referrer);
      var agenda = new URL(back.href);
      return from.origin === agenda.origin && from.pathname === agenda.pathname;
    } catch (e) {
      return false;
    }
  }

  function render(state) {
    Array.prototype.forEach.call(document.querySelectorAll("nav.kb-lesson-nav"), function (nav) {
      nav.hidden = !hasStarted(state);
    });
    boxes().forEach(function (box) {
      box.checked = Boolean(state.done[box.getAttribute("data-kb-lesson")]);
    });
    boxes("progress[data-kb-progress]").forEach(function (bar) {
      var group = bar.getAttribute("data-kb-progress");
      var members = boxes(group === "all" ? "input[data-kb-module]" : 'input[data-kb-module="' + group + '"]');
      var done = members.filter(function (b) { return b.checked; }).length;
      bar.value = done;
      bar.max = members.length;
      var label = document.querySelector('[data-kb-progress-label="' + group + '"]');
      if (label) {
        label.textContent = done + " of " + members.length + (group === "all" ? " lessons done" : " done");
      }
      bar.setAttribute("aria-label", (label ? label.textContent : done + " done"));
      bar.closest(".kb-progress").hidden = false;
    });
    var next = document.querySelector("[data-kb-continue]");
    if (next) {
      var agenda = boxes("input[data-kb-module]");
      var todo = agenda.filter(function (b) { return !b.checked; })[0];
      var started = agenda.some(function (b) { return b.checked; });
      if (todo) {
        next.href = "#lesson-" + todo.getAttribute("data-kb-lesson");
        next.textContent = (started ? "Continue where you left off: " : "Start with ") +
          todo.getAttribute("data-kb-title");
      } else {
        next.href = "#" + (document.querySelector("h1") || { id: "" }).id;
        next.textContent = "You have finished every lesson. Well done!";
      }
      next.closest(".kb-agenda-actions").hidden = false;
    }
  }

  function init() {
    var key = storageKey();
    if (!key || init.key === key && init.done) return;
    var state = load(key);
    if (!hasStarted(state) && cameFromAgenda()) {
      state.started = true;
      save(key, state);
    }
    render(state);
    // A page opened from the agenda (any click, middle-click for a new tab included) starts it:
    // the referrer alone is not enough, as offline copies (file:) send none.
    function leaveAgenda(event) {
      var link = event.target.closest && event.target.closest(".md-content a[href]");
      if (!onAgenda() || !link || link.pathname === window.location.pathname) return;
      state = load(key);
      if (hasStarted(state)) return;
      state.started = true;
      save(key, state);
    }
    document.addEventListener("click", leaveAgenda);
    document.addEventListener("auxclick", leaveAgenda);
    document.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches || !box.matches("input[data-kb-lesson]")) return;
      var id = box.getAttribute("data-kb-lesson");
      state = load(key);
      if (box.checked) state.done[id] = new Date().toISOString();
      else delete state.done[id];
      state.last = id;
      save(key, state);
      render(state);
    });
    document.addEventListener("click", function (event) {
      if (!event.target.matches || !event.target.matches("[data-kb-reset]")) return;
      if (!window.confirm("Clear your progress through the training agenda in this browser?")) return;
      state = { done: {} };  // not started any more: lesson boxes hide again
      save(key, state);
      render(state);
    });
    // Another tab ticked a lesson: show it here too.
    window.addEventListener("storage", function (event) {
      if (event.key === key) { state = load(key); render(state); }
    });
    init.key = key;
    init.done = true;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
