// The watch page's media additions, kept apart from the player itself (player.js):
// - the screen lease heartbeat: while the page is open it renews this device's screen every 20 s;
//   when the server answers 409 (stopped from another device, or no screen free) the video pauses
//   and a notice links to the account's streams;
// - subtitle tracks in the captions menu, the profile's last choice shown and remembered;
// - a seek preview (storyboard thumbnail) over the progress bar, from the stream's WebVTT track
//   (fetched when the pointer first reaches the bar);
// - "Skip intro" while the playhead is between the title's or episode's intro markers.
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

  // --- Subtitles ---------------------------------------------------------------------------
  var tracks = [];
  try {
    tracks = JSON.parse(notice.dataset.subtitles || "[]");
  } catch {
    tracks = [];
  }
  var wanted = notice.dataset.subtitleLang || "";
  var saved = wanted;

  function saveChoice(lang) {
    if (lang === saved) return;
    saved = lang;
    var body = new URLSearchParams({ _csrf: csrf, lang: lang });
    fetch(notice.dataset.subtitleSave, { method: "POST", body: body, credentials: "same-origin", headers: { "x-csrf-token": csrf } }).catch(function () {});
  }

  function setUpSubtitles(p) {
    if (!tracks.length) return;
    tracks.forEach(function (t) {
      p.addRemoteTextTrack({ kind: "subtitles", srclang: t.lang, label: t.label, src: t.url, default: t.lang === wanted }, false);
    });
    var list = p.textTracks();
    for (var i = 0; i < list.length; i++) if (list[i].kind === "subtitles") list[i].mode = list[i].language === wanted ? "showing" : "disabled";
    list.addEventListener("change", function () {
      var showing = "off";
      for (var j = 0; j < list.length; j++) if (list[j].kind === "subtitles" && list[j].mode === "showing") showing = list[j].language;
      saveChoice(showing);
    });
  }

  // --- Seek preview ------------------------------------------------------------------------
  var preview = document.getElementById("seek-preview");
  var cues = [];

  function parseTime(text) {
    var parts = text.split(":").map(Number);
    return parts.length === 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : parts[0] * 60 + parts[1];
  }

  // The storyboard is fetched when the pointer first reaches the progress bar, not while the
  // page loads; `pending` is that first position, shown once the cues are in.
  var storyboard = null;
  function loadThumbnails(url) {
    if (storyboard) return storyboard;
    storyboard = fetch(url, { credentials: "same-origin" })
      .then(function (res) {
        return res.ok ? res.text() : "";
      })
      .then(function (text) {
        var base = url.slice(0, url.lastIndexOf("/") + 1);
        text.split(/\n\n+/).forEach(function (block) {
          var lines = block.trim().split("\n");
          var timing = lines.findIndex(function (l) {
            return l.indexOf("-->") >= 0;
          });
          if (timing < 0 || !lines[timing + 1]) return;
          var range = lines[timing].split("-->");
          var m = /^(.*)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(lines[timing + 1].trim());
          if (!m) return;
          cues.push({ start: parseTime(range[0].trim()), end: parseTime(range[1].trim()), src: base + m[1], x: +m[2], y: +m[3], w: +m[4], h: +m[5] });
        });
      })
      .catch(function () {});
    return storyboard;
  }

  function format(sec) {
    sec = Math.max(0, Math.floor(sec));
    var m = Math.floor(sec / 60);
    var s = sec % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function setUpPreview(p) {
    var url = notice.dataset.thumbnails;
    if (!url || !preview) return;
    var bar = p.el().querySelector(".vjs-progress-control");
    if (!bar) return;
    var image = preview.querySelector(".seek-preview__image");
    var label = preview.querySelector(".seek-preview__time");
    var pending = null;
    function show(clientX) {
      var duration = p.duration();
      if (!cues.length || !isFinite(duration) || duration <= 0) return;
      var rect = bar.getBoundingClientRect();
      var frac = Math.min(1, Math.max(0, (clientX - rect.left) / rect.width));
      var t = frac * duration;
      var cue =
        cues.find(function (c) {
          return t >= c.start && t < c.end;
        }) || cues[cues.length - 1];
      image.style.width = cue.w + "px";
      image.style.height = cue.h + "px";
      image.style.backgroundImage = "url(" + JSON.stringify(cue.src) + ")";
      image.style.backgroundPosition = -cue.x + "px " + -cue.y + "px";
      label.textContent = format(t);
      var stage = p.el().getBoundingClientRect();
      preview.style.left = Math.min(Math.max(clientX - cue.w / 2, stage.left + 4), stage.right - cue.w - 4) + "px";
      preview.style.top = rect.top - cue.h - 30 + "px";
      preview.hidden = false;
    }
    bar.addEventListener("mousemove", function (event) {
      if (cues.length) return show(event.clientX);
      pending = event.clientX;
      loadThumbnails(url).then(function () {
        if (pending !== null) show(pending);
        pending = null;
      });
    });
    bar.addEventListener("mouseleave", function () {
      pending = null;
      preview.hidden = true;
    });
  }

  // --- Skip intro --------------------------------------------------------------------------
  function setUpSkipIntro(p) {
    var button = document.getElementById("skip-intro");
    var start = Number(notice.dataset.introStart);
    var end = Number(notice.dataset.introEnd);
    if (!button || !(end > start)) return;
    p.on("timeupdate", function () {
      var t = p.currentTime();
      button.hidden = !(t >= start && t < end - 0.5);
    });
    button.addEventListener("click", function () {
      p.currentTime(end);
      button.hidden = true;
      p.play();
    });
  }

  var ready = player();
  if (ready) {
    ready.ready(function () {
      setUpSubtitles(ready);
      setUpPreview(ready);
      setUpSkipIntro(ready);
    });
  }
})();
