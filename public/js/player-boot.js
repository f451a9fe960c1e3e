// Starts the player pages' scripts once the poster is on screen. video.js, VHS and the player
// take the main thread for a while on a slow phone; run before the first paint, they would keep
// the page black until then. The page preloads them (link[data-player-script], in the order they
// must run), so they download while the poster loads; this adds them as ordered scripts after the
// poster has been decoded and a frame painted, or after POSTER_WAIT_MS if the poster is slow.
(function () {
  "use strict";
  var POSTER_WAIT_MS = 1000;

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
  function afterNextPaint() {
    window.requestAnimationFrame(function () {
      window.setTimeout(start, 0);
    });
  }

  var video = document.getElementById("player");
  var poster = video && video.getAttribute("poster");
  if (!poster) return afterNextPaint();
  window.setTimeout(start, POSTER_WAIT_MS);
  var image = new window.Image();
  image.src = poster; // the preloaded file: the same request the video's poster uses
  if (typeof image.decode === "function") image.decode().then(afterNextPaint, afterNextPaint);
  else {
    image.onload = afterNextPaint;
    image.onerror = afterNextPaint;
  }
})();
