/*
 * Training progress, kept in this browser (localStorage): no account, no server.
 *
 * Every lesson checkbox carries data-kb-lesson="<lesson id>". Progress is keyed by lesson id,
 * not title, so renaming a lesson keeps everyone's tick. The agenda page also has progress bars
 * (data-kb-progress="<module id>" or "all"), a "continue" link and a reset button, all hidden
 * until this script runs: with scripts off the agenda is a plain checklist.
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

  function render(state) {
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
    render(state);
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
      state = { done: {} };
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
