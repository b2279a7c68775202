/* Charla loader: <script async src="EDGE/loader.js" data-workspace="ID"></script>
 * Fetches the workspace's public widget config (brand colour, side, launcher label), draws the
 * launcher in a shadow root (host CSS cannot reach it) and imports the widget on click, on a
 * queued charla("open"), or when the browser is idle. Writes no storage and sets no cookie.
 * dist/loader.js is this file minified by scripts/build.sh (esbuild). */
(function (w, d) {
  // No currentScript under script optimisers; a second run (SPA, tag manager) is a no-op.
  var s = d.currentScript || d.querySelector('script[data-workspace][src*="/loader.js"]');
  if (!s || d.getElementById("charla-widget") || (w.charla && w.charla.l)) return;
  var edge = new URL(s.src).origin;
  var ws = s.getAttribute("data-workspace") || "";
  // charla(...) calls made before and while we load (the snippet's stub kept them in
  // charla.q); the widget replays them in order. We only look for what matters before then.
  var q = (w.charla && w.charla.q) || [];
  var open, eager, hide, locale, loading, root, button, i;
  // A slow or failed config never keeps the launcher away: after 3 s it draws with defaults.
  var config = Promise.race([
    fetch(edge + "/v1/widget/config/" + encodeURIComponent(ws))
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .catch(function () {}),
    new Promise(function (r) {
      setTimeout(r, 3000);
    }),
  ]);
  function saw(a) {
    if (a[0] == "open" || a[0] == "toggle") eager = 1;
    if (a[0] == "hide" || a[0] == "show") hide = a[0] == "hide";
    if (a[0] == "setLocale") locale = a[1];
  }
  // The widget's rule (i18n.rs `Lang::pick`): the page's setLocale, else the workspace's
  // setting, else the first of the browser's languages we speak, else English.
  function lang(setting) {
    var t = [locale].concat(setting && setting != "auto" ? setting : navigator.languages || [navigator.language]),
      k,
      p;
    for (k = 0; k < t.length; k++) if ((p = String(t[k]).toLowerCase().split(/[-_]/)[0]) == "es" || p == "en") return p;
    return "en";
  }
  for (i = 0; i < q.length; i++) saw(q[i]);
  function load(o) {
    if (o) open = 1;
    if (loading) return;
    loading = 1;
    Promise.all([import(edge + "/widget/charla_widget.js"), config])
      .then(function (a) {
        return a[0].default({ module_or_path: edge + "/widget/charla_widget_bg.wasm" }).then(function () {
          a[0].mount(root, { edge: edge, workspace: ws, open: !!open, queue: q, config: a[1] });
        });
      })
      .catch(function (e) {
        loading = 0; // let the next click retry
        console.warn("charla:", e);
      });
  }
  w.charla = function () {
    q.push(arguments);
    saw(arguments);
    if (button) {
      button.hidden = hide;
      if (eager) load();
    }
  };
  w.charla.q = q;
  w.charla.l = 1;
  function draw(c) {
    var host = d.createElement("div"),
      b = c && c.brand_color,
      n = parseInt(b && b.slice(1), 16),
      label = c && c.launcher_label,
      l = lang(c && c.language),
      cw,
      was,
      css =
        ":host{all:initial}" +
        ".cw{--b:#4f46e5;--f:#fff;all:initial;display:block;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;-webkit-font-smoothing:antialiased}" +
        ".launcher{all:unset;position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:28px;background:var(--b);color:var(--f);display:flex;align-items:center;justify-content:center;gap:8px;cursor:pointer;box-shadow:0 4px 14px rgba(15,23,42,.3);transition:transform .15s}" +
        ".launcher:hover{transform:scale(1.06)}.launcher:focus-visible{outline:3px solid var(--b);outline-offset:2px}" +
        ".launcher svg{flex:none;width:28px;height:28px;fill:currentColor}" +
        ".lb{width:auto;padding:0 20px 0 16px}.ll{font-size:15px;font-weight:600;white-space:nowrap}" +
        ".launcher[hidden]{display:none}.cw[data-pos=left] .launcher{right:auto;left:20px}";
    host.id = "charla-widget";
    // The visitor's language from the first paint, and our direction, not the page's (an RTL
    // page must not mirror the widget).
    host.lang = l;
    host.dir = "ltr";
    // Inline !important is the one thing host stylesheets (even with !important) cannot beat.
    host.style.cssText =
      "all:initial;direction:ltr;position:fixed;z-index:2147483000;bottom:0;right:0;width:0;height:0;display:block".replace(/;/g, "!important;") + "!important";
    root = host.attachShadow({ mode: "open" });
    // Constructed sheets are exempt from the page's CSP style-src; <style> is not.
    try {
      root.adoptedStyleSheets = [new CSSStyleSheet()];
      root.adoptedStyleSheets[0].replaceSync(css);
      css = "";
    } catch (e) {
      css = "<style>" + css + "</style>";
    }
    // Same markup and rules as the widget's launcher, so the swap on mount is invisible. Only
    // constant markup here: the owner's texts go in as text nodes.
    root.innerHTML =
      css +
      '<div class="cw"><button class="launcher" type="button" data-charla="launcher" aria-expanded="false">' +
      '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z"/></svg></button></div>';
    cw = root.lastChild;
    button = cw.firstChild;
    if (b) {
      // The brand colour, and dark or white text on it (YIQ brightness; the widget's rule).
      cw.style.setProperty("--b", b);
      cw.style.setProperty("--f", (n >> 16) * 299 + ((n >> 8) & 255) * 587 + (n & 255) * 114 < 128e3 ? "#fff" : "#111827");
    }
    if (c && c.position == "left") cw.setAttribute("data-pos", "left");
    // The owner's label, when there is one, is the button's name (a name must contain the
    // visible text); otherwise the widget's words for "open chat".
    button.setAttribute("aria-label", label || (l == "es" ? "Abrir chat" : "Open chat"));
    if (label) {
      button.className += " lb";
      button.appendChild(d.createElement("span")).className = "ll";
      button.lastChild.textContent = label;
    }
    button.hidden = hide;
    // Keys stay in the chat (page shortcuts see only the host and would eat them).
    ["keydown", "keypress", "keyup"].forEach(function (t) {
      root.addEventListener(t, function (e) {
        e.stopPropagation();
      });
    });
    button.onclick = function () {
      load(1);
    };
    // After <body>: SPAs replacing the body keep it; a transformed body cannot move it.
    d.documentElement.appendChild(host);
    try {
      was = sessionStorage["charla:" + ws + ":open"] == "1";
    } catch (e) {}
    if (was || eager) load(was);
    else (w.requestIdleCallback || function (f) { setTimeout(f, 2000); })(function () { load(); });
  }
  function start() {
    config.then(draw);
  }
  d.body ? start() : d.addEventListener("DOMContentLoaded", start);
})(window, document);
