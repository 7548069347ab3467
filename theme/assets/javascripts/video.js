/*
 * Click-to-load video players: until the visitor presses play, a video page makes no request
 * to the provider (no cookies, no tracking, nothing blocked by a strict office firewall). The
 * button is hidden without scripts; the "Watch on ..." link and the transcript remain.
 * Every player's placeholder has the player's own size (kb.css), so nothing moves at play.
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

  // A video file: the browser's own player shows a loading spinner over an empty frame until
  // the file is asked for, which (preload="none") is never before play. Cover it with the same
  // "play" face as the embedded players, at the player's size; the click starts the video.
  function cover(figure) {
    var video = figure.querySelector("video");
    if (!video || figure.querySelector(".kb-video__play")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kb-video__play kb-video__play--cover";
    var label = document.createElement("span");
    label.className = "kb-video__play-label";
    label.textContent = "Play the video";
    button.appendChild(label);
    button.setAttribute("aria-label", "Play the video: " + (video.getAttribute("aria-label") || ""));
    button.addEventListener("click", function () {
      button.remove();
      video.focus();
      var playing = video.play();
      if (playing && playing.catch) playing.catch(function () { /* the controls remain */ });
    });
    video.insertAdjacentElement("beforebegin", button);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".kb-video--embed"), activate);
    Array.prototype.forEach.call(document.querySelectorAll(".kb-video--file"), cover);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
