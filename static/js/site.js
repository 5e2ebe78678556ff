// Open the filter panel on wide screens; on phones it stays folded above the results.
"use strict";
document.querySelectorAll("details.filters-toggle").forEach(function (details) {
  if (window.matchMedia("(min-width: 56rem)").matches) details.open = true;
});
