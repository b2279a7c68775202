// Files as far as the widget's first load goes (attachments.rs calls in here): the paperclip
// and its file input, every event files come by (the paperclip, a paste into the composer, a
// drop on the panel, with the drop hint while files are dragged over it), and the door to the
// files module (widget/files/files.js, served as /widget/files.js: the tray, the uploads, a
// message's files), imported the first time a file is picked, dropped or pasted or the open
// thread shows a message with files. Calls made meanwhile wait for it, in order; a module that
// fails to download leaves the notice saying so (the wasm's own words), and the next call
// tries again.
//
// wasm-bindgen imports this into the glue and scripts/build.sh bundles it there: the first
// load pays no request for it, and JS does these few events in fewer bytes than the wasm.

/** The paperclip's name and the drop hint, in the widget's languages. */
const TEXT = {
  en: ["Attach files", "Drop files here to attach them"],
  es: ["Adjuntar archivos", "Suelta aquí los archivos para adjuntarlos"],
};
const CLIP_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6h-1.5z"/></svg>';
/** attachments::Op, as files.js reads them too. */
const PICK = 0, READY = 1, DRAW = 2, RESET = 4;

let edge, host, loading, files, token, lang, failed, note;
/** Calls waiting for the module (picks among them), and whether Send was pressed meanwhile:
 *  it waits for them too. */
let waiting = 0, asked;

/** The widget's container (`host`, in its shadow root) and the edge the module comes from. */
export function files_setup(edgeUrl, container) {
  edge = edgeUrl;
  host = container;
  for (const kind of ["click", "change", "paste", "dragenter", "dragover", "dragleave", "drop"]) {
    container.addEventListener(kind, on);
  }
}

/** `op` (attachments::Op) with the visitor's current token and language (kept for the calls
 *  the events make), and what to say if the module cannot be downloaded. A draw makes the
 *  paperclip the first time and names it. */
export function files_call(op, currentToken, currentLang, failedText) {
  token = currentToken;
  lang = currentLang;
  failed = failedText;
  if (op == DRAW) paperclip();
  if (op == RESET) say("");
  return call(op);
}

const text = () => TEXT[lang] || TEXT.en;

/** Why Send waits for files, after what the wasm says in the notice line (a text of ours
 *  beside its own, on a line of its own when both speak). */
function say(what) {
  if (!note) host.querySelector('[data-charla="notice"]').append((note = document.createTextNode("")));
  const before = note.previousSibling;
  const next = what && before && before.data ? "\n" + what : what;
  // Said again on every draw: a live region should hear it once.
  if (note.data != next) note.data = next;
}

/** The module's answer to `op`, or what can be said without it: Send's question at once
 *  (nothing to send, or not yet while picks wait for it: once they are in the tray, the
 *  module says why); a draw loads it only for lines that show files. */
function call(op, arg) {
  if (files) return files(op, arg, token, lang);
  if (op == READY) return waiting ? ((asked = 1), null) : [];
  if (op == PICK ? !arg.length : op == DRAW ? !host.querySelector(".m[data-files]") : !loading) return;
  if (!loading) loading = import(edge + "/widget/files.js").then((m) => (files = m.default(host, edge, say)));
  waiting++;
  loading
    .then(
      () => files(op, arg, token, lang),
      () => {
        loading = null;
        say(failed);
      },
    )
    .finally(() => {
      if (!--waiting && asked && files) files(READY, null, token, lang);
      if (!waiting) asked = 0;
    });
}
/** Files of an input, a paste or a drop join the tray: read now (a drop's and a paste's are
 *  gone after the event); whether there were any. */
function pick(from) {
  const list = Array.from((from && from.files) || []);
  call(PICK, list);
  return list.length > 0;
}

/** The paperclip and its file input, before the composer, the paperclip named in the
 *  visitor's language. */
function paperclip() {
  let clip = host.querySelector(".clip");
  if (!clip) {
    const make = (tag, attrs) => {
      const el = document.createElement(tag);
      for (const k in attrs) el.setAttribute(k, attrs[k]);
      return el;
    };
    clip = make("button", { type: "button", class: "clip", "data-charla": "attach" });
    clip.innerHTML = CLIP_ICON;
    host.querySelector("textarea").before(clip, make("input", { type: "file", multiple: "", hidden: "", "data-charla": "file-input" }));
  }
  clip.setAttribute("aria-label", text()[0]);
}

/** Every event files come by, on the widget's container: the paperclip opens the file input,
 *  whose `change` picks its files (only its own: the pre-chat form's fields change too); a
 *  paste with files into the composer and files dropped on the panel join the tray. Files
 *  dragged over the panel show the drop hint (its `data-drop`, drawn over it by the CSS);
 *  other drags are left to the page. The module's own clicks (a file in the thread, the
 *  tray's Retry and remove) are its own. */
function on(e) {
  const target = e.target, type = e.type, data = e.dataTransfer;
  if (type == "click") {
    const clip = target.closest(".clip");
    if (clip) clip.nextElementSibling.click();
  } else if (type == "change") {
    if (target.type == "file") {
      pick(target);
      // The same file picked again is a change too.
      target.value = "";
    }
  } else if (type == "paste") {
    if (pick(e.clipboardData)) e.preventDefault();
  } else if (data && data.types.includes("Files") && target.closest(".panel")) {
    e.preventDefault();
    if (type == "drop") pick(data);
    // Leaving counts only from the panel itself (its hint covers the rest).
    const dragging = type == "dragleave" ? !target.matches(".panel") : type != "drop";
    host.querySelector(".panel").dataset.drop = dragging ? text()[1] : "";
  }
}
