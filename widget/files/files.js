// The widget's files: the tray of files picked for the next message (each uploaded as soon as
// it is picked, with its preview or type, size, progress, why it failed, Retry and remove),
// a message's files in the thread (a thumbnail for the images browsers draw safely: PNG,
// JPEG, GIF, WebP; a chip with name, size and type for anything else, SVG included), and a
// fresh download link each time one is opened.
//
// Not in the wasm: a visitor who never sends or gets a file never downloads this. The wasm
// keeps the paperclip, the file input, the paste and drop events and the notice line, and
// calls in here through `widget/src/attachments.js` (which imports this the first time a file
// is picked, dropped or pasted, or the open thread shows a message with files); the wasm
// built with all of it was 12.6 KB gz larger, this is ~3.5 KB gz minified
// (`scripts/build.sh` writes dist/widget/files.js).
//
// File names only ever become text nodes and attribute values, never markup.

/** How many files a message may carry until the rules say (`files::MAX_ATTACHMENTS`). */
const MAX_FILES = 10;
/** The largest side of a thumbnail in the thread, in CSS pixels. */
const THUMB_PX = 220;
/** Images the browser draws from their own bytes: previewed in the tray, thumbnails in the
 *  thread (as `Attachment::is_inline_image`). */
const INLINE = /^image\/(png|jpeg|gif|webp)$/;
/** Why the composer will not send yet (said in the notice line): nothing, wait for the
 *  uploads, some failed, the tray is full. */
export const NONE = 0, WAIT = 1, FAILED = 2, FULL = 3;
/** What the wasm asks for (`attachments::Op`). */
const PICK = 0, READY = 1, DRAW = 2, TAKE = 3, RESET = 4;

const TEXT = {
  en: {
    remove: "Remove",
    uploading: "Uploading",
    retry: "Retry",
    // Followed by the workspace's limit ("10 MB") and a full stop.
    large: "Too large: the limit is ",
    type: "Files of this type can't be sent.",
    // The edge's `too_many_files`: uploads wait unsent in the conversation.
    many: "Too many files are waiting to be sent. Send or remove some first.",
    failed: "Couldn't upload. Check your connection and retry.",
    // Why Send waits: WAIT, FAILED, FULL (`MAX_FILES`).
    hints: [
      "",
      "Wait until your files finish uploading, then send.",
      "Some files couldn't be uploaded: retry or remove them.",
      "You can attach up to 10 files per message.",
    ],
  },
  es: {
    remove: "Quitar",
    uploading: "Subiendo",
    retry: "Reintentar",
    large: "Demasiado grande: el límite es ",
    type: "No se pueden enviar archivos de este tipo.",
    many: "Hay demasiados archivos sin enviar. Envía o quita alguno primero.",
    failed: "No se pudo subir. Revisa tu conexión y vuelve a intentarlo.",
    hints: [
      "",
      "Espera a que terminen de subirse tus archivos y envía.",
      "Algunos archivos no se pudieron subir: reinténtalo o quítalos.",
      "Puedes adjuntar hasta 10 archivos por mensaje.",
    ],
  },
};

