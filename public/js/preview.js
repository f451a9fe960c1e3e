// The preview card of a row's poster (desktop only: devices with a fine pointer that can hover).
// Resting the pointer on a card, or keeping keyboard focus on it, for a moment loads a small
// fragment (GET /title/:slug/preview: bigger art, Play, My List, thumbs, maturity, runtime,
// genres) into a box placed over the card. The box sits in the row's section right after its
// list, so Tab goes from the card into the box's buttons; Escape closes it and returns to the card.
(function () {
  if (!window.matchMedia || !window.matchMedia("(hover: hover) and (pointer: fine)").matches) return;

  var DELAY = 400;
  var HIDE_DELAY = 150;
  var CARD = ".row__items > .card";
  // `closed`: the card whose preview Escape closed; focus returning to it does not reopen it.
  var state = { card: null, box: null, showTimer: 0, hideTimer: 0, closed: null };

  function slugOf(card) {
    var link = card.querySelector(".card__link");
    var href = link && link.getAttribute("data-hx-get");
    var m = href && /^\/title\/([a-z0-9-]+)$/.exec(href);
    return m ? m[1] : null;
  }

  function boxFor(row) {
    var box = row.querySelector(":scope > .preview");
    if (!box) {
      box = document.createElement("section");
      box.className = "preview";
      box.setAttribute("aria-labelledby", "preview-heading");
      box.hidden = true;
      row.appendChild(box);
    }
    return box;
  }

  // Over the card, wider than it (room for its buttons on one line), centred on it, inside the row.
  function place(box, card, row) {
    var r = card.getBoundingClientRect();
    var rowRect = row.getBoundingClientRect();
    var width = Math.min(rowRect.width - 16, Math.max(380, Math.round(r.width * 1.7)));
    var left = r.left - rowRect.left + r.width / 2 - width / 2;
    left = Math.max(8, Math.min(left, rowRect.width - width - 8));
    box.style.width = width + "px";
    box.style.left = Math.round(left) + "px";
    box.style.top = Math.round(r.top - rowRect.top - r.height * 0.1) + "px";
  }

  function cancelHide() {
    clearTimeout(state.hideTimer);
    state.hideTimer = 0;
  }

  function clearTimers() {
    clearTimeout(state.showTimer);
    cancelHide();
  }

  function show(card) {
    var slug = slugOf(card);
    var row = card.closest(".row");
    if (!slug || !row || !window.htmx) return;
    if (state.card === card && state.box && !state.box.hidden) return;
    hide();
    var box = boxFor(row);
    state.card = card;
    state.box = box;
    window.htmx
      .ajax("GET", "/title/" + slug + "/preview", { target: box, swap: "innerHTML" })
      .then(function () {
        // The pointer or the focus may have moved on while the fragment loaded.
        if (state.card !== card || !box.querySelector("[data-testid=title-preview]")) return;
        place(box, card, row);
        box.hidden = false;
        card.classList.add("card--previewed");
      })
      .catch(function () {});
  }

  function hide(returnFocus) {
    clearTimers();
    var card = state.card;
    if (state.box) {
      state.box.hidden = true;
      state.box.textContent = "";
    }
    if (card) card.classList.remove("card--previewed");
    state.card = null;
    state.box = null;
    if (returnFocus && card) {
      var link = card.querySelector(".card__link");
      state.closed = card;
      if (link) link.focus();
    }
  }

  function schedule(card) {
    clearTimers();
    state.showTimer = setTimeout(function () {
      show(card);
    }, DELAY);
  }

  function scheduleHide() {
    clearTimers();
    state.hideTimer = setTimeout(function () {
      state.hideTimer = 0;
      hide(false);
    }, HIDE_DELAY);
  }

  function inside(el) {
    return Boolean(el && ((state.card && state.card.contains(el)) || (state.box && state.box.contains(el))));
  }

  document.addEventListener("mouseover", function (event) {
    var card = event.target.closest && event.target.closest(CARD);
    if (card) {
      if (card !== state.card) schedule(card);
      else cancelHide();
      return;
    }
    if (inside(event.target)) cancelHide();
  });

  document.addEventListener("mouseout", function (event) {
    var from = event.target.closest && (event.target.closest(CARD) || event.target.closest(".preview"));
    if (!from || inside(event.relatedTarget)) return;
    if (!state.card) clearTimeout(state.showTimer);
    else scheduleHide();
  });

  // The pointer anywhere but a card closes an open preview even when no mouseout said it left: a
  // button the pointer was on may have been swapped out under it (My List, thumbs). Another card
  // is mouseover's to handle (it schedules that card's preview).
  document.addEventListener("mousemove", function (event) {
    if (!state.card || state.hideTimer || inside(event.target)) return;
    if (event.target.closest && event.target.closest(CARD)) return;
    scheduleHide();
  });

  document.addEventListener("focusin", function (event) {
    var card = event.target.closest && event.target.closest(CARD);
    if (card && event.target.classList.contains("card__link") && event.target.matches(":focus-visible")) {
      if (card === state.closed) state.closed = null;
      else if (card !== state.card) schedule(card);
      return;
    }
    if (inside(event.target)) clearTimers();
    else if (state.card || state.showTimer) scheduleHide();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || (!state.card && !state.showTimer)) return;
    var focusInside = inside(document.activeElement);
    clearTimers();
    if (state.card) {
      event.preventDefault();
      hide(focusInside);
    }
  });

  // Opening the title dialog, scrolling a row or leaving the page closes the preview.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (state.card && elt && elt.getAttribute && elt.getAttribute("data-hx-target") === "#title-dialog") hide(false);
  });
  document.addEventListener(
    "scroll",
    function (event) {
      if (state.card && event.target && event.target.classList && event.target.classList.contains("row__items")) hide(false);
    },
    { capture: true, passive: true },
  );
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail && event.detail.target === document.body) hide(false);
  });
})();
