// The watch page's player: video.js with HLS, a quality picker, keyboard shortcuts, resume,
// progress saves (every 10 s while playing, on pause, on seek, when the page is hidden or left)
// and the next-episode prompt. Trailers use the same player without saving anything.
(function () {
  "use strict";
  var SAVE_EVERY_MS = 10000;
  var SEEK_STEP = 10;
  var NEXT_PROMPT_BEFORE_END = 15;
  var NEXT_COUNTDOWN = 10;

  var el = document.getElementById("player");
  if (!el || typeof videojs !== "function") return;
  var app = document.getElementById("app");
  var csrf = (app && app.getAttribute("data-csrf")) || "";
  var data = el.dataset;
  var feature = data.kind === "feature";

  var player = videojs(el, {
    autoplay: "play",
    // The markup says "none": until this runs, the browser's own player must not start fetching
    // the stream (some play HLS natively) only for VHS to fetch it again.
    preload: "auto",
    fill: true,
    playbackRates: [0.75, 1, 1.25, 1.5],
    userActions: { hotkeys: false },
    // Native text tracks: the build we load has no vtt.js, and emulated tracks would fetch it from a CDN.
    html5: { vhs: { overrideNative: true }, nativeAudioTracks: false, nativeVideoTracks: false, nativeTextTracks: true },
    // Only the parts this player can show: building the others costs the main thread while the
    // page loads, for nothing. Left out: the caption style settings (emulated tracks only), the
    // title bar (the page has its own), live controls (every stream is VOD), skip buttons (the
    // keys do that), and the chapters, descriptions and audio track menus (no stream has those
    // tracks: each rendition carries its own audio).
    children: [
      "mediaLoader",
      "posterImage",
      "textTrackDisplay",
      "loadingSpinner",
      "bigPlayButton",
      "liveTracker",
      "controlBar",
      "errorDisplay",
      "resizeManager",
    ],
    controlBar: {
      children: [
        "playToggle",
        "volumePanel",
        "currentTimeDisplay",
        "timeDivider",
        "durationDisplay",
        "progressControl",
        "remainingTimeDisplay",
        "customControlSpacer",
        "playbackRateMenuButton",
        "subsCapsButton",
        "pictureInPictureToggle",
        "fullscreenToggle",
      ],
    },
  });
  // Other player modules (the chrome, subtitles, seek previews) hook in through this event, or
  // through videojs.getPlayer("player") if they load later.
  document.dispatchEvent(new window.CustomEvent("nextflix:player", { detail: { player: player } }));

  // --- Progress ----------------------------------------------------------------------------
  // Each save carries a strictly increasing client timestamp; the server keeps the newest, so a
  // slow request overtaken by a later one can never move the position back.
  var started = false;
  var lastTs = 0;
  var timer = null;

  function payload() {
    var duration = player.duration();
    var position = player.currentTime();
    if (!isFinite(duration) || duration <= 0 || !isFinite(position)) return null;
    var ts = Math.max(Date.now(), lastTs + 1);
    lastTs = ts;
    return new URLSearchParams({
      _csrf: csrf,
      slug: data.slug,
      episode: data.episode,
      position: Math.min(position, duration).toFixed(1),
      duration: duration.toFixed(1),
      ts: String(ts),
    });
  }

  // sendBeacon survives the page going away; it posts the same urlencoded form (with _csrf).
  function save(useBeacon) {
    if (!feature || !started) return;
    var body = payload();
    if (!body) return;
    if (useBeacon && navigator.sendBeacon && navigator.sendBeacon(data.saveUrl, body)) return;
    fetch(data.saveUrl, { method: "POST", body: body, credentials: "same-origin", keepalive: true, headers: { "x-csrf-token": csrf } }).catch(function () {});
  }

  player.on("playing", function () {
    started = true;
    if (timer === null) {
      timer = window.setInterval(function () {
        if (!player.paused()) save(false);
      }, SAVE_EVERY_MS);
    }
  });
  player.on("pause", function () {
    save(false);
  });
  player.on("seeked", function () {
    save(false);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(true);
  });
  window.addEventListener("pagehide", function () {
    save(true);
  });
  // Leaving through a boosted link swaps the body without a pagehide: save and stop first.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail || event.detail.target !== document.body) return;
    save(true);
    if (timer !== null) window.clearInterval(timer);
    player.dispose();
  });

  // --- Resume ------------------------------------------------------------------------------
  var resume = Number(data.resume) || 0;
  if (resume > 0) {
    player.one("loadedmetadata", function () {
      if (resume < player.duration() - 2) return void player.currentTime(resume);
      // The stream is shorter than the saved position (it was replaced): start from the top.
      var note = document.getElementById("resume-note");
      if (note) note.hidden = true;
    });
  }
  var startOver = document.getElementById("start-over");
  if (startOver) {
    startOver.addEventListener("click", function (event) {
      event.preventDefault();
      player.currentTime(0);
      player.play();
      var note = document.getElementById("resume-note");
      if (note) note.hidden = true;
    });
  }

  // --- Quality levels ----------------------------------------------------------------------
  var select = document.getElementById("quality-select");
  var qualityBox = document.getElementById("quality");
  var levels = typeof player.qualityLevels === "function" ? player.qualityLevels() : null;
  function renderLevels() {
    if (!levels || !select) return;
    var heights = [];
    for (var i = 0; i < levels.length; i++) if (levels[i].height && heights.indexOf(levels[i].height) < 0) heights.push(levels[i].height);
    heights.sort(function (a, b) {
      return b - a;
    });
    var current = select.value;
    while (select.options.length > 1) select.remove(1);
    heights.forEach(function (h) {
      var option = document.createElement("option");
      option.value = String(h);
      option.textContent = h + "p";
      select.appendChild(option);
    });
    select.value = heights.indexOf(Number(current)) >= 0 ? current : "auto";
    if (qualityBox) qualityBox.hidden = heights.length < 2;
  }
  if (levels && select) {
    levels.on("addqualitylevel", function () {
      window.setTimeout(renderLevels, 0);
    });
    select.addEventListener("change", function () {
      var wanted = select.value;
      for (var i = 0; i < levels.length; i++) levels[i].enabled = wanted === "auto" || String(levels[i].height) === wanted;
    });
  }

  // --- Keyboard shortcuts --------------------------------------------------------------------
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    var onControl = tag === "BUTTON" || tag === "A";
    var key = event.key;
    var handled = true;
    if ((key === " " || key === "Spacebar") && !onControl) {
      if (player.paused()) player.play();
      else player.pause();
    } else if (key === "k" || key === "K") {
      if (player.paused()) player.play();
      else player.pause();
    } else if (key === "ArrowLeft" || key === "j" || key === "J") {
      player.currentTime(Math.max(0, player.currentTime() - SEEK_STEP));
    } else if (key === "ArrowRight" || key === "l" || key === "L") {
      player.currentTime(Math.min(player.duration() || Infinity, player.currentTime() + SEEK_STEP));
    } else if (key === "ArrowUp") {
      player.volume(Math.min(1, player.volume() + 0.1));
    } else if (key === "ArrowDown") {
      player.volume(Math.max(0, player.volume() - 0.1));
    } else if (key === "m" || key === "M") {
      player.muted(!player.muted());
    } else if (key === "f" || key === "F") {
      if (player.isFullscreen()) player.exitFullscreen();
      else player.requestFullscreen();
    } else {
      handled = false;
    }
    if (handled) event.preventDefault();
  });

  // --- Next episode --------------------------------------------------------------------------
  var nextBox = document.getElementById("next-episode");
  var countdownEl = document.getElementById("next-countdown");
  var countdown = null;
  var dismissed = false;
  function showNext() {
    if (nextBox && !dismissed) nextBox.hidden = false;
  }
  function stopCountdown() {
    if (countdown !== null) window.clearInterval(countdown);
    countdown = null;
    if (countdownEl) countdownEl.textContent = "";
  }
  if (nextBox && data.nextHref) {
    player.on("timeupdate", function () {
      var d = player.duration();
      if (isFinite(d) && d > 0 && d - player.currentTime() <= NEXT_PROMPT_BEFORE_END) showNext();
    });
    player.on("ended", function () {
      showNext();
      if (dismissed || countdown !== null) return;
      var left = NEXT_COUNTDOWN;
      var template = nextBox.getAttribute("data-template") || "{n}";
      countdownEl.textContent = template.replace("{n}", String(left));
      countdown = window.setInterval(function () {
        left -= 1;
        countdownEl.textContent = template.replace("{n}", String(left));
        if (left <= 0) {
          stopCountdown();
          window.location.href = data.nextHref;
        }
      }, 1000);
    });
    document.getElementById("next-cancel").addEventListener("click", function () {
      dismissed = true;
      stopCountdown();
      nextBox.hidden = true;
    });
    player.on("seeking", function () {
      if (player.currentTime() < player.duration() - NEXT_PROMPT_BEFORE_END) {
        stopCountdown();
        nextBox.hidden = true;
      }
    });
  }
})();
