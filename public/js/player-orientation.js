// Phones and tablets: full screen is landscape. Entering full screen locks the screen to landscape
// where the browser allows it (Android Chrome in full screen; elsewhere the lock is refused and
// nothing changes), and turning the device to landscape while the video plays enters full screen.
// Every step may be refused by the browser; a refusal is silent and leaves the page as it was.
(function () {
  "use strict";
  var touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  if (!touch) return;
  var landscape = window.matchMedia("(orientation: landscape)");
  var enteredByRotation = false;

  function quietly(fn) {
    try {
      var result = fn();
      if (result && typeof result.catch === "function") result.catch(function () {});
    } catch {
      // Not supported by this browser: the page stays as it is.
    }
  }

  function setUp(player) {
    if (!player || player.__orientationReady) return;
    player.__orientationReady = true;
    player.on("fullscreenchange", function () {
      var orientation = window.screen && window.screen.orientation;
      if (!orientation) return;
      if (player.isFullscreen()) {
        quietly(function () {
          return orientation.lock("landscape");
        });
      } else {
        enteredByRotation = false;
        quietly(function () {
          orientation.unlock();
        });
      }
    });
    var onRotate = function () {
      if (landscape.matches && !player.paused() && !player.isFullscreen()) {
        enteredByRotation = true;
        quietly(function () {
          return player.requestFullscreen();
        });
      } else if (!landscape.matches && enteredByRotation && player.isFullscreen()) {
        quietly(function () {
          return player.exitFullscreen();
        });
      }
    };
    if (typeof landscape.addEventListener === "function") landscape.addEventListener("change", onRotate);
  }

  document.addEventListener("nextflix:player", function (event) {
    setUp(event.detail && event.detail.player);
  });
  // When this file runs after the player started.
  if (window.videojs && typeof window.videojs.getPlayer === "function") setUp(window.videojs.getPlayer("player"));
})();
