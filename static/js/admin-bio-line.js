// Suggest each author's bio line (from their fellowship on the day the piece goes public) as the placeholder
// of an empty bio line field, as soon as the author is picked. The line is stored when the piece
// is published, unless an editor writes their own.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  const $ = window.django && window.django.jQuery;
  if (!$) return;
  const config = document.getElementById("bio-line-url");
  if (!config) return;
  const url = config.dataset.url;

  function suggest(select) {
    const row = select.closest("tr");
    const field = row && row.querySelector("input[name$='-bio_line']");
    if (!field || !select.value) return;
    // The day it goes public: the time picked for Schedule, else its publish date, else today.
    const picked = (document.getElementById("id_schedule_at") || {}).value || "";
    const day = picked ? picked.slice(0, 10) : config.dataset.date || "";
    const query = new URLSearchParams({ person: select.value, date: day });
    fetch(`${url}?${query}`, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (data) field.placeholder = data.bio_line;
      });
  }

  $(document).on("change", "select[name^='authorships-'][name$='-person']", function () {
    suggest(this);
  });
});
