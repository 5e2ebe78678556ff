// Autosave and a leave warning for the piece's form, under the strict CSP (a file, no inline code).
// While the form is open, a private copy of its fields goes to the server a few seconds after
// typing stops (the piece itself is not touched). Reopening the form offers to bring the copy
// back or to discard it. Leaving a changed form asks first.
//
// "Changed" means the fields differ from what the page opened with, not that an event fired:
// the admin's own scripts send "change" events while setting up, and typing something then
// taking it back leaves nothing to keep.
"use strict";
(function () {
  const editors = new Map(); // textarea name -> rich-text editor
  document.addEventListener("prose-editor:ready", function (event) {
    const { editor, textarea } = event.detail;
    editors.set(textarea.name, editor);
    editor.on("update", function () {
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });

  window.addEventListener("DOMContentLoaded", function () {
    const config = document.getElementById("autosave-config");
    const form = document.getElementById("publication_form");
    if (!config || !form) return;
    const url = config.dataset.url;
    const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    const skipped = /^(csrfmiddlewaretoken|_.*|resolve-.*)$|__prefix__/;
    // A form sent back refused (a conflict to choose on, an error) holds text not saved yet.
    const refused = Boolean(form.querySelector(".errornote, .conflict"));
    let submitting = false;
    let timer = null;
    let status = null;

    function fields() {
      const data = {};
      for (const element of form.elements) {
        if (!element.name || skipped.test(element.name) || element.type === "file") continue;
        if (element.type === "submit" || element.type === "button") continue;
        if (element.type === "checkbox" || element.type === "radio") {
          if (element.type === "checkbox") data[element.name] = element.checked;
          else if (element.checked) data[element.name] = element.value;
        } else if (element.tagName === "SELECT") {
          data[element.name] = Array.from(element.selectedOptions, (o) => [o.value, o.text]);
        } else {
          data[element.name] = element.value;
        }
      }
      return data;
    }

    const opened = JSON.stringify(fields()); // the fields as the page opened
    let sent = opened; // the fields as the server's copy last had them

    function isChanged() {
      return refused || JSON.stringify(fields()) !== opened;
    }

    function show(text) {
      status = status || document.getElementById("autosave-status");
      if (!status) {
        status = document.createElement("p");
        status.className = "autosave-status";
        status.setAttribute("role", "status");
        const row = form.querySelector(".submit-row");
        (row || form).before(status);
      }
      status.textContent = text;
      status.hidden = false;
    }

    function post(data) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token },
        body: new URLSearchParams(data),
      }).then((response) => (response.ok ? response.json() : Promise.reject(response.status)));
    }

    function save() {
      timer = null;
      const now = JSON.stringify(fields());
      if (submitting || now === sent) return;
      const previous = sent;
      sent = now;
      if (now === opened && !refused) {
        // Back to what the page opened with: the copy this page kept has nothing left to keep.
        post({ discard: "1" })
          .then(() => show("No changes: no draft copy kept."))
          .catch(() => (sent = previous));
        return;
      }
      post({ fields: now })
        .then((data) => show(`Draft copy kept at ${data.saved_at}`))
        .catch(() => {
          sent = previous; // try again at the next change
          show("Could not keep a draft copy just now: save the piece to be safe.");
        });
    }

    function changed() {
      if (submitting) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 2000);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    // Search-as-you-type lists (select2) announce a pick through jQuery only, not to native
    // listeners; a byline row added or removed sends no input event either.
    const jQuery = window.django && window.django.jQuery;
    if (jQuery) jQuery(form).on("change", "select", changed);
    document.addEventListener("formset:added", changed);
    document.addEventListener("formset:removed", changed);
    form.addEventListener("submit", function () {
      // The save supersedes the copy: a copy sent after it would be offered back as unsaved.
      submitting = true;
      if (timer) clearTimeout(timer);
      timer = null;
    });
    // Back from the next page by the browser's history: this page is live again.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) submitting = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && isChanged()) {
        event.preventDefault();
        event.returnValue = "";
      }
    });

    const offer = document.getElementById("autosave-offer");
    if (!offer) return;
    const saved = JSON.parse(document.getElementById("autosave-fields").textContent);

    // Inline rows (the byline): the page keeps its own count and row ids, which match what is
    // stored now; rows the copy had beyond the page's are added first, as "Add another" would.
    const management = /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;
    const prefixes = Object.keys(saved)
      .filter((name) => name.endsWith("-TOTAL_FORMS"))
      .map((name) => name.slice(0, -"-TOTAL_FORMS".length));
    const rowId = new RegExp(`^(${prefixes.map(escapeRegExp).join("|")})-\\d+-id$`);

    function escapeRegExp(text) {
      return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }

    function addRows() {
      for (const prefix of prefixes) {
        const total = form.querySelector(`[name="${CSS.escape(prefix)}-TOTAL_FORMS"]`);
        const wanted = Number(saved[`${prefix}-TOTAL_FORMS`]);
        const group = document.getElementById(`${prefix}-group`);
        while (total && group && Number(total.value) < wanted) {
          const add = group.querySelector(".add-row a");
          const before = Number(total.value);
          if (!add) break;
          add.click();
          if (Number(total.value) === before) break; // no more rows allowed
        }
      }
    }

    function restore() {
      const $ = window.django && window.django.jQuery;
      addRows();
      for (const [name, value] of Object.entries(saved)) {
        if (management.test(name) || (prefixes.length && rowId.test(name))) continue;
        for (const element of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
          if (element.type === "checkbox") element.checked = Boolean(value);
          else if (element.type === "radio") element.checked = element.value === value;
          else if (element.tagName === "SELECT") {
            const wanted = new Map(value);
            for (const option of element.options) option.selected = wanted.has(option.value);
            for (const [id, text] of wanted) {
              if (!Array.from(element.options).some((o) => o.value === id)) {
                element.add(new Option(text, id, true, true));
              }
            }
            if ($) $(element).trigger("change");
          } else if (editors.has(name)) {
            editors.get(name).commands.setContent(value, { emitUpdate: true });
            element.value = value;
          } else {
            element.value = value;
          }
        }
      }
      offer.remove();
      changed();
    }

    document.getElementById("autosave-restore").addEventListener("click", restore);
    document.getElementById("autosave-discard").addEventListener("click", function () {
      post({ discard: "1" })
        .then(() => offer.remove())
        .catch(() => show("Could not discard the draft copy just now: try again."));
    });
  });
})();