const CSS = `.cmp{flex-wrap:wrap}
.tray{display:flex;flex-wrap:wrap;gap:8px;width:100%;padding-top:4px}
.tray:empty{display:none}
.ti{position:relative;display:flex;flex-direction:column;gap:2px;width:104px;padding:6px;border:1px solid #cbd5e1;border-radius:8px;background:#fff;font-size:12px}
.ti[data-state=failed]{border-color:#dc2626}
.tp{display:flex;align-items:center;justify-content:center;width:100%;height:56px;border-radius:4px;background:#f1f5f9;color:#334155;font-weight:600;object-fit:cover}
.tn,.fn{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.tm,.fm{color:#475569;font-size:12px}
.ti progress{width:100%;height:6px;accent-color:var(--b)}
.rt{all:unset;color:#1d4ed8;font-weight:600;text-decoration:underline;cursor:pointer}
.rm{all:unset;position:absolute;top:-8px;right:-8px;display:flex;width:22px;height:22px;border-radius:50%;background:#334155;color:#fff;cursor:pointer}
.rm svg{width:14px;height:14px;margin:auto;fill:currentColor}
.rm:focus-visible,.rt:focus-visible,.th:focus-visible,.fc:focus-visible{outline:3px solid var(--b);outline-offset:2px}
.th{all:unset;display:block;max-width:100%;cursor:pointer}
.th img{display:block;max-width:100%;height:auto;min-width:48px;min-height:48px;border-radius:8px;background:#cbd5e1;color:#0f172a}
.fc{all:unset;box-sizing:border-box;display:flex;flex-direction:column;max-width:220px;padding:6px 10px;border:1px solid #cbd5e1;border-radius:8px;background:#fff;color:#0f172a;cursor:pointer}
.fc:hover{background:#f1f5f9}
.fs{display:flex;flex-wrap:wrap;gap:6px;margin-top:4px;white-space:normal}`;
const REMOVE_ICON = "M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 0 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z";

/** A size as people read it: `512 B`, `9.8 KB`, `10 MB` (binary units, one decimal below ten,
 *  the language's decimal mark). */
export function humanSize(bytes, lang) {
  if (bytes < 1024) return bytes + " B";
  const [unit, name] = bytes < 1048576 ? [1024, " KB"] : [1048576, " MB"];
  const tenths = Math.floor((bytes * 10 + unit / 2) / unit);
  if (tenths >= 100) return Math.floor((tenths + 5) / 10) + name;
  const decimal = tenths % 10 ? (lang == "es" ? "," : ".") + (tenths % 10) : "";
  return Math.floor(tenths / 10) + decimal + name;
}

/** What follows the last `c` in `s`, or null. */
const after = (s, c) => {
  const at = s.lastIndexOf(c);
  return at < 0 ? null : s.slice(at + 1);
};

/** A short name for a file's type: from the sniffed type when it has one (`PDF`, `PNG`,
 *  `SVG`, `ZIP`), else from the name's extension (`DOCX`), else `FILE`. */
export function typeLabel(type, name) {
  const fits = (s, most) => s != null && s.length <= most && /^[a-z0-9]+$/i.test(s);
  let sub = (after(type, "/") || "").split("+")[0];
  if (sub.startsWith("x-")) sub = sub.slice(2);
  const ext = after(name, ".");
  const label = type == "text/plain" ? "txt" : fits(sub, 4) ? sub : fits(ext, 5) ? ext : "file";
  return label.toUpperCase();
}

/** A thumbnail's box: the image's own size scaled down to fit `max` × `max` (its aspect
 *  kept), so the line has its final height before the image arrives; null when unknown. */
export function thumbBox(width, height, max) {
  if (!(width > 0 && height > 0)) return null;
  const scale = (a, b) => Math.max(1, Math.floor((a * max) / b));
  if (width <= max && height <= max) return [width, height];
  return width >= height ? [max, scale(height, width)] : [scale(width, height), max];
}

/** Why an upload the edge refused failed (`status`, the error body's `code`): `large` (over
 *  the workspace's limit), `type` (not an allowed type), `many` (too many uploads wait unsent
 *  in the conversation), `failed` (anything else: worth a retry). */
export function refusal(status, code) {
  if (status == 413 || code == "file_too_large") return "large";
  if (status == 415 || code == "file_type_not_allowed") return "type";
  return code == "too_many_files" ? "many" : "failed";
}

/** A retry can change the answer only when the bytes were not the problem. */
const retryable = (why) => why == "failed" || why == "many";

/** An uploaded file as the edge describes it (`Attachment`), or null. */
const file = (f) => (f && typeof f.id == "string" && typeof f.name == "string" && f.size >= 0 && typeof f.content_type == "string" ? f : null);

const parse = (text) => {
  try {
    return JSON.parse(text);
  } catch (e) {
    return null;
  }
};

