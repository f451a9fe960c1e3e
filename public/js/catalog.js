// Catalog enhancements (pages work without this file): modal title dialog, row scroll buttons.
// Loaded once per full page load; listeners are on document, so boosted navigation keeps them.
(function () {
  document.documentElement.classList.add("js");

  // The server sends <dialog open> (visible even without this script); make it modal so focus
  // stays inside, Escape closes it and the page behind is inert.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "title-dialog") return;
    var dialog = target.querySelector("dialog");
    if (!dialog || typeof dialog.showModal !== "function") return;
    if (dialog.open) dialog.close();
    dialog.showModal();
    var heading = dialog.querySelector("h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  });

  // A click on the backdrop (outside the dialog's box) closes it.
  document.addEventListener("click", function (event) {
    var el = event.target;
    if (el && el.tagName === "DIALOG" && el.classList.contains("title-dialog")) {
      var r = el.getBoundingClientRect();
      var inside = event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom;
      if (!inside) el.close();
    }
  });

  function updateButtons(list, prev, next) {
    var max = list.scrollWidth - list.clientWidth - 2;
    prev.hidden = list.scrollLeft <= 2;
    next.hidden = list.scrollLeft >= max;
  }

  function enhanceRow(row) {
    if (row.dataset.enhanced) return;
    var list = row.querySelector(".row__items");
    if (!list) return;
    row.dataset.enhanced = "1";
    var prev = document.createElement("button");
    var next = document.createElement("button");
    prev.type = next.type = "button";
    prev.className = "row__scroll row__scroll--prev";
    next.className = "row__scroll row__scroll--next";
    prev.setAttribute("aria-label", row.dataset.prevLabel || "");
    next.setAttribute("aria-label", row.dataset.nextLabel || "");
    prev.textContent = "‹";
    next.textContent = "›";
    // Mouse users get the arrows; keyboard users move card to card with arrow keys (roving.js).
    prev.tabIndex = next.tabIndex = -1;
    prev.addEventListener("click", function () {
      list.scrollBy({ left: -list.clientWidth * 0.9, behavior: "smooth" });
    });
    next.addEventListener("click", function () {
      list.scrollBy({ left: list.clientWidth * 0.9, behavior: "smooth" });
    });
    list.addEventListener(
      "scroll",
      function () {
        updateButtons(list, prev, next);
      },
      { passive: true },
    );
    row.appendChild(prev);
    row.appendChild(next);
    updateButtons(list, prev, next);
  }

  function enhance(root) {
    var rows = (root || document).querySelectorAll(".row");
    for (var i = 0; i < rows.length; i++) enhanceRow(rows[i]);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhance(event.target);
  });
  window.addEventListener("resize", function () {
    var rows = document.querySelectorAll(".row[data-enhanced]");
    for (var i = 0; i < rows.length; i++) {
      var list = rows[i].querySelector(".row__items");
      var buttons = rows[i].querySelectorAll(".row__scroll");
      if (list && buttons.length === 2) updateButtons(list, buttons[0], buttons[1]);
    }
  });
})();
