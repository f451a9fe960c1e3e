// The player page's chrome: the bar over the video fades while it plays and the pointer rests,
// the resume choice waits over the video until answered (or playback moves on), and "?" opens
// the keyboard shortcuts. The player itself (public/js/player.js) works without this file.
(function () {
  "use strict";
  var IDLE_MS = 3000;
  var RESUME_OVERLAY_MS = 10000;
  var root = document.querySelector("[data-player-chrome]");
  var el = document.getElementById("player");
  if (!root || !el) return;

  function withPlayer(fn) {
    // video.js moves the element's id to its wrapper: ask video.js for the player by that id.
    var ready = typeof videojs === "function" && videojs.getPlayer ? videojs.getPlayer("player") : null;
    if (ready) return fn(ready);
    document.addEventListener("nextflix:player", function (event) {
      fn(event.detail.player);
    });
  }

  withPlayer(function (player) {
    // --- Controls fade while playing ------------------------------------------------------------
    var idleTimer = null;
    function wake() {
      root.classList.remove("is-idle");
      if (idleTimer !== null) window.clearTimeout(idleTimer);
      idleTimer = window.setTimeout(function () {
        var focused = document.activeElement;
        if (!player.paused() && !(focused && focused.closest && focused.closest(".watch__bar, .watch__resume, .shortcuts"))) root.classList.add("is-idle");
      }, IDLE_MS);
    }
    ["pointermove", "pointerdown", "keydown", "focusin"].forEach(function (type) {
      root.addEventListener(type, wake, { passive: true });
    });
    player.on("pause", wake);
    player.on("play", wake);
    wake();

    // --- Resume overlay ---------------------------------------------------------------------------
    var note = document.getElementById("resume-note");
    var resumeButton = document.getElementById("resume-continue");
    if (note && resumeButton) {
      var hide = function () {
        note.hidden = true;
      };
      resumeButton.addEventListener("click", function () {
        hide();
        player.play();
      });
      // Answered by playing on: the overlay gets out of the way after a while.
      player.one("playing", function () {
        window.setTimeout(hide, RESUME_OVERLAY_MS);
      });
    }
  });

  // --- Keyboard shortcut help -------------------------------------------------------------------
  var help = document.getElementById("shortcuts");
  var open = document.getElementById("shortcuts-open");
  function showHelp() {
    if (!help || help.open) return;
    if (typeof help.showModal === "function") help.showModal();
    else help.setAttribute("open", "");
  }
  if (open) open.addEventListener("click", showHelp);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "?" || event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    event.preventDefault();
    showHelp();
  });
})();
