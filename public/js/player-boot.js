// Starts the player pages' scripts once the poster is on screen. video.js, VHS and the player
// take the main thread for a while on a slow phone; run before the poster is painted, they
// would keep the page black until then. The page preloads them (link[data-player-script], in the
// order they must run), so they download while the poster loads; this adds them as ordered
// scripts when the browser reports the poster painted (its largest-contentful-paint entry), or
// when the poster has been decoded and a frame has passed where that entry type is unknown,
// and in any case after POSTER_WAIT_MS (a slow or broken poster, a tab opened in the background).
(function () {
  "use strict";
  var POSTER_WAIT_MS = 1500;

  // video.js's injected <style> tags would break our CSP (style-src 'self'): its stylesheet is a file.
  window.VIDEOJS_NO_DYNAMIC_STYLE = true;

  var started = false;
  function start() {
    if (started) return;
    started = true;
    var links = document.querySelectorAll("link[data-player-script]");
    for (var i = 0; i < links.length; i++) {
      var script = document.createElement("script");
      script.src = links[i].href;
      // Dynamic scripts are async by default; these keep their order, each evaluated in its own task.
      script.async = false;
      document.head.appendChild(script);
    }
  }
  function afterNextFrame() {
    window.requestAnimationFrame(function () {
      window.setTimeout(start, 0);
    });
  }

  var video = document.getElementById("player");
  if (!video || !video.getAttribute("poster")) return afterNextFrame();
  window.setTimeout(start, POSTER_WAIT_MS);
  var types = (window.PerformanceObserver && window.PerformanceObserver.supportedEntryTypes) || [];
  if (types.indexOf("largest-contentful-paint") >= 0) {
    var observer = new window.PerformanceObserver(function (list) {
      var entries = list.getEntries();
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].element === video || entries[i].url === video.poster) {
          observer.disconnect();
          return start();
        }
      }
    });
    observer.observe({ type: "largest-contentful-paint", buffered: true });
  } else {
    var image = new window.Image();
    image.src = video.poster; // the preloaded file: the same request the video's poster uses
    if (typeof image.decode === "function") image.decode().then(afterNextFrame, afterNextFrame);
    else image.onload = image.onerror = afterNextFrame;
  }
})();