/** The files picked for the next message and the files this page sent; no DOM, no requests
 *  (tests/widget/files.test.mjs). An item: `{key, name, size, preview, state, sent, file, why,
 *  limit}`, its state `waiting` (for the rules, or a retry), `sending` (`sent` bytes so far),
 *  `done` (`file`) or `failed` (`why`, and `limit` when too large). */
export class Tray {
  constructor() {
    this.items = [];
    /** `{max_bytes, max_attachments}`, asked for when the first file is picked. */
    this.rules = null;
    /** Why the composer will not send yet (WAIT, FAILED, FULL) or NONE. */
    this.hint = NONE;
    /** The files this page sent, by id, for the lines of messages still on their way. */
    this.sent = new Map();
    this.next = 0;
  }

  item(key) {
    return this.items.find((i) => i.key == key);
  }

  /** A file the visitor picked: its key, or 0 (and the hint says the tray is full) when it
   *  holds as many as a message may carry. */
  pick(name, size, preview) {
    if (this.items.length >= (this.rules ? this.rules.max_attachments : MAX_FILES)) {
      this.hint = FULL;
      return 0;
    }
    this.hint = NONE;
    this.items.push({ key: ++this.next, name, size, preview, state: "waiting" });
    return this.next;
  }

  /** The waiting files to upload now that the rules are known: too large ones fail here, and
   *  nothing of them is uploaded. */
  startUploads() {
    const start = [];
    for (const i of this.rules ? this.items : []) {
      if (i.state != "waiting") continue;
      if (i.size > this.rules.max_bytes) Object.assign(i, { state: "failed", why: "large", limit: this.rules.max_bytes });
      else start.push(Object.assign(i, { state: "sending", sent: 0 }).key);
    }
    return start;
  }

  /** The rules, first or fresh (after the edge refused a file as too large, its limit may
   *  have changed): files refused as too large say the current limit. */
  setRules(rules) {
    this.rules = rules;
    for (const i of this.items) if (i.why == "large") i.limit = rules.max_bytes;
  }

  /** The rules could not be had: every waiting file fails (a retry asks again). */
  noRules() {
    for (const i of this.items) if (i.state == "waiting") Object.assign(i, { state: "failed", why: "failed" });
  }

  /** Progress in whole percent while sending, else null. */
  static percent(i) {
    return i.state == "sending" && i.size > 0 ? Math.floor((Math.min(i.sent, i.size) * 100) / i.size) : null;
  }

  /** Bytes sent; whether the whole percent shown changed. */
  progress(key, sent) {
    const i = this.item(key);
    if (!i || i.state != "sending") return false;
    const before = Tray.percent(i);
    i.sent = sent;
    return Tray.percent(i) != before;
  }

  /** An upload ended with the file, or why not. Ignored for a file removed meanwhile. */
  finished(key, file, why) {
    const i = this.item(key);
    if (i && i.state == "sending") {
      Object.assign(i, file ? { state: "done", file } : { state: "failed", why, limit: this.rules ? this.rules.max_bytes : 0 });
    }
    if (this.hint == WAIT && !this.busy()) this.hint = NONE;
  }

  /** Try a failed upload again; whether it now waits to start. */
  retry(key) {
    this.hint = NONE;
    const i = this.item(key);
    if (!i || i.state != "failed" || !retryable(i.why)) return false;
    i.state = "waiting";
    return true;
  }

  remove(key) {
    this.hint = NONE;
    const at = this.items.findIndex((i) => i.key == key);
    return at < 0 ? null : this.items.splice(at, 1)[0];
  }

  busy() {
    return this.items.some((i) => i.state == "waiting" || i.state == "sending");
  }

  /** The ids to send with the message, once every file in the tray is uploaded; otherwise
   *  null and the hint says what is in the way. A failed upload is never sent as if sent. */
  ready() {
    this.hint = this.busy() ? WAIT : this.items.some((i) => i.state == "failed") ? FAILED : NONE;
    return this.hint ? null : this.items.map((i) => i.file.id);
  }

