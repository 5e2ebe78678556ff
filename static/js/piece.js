// The piece page: open the contents beside the text on wide screens, and offer "Copy link"
// where the browser lets a page write to the clipboard (without script the button stays hidden).
"use strict";
(function () {
  var wide = window.matchMedia("(min-width: 75rem)");
  document.querySelectorAll("details.contents__details").forEach(function (details) {
    if (wide.matches) details.open = true;
  });

  if (!(navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext)) return;
  document.querySelectorAll(".share__copy").forEach(function (item) {
    var button = item.querySelector("button");
    var status = item.querySelector(".share__status");
    var timer;
    item.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.url).then(
        function () { status.textContent = status.dataset.done; },
        function () { status.textContent = status.dataset.failed; }
      ).then(function () {
        clearTimeout(timer);
        timer = setTimeout(function () { status.textContent = ""; }, 4000);
      });
    });
  });
})();
