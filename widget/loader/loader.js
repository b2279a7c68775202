/*! Charla loader: <script async src="EDGE/loader.js" data-workspace="ID"></script>
 * Draws the launcher in a shadow root (host CSS cannot reach it); imports the widget on click
 * or when the browser is idle. Writes no storage and sets no cookie. */
(function (w, d) {
  // No currentScript under script optimisers; a second run (SPA, tag manager) is a no-op.
  var s = d.currentScript || d.querySelector('script[data-workspace][src*="/loader.js"]');
  if (!s || d.getElementById("charla-widget")) return;
  var edge = new URL(s.src).origin;
  var ws = s.getAttribute("data-workspace") || "";
  // charla("open") may be called before and while we load; the widget replays the queue.
  var q = (w.charla && w.charla.q) || [];
  var open, loading, root, i;
  for (i = 0; i < q.length; i++) if (q[i][0] == "open") open = 1;
  function load(o) {
    if (o) open = 1;
    if (loading) return;
    loading = 1;
    import(edge + "/widget/charla_widget.js")
      .then(function (m) {
        return m.default({ module_or_path: edge + "/widget/charla_widget_bg.wasm" }).then(function () {
          m.mount(root, { edge: edge, workspace: ws, open: !!open, queue: q });
        });
      })
      .catch(function (e) {
        loading = 0; // let the next click retry
        console.warn("charla:", e);
      });
  }
  w.charla = function () {
    q.push(arguments);
    if (arguments[0] == "open") root ? load(1) : (open = 1);
  };
  w.charla.q = q;
  function start() {
    var host = d.createElement("div"),
      css =
        ":host{all:initial}" +
        ".cw{all:initial;display:block;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}" +
        ".launcher{all:unset;position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;background:#2563eb;color:#fff;display:flex;align-items:center;justify-content:center;cursor:pointer;box-shadow:0 4px 14px rgba(15,23,42,.3);transition:transform .15s}" +
        ".launcher:hover{transform:scale(1.06)}.launcher:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}" +
        ".launcher svg{width:28px;height:28px;fill:currentColor}";
    host.id = "charla-widget";
    // Our language and direction, not the page's (an RTL page must not mirror the widget).
    host.lang = "en";
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
    // Same markup and rules as the widget's launcher, so the swap on mount is invisible.
    root.innerHTML =
      css +
      '<div class="cw"><button class="launcher" type="button" data-charla="launcher" aria-label="Open chat" aria-expanded="false">' +
      '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z"/></svg></button></div>';
    // Keys stay in the chat (page shortcuts see only the host and would eat them).
    ["keydown", "keypress", "keyup"].forEach(function (t) {
      root.addEventListener(t, function (e) {
        e.stopPropagation();
      });
    });
    root.querySelector("button").onclick = function () {
      load(1);
    };
    // After <body>: SPAs replacing the body keep it; a transformed body cannot move it.
    d.documentElement.appendChild(host);
    var was;
    try {
      was = sessionStorage["charla:" + ws + ":open"] == "1";
    } catch (e) {}
    if (was || open) load(1);
    else (w.requestIdleCallback || function (f) { setTimeout(f, 2000); })(function () { load(); });
  }
  d.body ? start() : d.addEventListener("DOMContentLoaded", start);
})(window, document);
