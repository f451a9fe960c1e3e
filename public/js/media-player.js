// The watch page's media additions, kept apart from the player itself (player.js): the screen
// lease heartbeat. While the page is open it renews this device's screen every 20 s; when the
// server answers 409 (the stream was stopped from another device, or no screen is free) the
// video pauses and a notice links to the account's streams.
(function () {
  "use strict";
  var HEARTBEAT_MS = 20000;

  var notice = document.getElementById("screen-notice");
  var el = document.getElementById("player");
  if (!notice || !el || el.getAttribute("data-kind") !== "feature") return;
  var app = document.getElementById("app");
  var csrf = (app && app.getAttribute("data-csrf")) || "";
  var timer = null;

  function player() {
    return typeof videojs === "function" ? videojs.getPlayer("player") : null;
  }

  function lost() {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
    var p = player();
    if (p) p.pause();
    notice.hidden = false;
  }

  function beat() {
    var body = new URLSearchParams({ _csrf: csrf, slug: notice.dataset.slug, episode: notice.dataset.episode });
    fetch(notice.dataset.leaseUrl, { method: "POST", body: body, credentials: "same-origin", headers: { "x-csrf-token": csrf } })
      .then(function (res) {
        if (res.status === 409) lost();
      })
      .catch(function () {});
  }

  timer = window.setInterval(beat, HEARTBEAT_MS);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && timer !== null) beat();
  });
  // Leaving through a boosted link swaps the body: stop renewing.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail || event.detail.target !== document.body) return;
    if (timer !== null) window.clearInterval(timer);
    timer = null;
  });
})();