  /** The message went into the outbox with these files: the tray empties (its items back,
   *  for their previews to be released) and the files are remembered for its line. */
  take() {
    this.hint = NONE;
    const items = this.items;
    this.items = [];
    for (const i of items) if (i.state == "done") this.sent.set(i.file.id, i.file);
    return items;
  }
}

/** A new element at the end of `parent`, with its class and text (if any). */
function add(parent, tag, className, text) {
  const el = parent.ownerDocument.createElement(tag);
  if (className) el.className = className;
  if (text) el.textContent = text;
  parent.append(el);
  return el;
}

function set(el, attrs) {
  for (const k in attrs) el.setAttribute(k, attrs[k]);
  return el;
}

/** The widget's files, in its container `host` (inside the shadow root), talking to `edge`;
 *  `said(text)` puts why Send waits in the notice line. Answers the calls of
 *  `widget/src/attachments.js`: `(op, arg, token, lang)`, with the visitor's current token and
 *  language. */
export default function files(host, edge, said) {
  const doc = host.ownerDocument;
  const tray = new Tray();
  /** Picked files' bytes and their uploads, by key. */
  const uploads = new Map();
  /** Thumbnails' links by file id (null while asked for), so a line drawn again shows its
   *  image at once. */
  const thumbs = new Map();
  let token, lang, askingRules, list;
  const t = () => TEXT[lang] || TEXT.en;

  // The rules for the tray and the thread, beside the widget's own (a constructed sheet is
  // exempt from the page's CSP `style-src`, as the widget's is).
  const root = host.getRootNode();
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch (e) {
    add(root, "style", "", CSS);
  }

  /** One request to the edge with the visitor's token; null (and `done` never called) when it
   *  could not be made. XMLHttpRequest, not fetch: fetch reports no upload progress. */
  function request(method, path, body, done, progress) {
    if (!token) return null;
    try {
      const xhr = new XMLHttpRequest();
      xhr.open(method, edge + path);
      xhr.setRequestHeader("authorization", "Bearer " + token);
      xhr.onloadend = () => done(xhr.status, xhr.responseText);
      if (progress) xhr.upload.onprogress = progress;
      xhr.send(body);
      return xhr;
    } catch (e) {
      return null;
    }
  }

  /** A file's download link (valid five minutes) and the file, to `then` (null: none). */
  function link(id, then) {
    // The edge names files `f_<hex>`; anything else never becomes part of a path.
    if (!/^\w+$/.test(id)) return then(null);
    const asked = request("GET", "/v1/widget/files/" + id + "/link", null, (status, body) => {
      const answer = status == 200 && parse(body);
      then(answer && typeof answer.url == "string" && file(answer.file) ? answer : null);
    });
    if (!asked) then(null);
  }

  const release = (item) => item && item.preview && URL.revokeObjectURL(item.preview);

  /** The tray after any change: drawn, and the notice told. */
  function changed() {
    draw();
    said(t().hints[tray.hint]);
  }

  /** Upload what waits, once the rules are known (asked for the first time a file is picked,
   *  and again when the edge's limit turned out to be another). */
  function start() {
    if (tray.rules) return tray.startUploads().forEach(upload);
    if (askingRules) return;
    askingRules = request("GET", "/v1/widget/files/rules", null, (status, body) => {
      askingRules = null;
      const rules = status == 200 && parse(body);
      if (rules && rules.max_bytes >= 0 && rules.max_attachments >= 0) {
        tray.setRules({ max_bytes: rules.max_bytes, max_attachments: rules.max_attachments });
        start();
      } else tray.noRules();
      changed();
    });
    if (!askingRules) tray.noRules();
  }

  /** `POST /v1/widget/files?name=…` with the file as the body; progress and the answer go to
   *  the tray. */
  function upload(key) {
    const picked = uploads.get(key);
    const path = "/v1/widget/files?name=" + encodeURIComponent(picked.file.name);
    const done = (status, body) => {
      const got = status == 201 ? file(parse(body)) : null;
      const why = got ? null : status == 201 ? "failed" : refusal(status, (parse(body) || {}).code);
      tray.finished(key, got, why);
      // The edge's limit is not the one we had: ask for the rules again, to say the limit.
      if (why == "large" && tray.rules) {
        tray.rules = null;
        start();
      }
      changed();
    };
    const progress = (e) => tray.progress(key, e.loaded) && draw();
    picked.xhr = request("POST", path, picked.file, done, progress);
    if (!picked.xhr) tray.finished(key, null, "failed");
  }

  function whyText(i) {
    return i.why == "large" ? t().large + humanSize(i.limit, lang) + "." : t()[i.why];
  }

  /** An item of the tray: its preview (or type), name, size, progress or why it failed, Retry,
   *  remove. */
  function item(i) {
    const el = set(doc.createElement("div"), { class: "ti", "data-charla": "attachment", "data-k": i.key });
    const uploading = i.state == "waiting" || i.state == "sending";
    el.dataset.state = uploading ? "uploading" : i.state;
    // The name is written beside it: the preview adds nothing to read.
    if (i.preview) set(add(el, "img", "tp"), { src: i.preview, alt: "" });
    else set(add(el, "span", "tp", typeLabel("", i.name)), { "aria-hidden": "true" });
    set(add(el, "span", "tn", i.name), { "data-charla": "attachment-name" });
    add(el, "span", "tm", humanSize(i.size, lang));
    if (uploading) set(add(el, "progress"), { max: 100, value: 0, "aria-label": t().uploading + " " + i.name });
    if (i.state == "failed") {
      set(add(el, "span", "fe", whyText(i)), { role: "alert", "data-charla": "upload-error" });
      if (retryable(i.why)) set(add(el, "button", "rt", t().retry), { type: "button", "data-a": "r", "data-charla": "retry" });
    }
    const remove = set(add(el, "button", "rm"), { type: "button", "data-a": "x", "data-charla": "remove", "aria-label": t().remove + " " + i.name });
    const svg = set(doc.createElementNS("http://www.w3.org/2000/svg", "svg"), { viewBox: "0 0 24 24", "aria-hidden": "true" });
    svg.append(set(doc.createElementNS(svg.namespaceURI, "path"), { d: REMOVE_ICON }));
    remove.append(svg);
    return el;
  }

  /** The tray as the state says (made the first time, before the paperclip): items gone are
   *  removed, new ones added at the end, changed ones drawn again; progress moves in place
   *  (so previews do not reload). */
  function draw() {
    const clip = host.querySelector(".clip");
    if (!list) list = set(doc.createElement("div"), { class: "tray", "data-charla": "tray" });
    if (clip && !list.isConnected) clip.before(list);
    for (const el of [...list.children]) if (!tray.item(el.dataset.k)) el.remove();
    for (const i of tray.items) {
      // What the element shows apart from its progress: when it changes, it is drawn again.
      const look = [i.state == "sending" ? "waiting" : i.state, lang, i.state == "failed" ? whyText(i) : ""].join();
      let el = list.querySelector(`[data-k="${i.key}"]`);
      if (!el || el.dataset.look != look) {
        const fresh = item(i);
        fresh.dataset.look = look;
        if (el) el.replaceWith(fresh);
        else list.append(fresh);
        el = fresh;
      }
      const bar = el.querySelector("progress");
      if (bar && Tray.percent(i) != null) bar.value = Tray.percent(i);
    }
  }

  /** A file in the thread: a thumbnail (its box sized before the image arrives; the link is
   *  asked for by `thumbnails`) or a chip with name, size and type. */
  function shown(f) {
    const image = INLINE.test(f.content_type);
    const el = set(doc.createElement("button"), {
      class: image ? "th" : "fc",
      type: "button",
      "data-f": f.id,
      "data-charla": "file",
      "data-kind": image ? "image" : "file",
    });
    if (image) {
      const img = set(add(el, "img"), { alt: f.name });
      const box = thumbBox(f.width, f.height, THUMB_PX);
      if (box) set(img, { width: box[0], height: box[1] });
    } else {
      set(add(el, "span", "fn", f.name), { "data-charla": "file-name" });
      add(el, "span", "fm", humanSize(f.size, lang) + " · " + typeLabel(f.content_type, f.name));
    }
    return el;
  }

  /** Lines drawn by the wasm with their files as data (`data-files`: the files, or the ids of
   *  those this page sent) get them drawn after their text; the data goes once read. */
  function hydrate() {
    for (const line of host.querySelectorAll(".m[data-files]")) {
      const listed = parse(line.dataset.files) || [];
      line.removeAttribute("data-files");
      const el = doc.createElement("div");
      el.className = "fs";
      for (const f of listed) {
        const known = file(typeof f == "string" ? tray.sent.get(f) : f);
        if (known) el.append(shown(known));
      }
      if (el.firstChild) line.querySelector('[data-charla="text"]').after(el);
    }
  }

  /** Thumbnails without their image get it: a link asked for once per file and page (again
   *  after a failure, on the next draw). */
  function thumbnails() {
    for (const img of host.querySelectorAll(".th img:not([src])")) {
      const id = img.parentNode.dataset.f;
      const url = thumbs.get(id);
      if (url) img.src = url;
      else if (url === undefined) {
        thumbs.set(id, null);
        link(id, (answer) => {
          thumbs.delete(id);
          if (answer) {
            thumbs.set(id, answer.url);
            thumbnails();
          }
        });
      }
    }
  }

  /** The tray empties: previews are released, and uploads still going stop before their
   *  handlers go. */
  function empty(items) {
    for (const i of items) release(i);
    for (const picked of uploads.values()) picked.xhr && picked.xhr.abort();
    uploads.clear();
  }

  // A file in the thread opens with a fresh link (they last five minutes): an image full size
  // in a new tab, anything else downloads (the edge serves it as an attachment, so the page
  // stays). The tray's Retry and remove.
  host.addEventListener("click", (e) => {
    const el = e.target.closest("[data-f],[data-a]");
    if (!el) return;
    if (el.dataset.f) {
      return link(el.dataset.f, (answer) => {
        if (!answer) return;
        if (INLINE.test(answer.file.content_type)) window.open(answer.url, "_blank", "noopener");
        else set(doc.createElement("a"), { href: answer.url, download: answer.file.name }).click();
      });
    }
    const key = Number(el.closest("[data-k]").dataset.k);
    if (el.dataset.a == "r") {
      if (tray.retry(key)) start();
      return changed();
    }
    // The button goes with its file: the focus goes back to the paperclip.
    release(tray.remove(key));
    const picked = uploads.get(key);
    uploads.delete(key);
    if (picked && picked.xhr) picked.xhr.abort();
    changed();
    const clip = host.querySelector(".clip");
    if (clip) clip.focus();
  });

  return (op, arg, currentToken, currentLang) => {
    token = currentToken;
    lang = currentLang;
    if (op == PICK) {
      for (const f of arg) {
        const preview = INLINE.test(f.type) ? URL.createObjectURL(f) : null;
        const key = tray.pick(f.name, f.size, preview);
        if (!key) {
          release({ preview });
          break;
        }
        uploads.set(key, { file: f });
      }
      start();
      changed();
    } else if (op == READY) {
      if (!tray.items.length) return [];
      const ids = tray.ready();
      said(t().hints[tray.hint]);
      return ids;
    } else if (op == DRAW) {
      // The language may have changed.
      changed();
      hydrate();
      thumbnails();
    } else if (op == TAKE) {
      empty(tray.take());
      changed();
    } else if (op == RESET) {
      // The visitor was forgotten: so are the files they sent.
      empty(tray.take());
      tray.sent.clear();
      tray.rules = null;
      changed();
    }
  };
}
