// The body editor's figure button, with the media library: choose an image from the library, or
// upload a new one with its description, in a dialog; the editor then holds
// <figure><img src alt width height><figcaption>…</figcaption></figure>.
//
// An extension module of django-prose-editor's "configurable" preset (settings:
// DJANGO_PROSE_EDITOR_EXTENSIONS). Its Figure is the bundled one (node, caption bubble, parsing)
// with another command behind the button; it needs the library's address as the "libraryUrl"
// option (BODY_EDITOR_EXTENSIONS). The endpoints are publications/admin/library.py's. A file under
// the strict CSP: no inline script or style, the dialog's styles are a stylesheet of their own.
import { Figure as BundledFigure, canInsertNode, gettext } from "django-prose-editor/editor"

const STYLESHEET = new URL("../css/admin-media-library.css", import.meta.url).href
let dialogCount = 0

function el(tag, properties = {}, children = []) {
  const element = document.createElement(tag)
  const { attrs, ...rest } = properties
  Object.assign(element, rest)
  for (const [name, value] of Object.entries(attrs || {})) element.setAttribute(name, value)
  element.append(...children)
  return element
}

function useStylesheet() {
  if (document.querySelector(`link[href="${STYLESHEET}"]`)) return
  document.head.append(el("link", { rel: "stylesheet", href: STYLESHEET }))
}

// The image the cursor is on (in a figure, or a bare image), or null.
function selectedImage({ selection }) {
  const { $from } = selection
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth)
    if (node.type.name !== "figure") continue
    const found = { inFigure: true, imageNode: null, imagePos: null, captionNode: null }
    node.forEach((child, offset) => {
      if (child.type.name === "image") {
        found.imageNode = child
        found.imagePos = $from.start(depth) + offset
      } else if (child.type.name === "caption") {
        found.captionNode = child
      }
    })
    return found.imageNode ? found : null
  }
  if (selection.node?.type.name === "image") {
    return { inFigure: false, imageNode: selection.node, imagePos: selection.from, captionNode: null }
  }
  return null
}

function pieceId() {
  const match = window.location.pathname.match(/\/(\d+)\/change\/$/)
  return match ? match[1] : ""
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]")
  return input ? input.value : ""
}

function field(id, label, control, help) {
  const error = el("p", { className: "library-error", id: `${id}-error`, hidden: true })
  control.id = id
  control.setAttribute("aria-describedby", `${id}-error${help ? ` ${id}-help` : ""}`)
  const parts = [el("label", { htmlFor: id, textContent: label }), control]
  if (help) parts.push(el("p", { className: "library-help", id: `${id}-help`, textContent: help }))
  parts.push(error)
  return { row: el("div", { className: "prose-editor-dialog-field" }, parts), control, error }
}

function showError(entry, message) {
  entry.error.textContent = message || ""
  entry.error.hidden = !message
  entry.control.toggleAttribute("aria-invalid", Boolean(message))
}

