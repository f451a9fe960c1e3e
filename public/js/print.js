// The receipt page's print button: shown only with JavaScript (printing from the browser menu works without it).
(function () {
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    if (button.dataset.ready) return;
    button.dataset.ready = "1";
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
