/*
 * Click-to-load video players: until the visitor presses play, a video page makes no request
 * to the provider (no cookies, no tracking, nothing blocked by a strict office firewall). The
 * button is hidden without scripts; the "Watch on ..." link and the transcript remain.
 */
(function () {
  "use strict";

  function activate(figure) {
    var button = figure.querySelector(".kb-video__play");
    if (!button || button.dataset.kbReady) return;
    button.dataset.kbReady = "1";
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = figure.getAttribute("data-kb-embed");
      frame.title = figure.getAttribute("data-kb-title") || "Video";
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      frame.className = "kb-video__frame";
      button.replaceWith(frame);
      frame.focus();
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".kb-video--embed"), activate);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