// The dialog: resolves with {src, alt, width, height, caption}, or null when cancelled.
function openLibrary({ libraryUrl, current }) {
  useStylesheet()
  const id = `library-dialog-${++dialogCount}`
  const title = current ? gettext("Change the image") : gettext("Insert an image")
  const search = el("input", { type: "search", name: "q", autocomplete: "off" })
  const grid = el("div", { className: "library-grid", attrs: { role: "list" } })
  const status = el("p", { className: "library-status", attrs: { role: "status" } })
  const more = el("button", { type: "button", textContent: gettext("Show more"), hidden: true })
  const file = el("input", { type: "file", name: "file", accept: "image/jpeg,image/png,image/webp,image/gif" })
  const alt = el("input", { type: "text", name: "alt", maxLength: 300, required: true })
  const caption = el("input", { type: "text", name: "caption", maxLength: 500 })
  const credit = el("input", { type: "text", name: "credit", maxLength: 200 })
  const fields = {
    search: field(`${id}-q`, gettext("Search the library"), search),
    file: field(
      `${id}-file`,
      gettext("Or upload a new image"),
      file,
      gettext("JPEG, PNG, WebP or GIF. It goes into the library for every piece."),
    ),
    alt: field(
      `${id}-alt`,
      gettext("Description (required)"),
      alt,
      gettext("What the image shows, for readers who cannot see it."),
    ),
    caption: field(`${id}-caption`, gettext("Caption"), caption),
    credit: field(`${id}-credit`, gettext("Credit (for a new image)"), credit),
  }
  const formError = el("p", { className: "library-error", hidden: true, attrs: { role: "alert" } })
  const insert = el("button", { type: "submit", className: "library-insert", textContent: current ? gettext("Update") : gettext("Insert") })
  const cancel = el("button", { type: "button", textContent: gettext("Cancel") })
  const form = el("form", { method: "dialog", noValidate: true }, [
    el("h3", { className: "prose-editor-dialog-title", id: `${id}-title`, textContent: title }),
    el("div", { className: "library-choose" }, [fields.search.row, status, grid, more]),
    fields.file.row,
    el("div", { className: "library-details" }, [fields.alt.row, fields.caption.row, fields.credit.row]),
    formError,
    el("div", { className: "prose-editor-dialog-buttons" }, [insert, cancel]),
  ])
  const dialog = el("dialog", { className: "prose-editor-dialog library-dialog", attrs: { "aria-labelledby": `${id}-title` } }, [form])

  // A caption already there is edited in place (it may hold formatting this field would lose).
  fields.caption.row.hidden = Boolean(current?.captionNode)
  let chosen = current ? { ...current.imageNode.attrs } : null // a library image, or the current one
  let page = 1
  let timer = null
  alt.value = chosen?.alt || ""

  function choose(image, button) {
    for (const other of grid.querySelectorAll("[aria-pressed=true]")) other.setAttribute("aria-pressed", "false")
    button.setAttribute("aria-pressed", "true")
    chosen = { src: image.url, alt: image.alt, width: image.width, height: image.height }
    file.value = ""
    alt.value = image.alt
    caption.value = [image.caption, image.credit].filter(Boolean).join(" — ")
    credit.value = ""
    showError(fields.alt, "")
  }

  function tile(image) {
    const button = el("button", { type: "button", className: "library-item", attrs: { "aria-pressed": "false" } }, [
      el("img", { src: image.url, alt: "", width: image.width || 120, height: image.height || 80, loading: "lazy" }),
      el("span", { textContent: image.alt }),
    ])
    button.addEventListener("click", () => choose(image, button))
    return el("div", { attrs: { role: "listitem" } }, [button])
  }

  async function load(reset) {
    if (reset) page = 1
    const query = new URLSearchParams({ q: search.value.trim(), page: String(page) })
    status.textContent = gettext("Loading…")
    try {
      const response = await fetch(`${libraryUrl}?${query}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      const data = await response.json()
      if (!response.ok) throw new Error(data.error || response.statusText)
      if (reset) grid.replaceChildren()
      grid.append(...data.results.map(tile))
      more.hidden = !data.has_next
      status.textContent = grid.children.length ? "" : search.value.trim() ? gettext("No image matches this search.") : gettext("The library is empty: upload the first image below.")
    } catch (error) {
      status.textContent = `${gettext("The library could not be loaded:")} ${error.message}`
    }
  }

  async function upload() {
    const body = new FormData()
    body.append("file", file.files[0])
    body.append("alt", alt.value)
    body.append("caption", caption.value)
    body.append("credit", credit.value)
    body.append("publication", pieceId())
    const response = await fetch(`${libraryUrl}upload/`, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    })
    const data = await response.json().catch(() => ({ error: response.statusText }))
    if (response.ok) return data.image
    for (const [name, messages] of Object.entries(data.errors || {})) {
      if (fields[name]) showError(fields[name], messages.join(" "))
      else formError.textContent = messages.join(" ")
    }
    if (data.error) formError.textContent = data.error
    formError.hidden = !formError.textContent
    return null
  }

  // A new image's figure caption: its caption and its credit, as a library image's is offered.
  function figureCaption(image) {
    return [image.caption, image.credit].map((text) => text.trim()).filter(Boolean).join(" — ")
  }

  return new Promise((resolve) => {
    let result = null
    search.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(() => load(true), 250)
    })
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault()
        load(true)
      }
    })
    more.addEventListener("click", () => {
      page += 1
      load(false)
    })
    file.addEventListener("change", () => {
      if (!file.files.length) return
      for (const other of grid.querySelectorAll("[aria-pressed=true]")) other.setAttribute("aria-pressed", "false")
      chosen = null
      alt.value = ""
      caption.value = ""
      showError(fields.file, "")
      alt.focus()
    })
    cancel.addEventListener("click", () => dialog.close())
    form.addEventListener("submit", async (event) => {
      event.preventDefault()
      formError.hidden = true
      formError.textContent = ""
      showError(fields.file, "")
      if (!alt.value.trim()) {
        showError(fields.alt, gettext("Every image needs a description for readers who cannot see it."))
        alt.focus()
        return
      }
      showError(fields.alt, "")
      if (file.files.length) {
        insert.disabled = true
        const image = await upload().finally(() => { insert.disabled = false })
        if (!image) return
        result = { src: image.url, alt: image.alt, width: image.width, height: image.height, caption: figureCaption(image) }
      } else if (chosen?.src) {
        result = { src: chosen.src, alt: alt.value.trim(), width: chosen.width, height: chosen.height, caption: caption.value.trim() }
      } else {
        showError(fields.file, gettext("Choose an image from the library or upload one."))
        return
      }
      dialog.close()
    })
    dialog.addEventListener("close", () => {
      clearTimeout(timer)
      dialog.remove()
      resolve(result)
    })
    document.body.append(dialog)
    dialog.showModal()
    search.focus()
    load(true)
  })
}

function place(editor, current, image) {
  const attrs = { src: image.src, alt: image.alt, width: image.width || null, height: image.height || null }
  if (current) {
    let chain = editor.chain().setNodeSelection(current.imagePos).updateAttributes("image", attrs)
    if (image.caption && current.inFigure && !current.captionNode) {
      chain = chain.command(({ tr, state }) => {
        const at = current.imagePos + current.imageNode.nodeSize
        tr.insert(at, state.schema.nodes.caption.create({}, state.schema.text(image.caption)))
        return true
      })
    }
    chain.focus().run()
    return
  }
  const content = [{ type: "image", attrs }]
  if (image.caption) content.push({ type: "caption", content: [{ type: "text", text: image.caption }] })
  editor.chain().focus().insertContent({ type: "figure", content }).run()
}

export const Figure = BundledFigure.extend({
  addOptions() {
    return { ...this.parent?.(), libraryUrl: null }
  },

  addCommands() {
    const commands = this.parent?.() ?? {}
    const { libraryUrl } = this.options
    if (!libraryUrl) return commands
    return {
      ...commands,
      editImage:
        () =>
        ({ editor, state, dispatch }) => {
          const current = selectedImage(state)
          const canInsert = Boolean(current) || canInsertNode(state, state.schema.nodes[this.name])
          if (!dispatch || !canInsert) return canInsert
          openLibrary({ libraryUrl, current }).then((image) => image && place(editor, current, image))
          return true
        },
    }
  },
})
