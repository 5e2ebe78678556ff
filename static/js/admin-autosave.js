// Autosave and a leave warning for the piece's form, under the strict CSP (a file, no inline code).
// While the form is open, a private copy of its fields goes to the server a few seconds after
// typing stops (the piece itself is not touched). Reopening the form offers to bring the copy
// back or to discard it. Leaving a changed form asks first.
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
    const skipped = /^(csrfmiddlewaretoken|_.*|resolve-.*)$/;
    let dirty = false;
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

    function show(text) {
      if (!status) {
        status = document.createElement("p");
        status.className = "autosave-status";
        status.setAttribute("role", "status");
        const row = form.querySelector(".submit-row");
        (row || form).prepend(status);
      }
      status.textContent = text;
    }

    function save() {
      timer = null;
      const body = new URLSearchParams({ fields: JSON.stringify(fields()) });
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token },
        body: body,
      })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((data) => show(`Draft copy kept at ${data.saved_at}`))
        .catch(() => show("Could not keep a draft copy just now: save the piece to be safe."));
    }

    function changed() {
      dirty = true;
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 2000);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });

    const offer = document.getElementById("autosave-offer");
    if (!offer) return;
    const saved = JSON.parse(document.getElementById("autosave-fields").textContent);

    function restore() {
      const $ = window.django && window.django.jQuery;
      for (const [name, value] of Object.entries(saved)) {
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
            editors.get(name).commands.setContent(value, true);
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
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token },
        body: new URLSearchParams({ discard: "1" }),
      }).then(() => offer.remove());
    });
  });
})();
