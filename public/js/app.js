// Progressive enhancement only: pages work without this file.
// After an htmx swap of the whole page, move focus to the new main content for screen readers.
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail && event.detail.target;
  if (target === document.body) {
    var main = document.getElementById("main");
    if (main) main.focus({ preventScroll: true });
  }
});
