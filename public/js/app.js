// Progressive enhancement only: pages work without this file.
// After an htmx swap of the whole page, move focus to the new main content for screen readers.
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail && event.detail.target;
  if (target === document.body) {
    var main = document.getElementById("main");
    if (main) main.focus({ preventScroll: true });
  }
});

// The fixed header turns solid once the page scrolls off the hero.
(function () {
  var header = document.querySelector("[data-site-header]");
  if (!header) return;
  var update = function () {
    header.classList.toggle("is-solid", window.scrollY > 8);
  };
  window.addEventListener("scroll", update, { passive: true });
  update();
})();

// A filter that applies as soon as it changes (the form's button does the same without script).
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select && select.tagName === "SELECT" && select.hasAttribute("data-autosubmit") && select.form) select.form.requestSubmit();
});
