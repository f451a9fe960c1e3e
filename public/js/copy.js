// Copy buttons on the checkout page: shown only when the Clipboard API is available.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll(".copy-btn[data-copy]").forEach(function (button) {
    if (button.dataset.ready) return;
    button.dataset.ready = "1";
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copy);
      if (!source) return;
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.dataset.copied || "✓";
        setTimeout(function () {
          button.textContent = label;
        }, 1500);
      });
    });
  });
})();
