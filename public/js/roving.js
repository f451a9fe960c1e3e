// Rows of cards as one Tab stop each (roving tabindex): Tab enters a row at its current card,
// ArrowLeft/ArrowRight, Home and End move between cards, and the current card's own buttons
// (My List, remove) stay in the Tab order after it. Without this script every link is a Tab stop.
(function () {
  var LIST = ".row__items";

  function cardsOf(list) {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.classList.contains("card");
    });
  }

  function focusablesOf(card) {
    return card.querySelectorAll("a[href], button, input, select, textarea");
  }

  function activate(list, index) {
    var cards = cardsOf(list);
    if (cards.length === 0) return null;
    index = Math.max(0, Math.min(index, cards.length - 1));
    list.dataset.active = String(index);
    for (var i = 0; i < cards.length; i++) {
      var els = focusablesOf(cards[i]);
      for (var j = 0; j < els.length; j++) els[j].tabIndex = i === index ? 0 : -1;
    }
    return cards[index];
  }

  function setUp(root) {
    var lists = [];
    if (root.matches && root.matches(LIST)) lists.push(root);
    if (root.closest && root.closest(LIST)) lists.push(root.closest(LIST));
    if (root.querySelectorAll) lists.push.apply(lists, root.querySelectorAll(LIST));
    for (var i = 0; i < lists.length; i++) {
      // The list itself is a Tab stop only so it can scroll without this script; now a card is.
      if (cardsOf(lists[i]).length > 0) lists[i].tabIndex = -1;
      activate(lists[i], Number(lists[i].dataset.active || 0));
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var list = event.target.closest && event.target.closest(LIST);
    if (!list) return;
    var card = event.target.closest(".card");
    var cards = cardsOf(list);
    var at = cards.indexOf(card);
    var to;
    if (event.key === "ArrowRight") to = at + 1;
    else if (event.key === "ArrowLeft") to = at - 1;
    else if (event.key === "Home") to = 0;
    else if (event.key === "End") to = cards.length - 1;
    else return;
    event.preventDefault();
    var next = activate(list, to);
    var link = next && next.querySelector(".card__link");
    if (link) {
      link.focus();
      link.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  });

  // Focus that arrives some other way (a click, a swapped-in button) makes that card current.
  document.addEventListener("focusin", function (event) {
    var list = event.target.closest && event.target.closest(LIST);
    if (!list) return;
    var at = cardsOf(list).indexOf(event.target.closest(".card"));
    if (at >= 0 && String(at) !== list.dataset.active) activate(list, at);
  });

  document.addEventListener("DOMContentLoaded", function () {
    setUp(document);
  });
  // Lazy rows and swapped My List buttons arrive through htmx.
  document.addEventListener("htmx:load", function (event) {
    setUp(event.target);
  });
})();
