// Open the filter panel on wide screens; on phones it stays folded above the results.
"use strict";
document.querySelectorAll("details.filters-toggle").forEach(function (details) {
  if (window.matchMedia("(min-width: 56rem)").matches) details.open = true;
});

// The header's search: on phones the field folds behind a button (without JavaScript that button
// is a link to the search page). The button says whether the field is shown and opens it with the
// keyboard; Escape folds it again.
(function foldHeaderSearch() {
  var link = document.querySelector("a.site-search-toggle");
  var form = link && document.getElementById(link.dataset.controls);
  if (!form) return;
  var input = form.querySelector("input[type='search']");
  var button = document.createElement("button");
  button.type = "button";
  button.className = link.className;
  while (link.firstChild) button.appendChild(link.firstChild);
  button.setAttribute("aria-controls", form.id);
  button.setAttribute("aria-expanded", "false");
  link.replaceWith(button);

  function setOpen(open) {
    button.setAttribute("aria-expanded", String(open));
    form.classList.toggle("is-open", open);
  }
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    setOpen(open);
    if (open && input) input.focus();
  });
  form.addEventListener("keydown", function (event) {
    var folds = button.offsetParent !== null; // the button is shown: a phone-width header
    if (event.key === "Escape" && folds && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();

// The listing's filters: leave empty fields out of the address, and take the reader to
// the summary of any mistake. Without JavaScript the server redirects to the same address.
(function listingFilters() {
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name], select[name]").forEach(function (field) {
        if (field.value.trim() === "") field.disabled = true;
      });
    });
  });
  // Coming back to the page (the back button's cache): its fields work again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.filters [disabled]").forEach(function (field) {
      field.disabled = false;
    });
  });
  var summary = document.querySelector(".error-summary");
  if (summary) {
    var folded = summary.closest("details");
    if (folded) folded.open = true;
    summary.focus();
  }
})();
