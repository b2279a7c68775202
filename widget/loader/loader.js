/* Charla loader: <script async src="EDGE/loader.js" data-workspace="ID"></script>
 * Fetches the workspace's public widget config (brand colour, side, launcher label, texts) and
 * draws the launcher in a shadow root (host CSS cannot reach it). Nothing heavier until the
 * visitor shows intent: the launcher's hover, focus or press, a charla("open"/"toggle"), or the
 * chat left open on the previous page of this tab (sessionStorage, written by the widget) start
 * the widget's download (js + wasm); a visitor with a conversation gets it when idle. A click draws the panel at once in plain DOM with a working
 * composer; what the visitor writes there goes to the widget when it mounts (mount's `draft`
 * and `sent`), which sends it through its outbox; a widget ready while the launcher is still
 * pressed mounts after the click. Reads storage, writes none, sets no cookie.
 * dist/loader.js is this file minified by scripts/build.sh (esbuild). */
(function (w, d) {
  // No currentScript under script optimisers; a second run (SPA, tag manager) is a no-op.
  var s = d.currentScript || d.querySelector('script[data-workspace][src*="/loader.js"]');
  if (!s || d.getElementById("charla-widget") || (w.charla && w.charla.l)) return;
  var edge = new URL(s.src).origin;
  var ws = s.getAttribute("data-workspace") || "";
  var key = "charla:" + ws + ":";
  // charla(...) calls made before and while we load (the snippet's stub kept them in
  // charla.q); the widget replays them in order. We only look for what matters before then.
  var q = (w.charla && w.charla.q) || [];
  var sent = [];
  var open, hide, locale, loading, cfg, root, cw, button, panel, ta, pressed, i;
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
  var CLOSE = "M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 0 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z";
  var CHAT = "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z";
  // The widget's words (i18n.rs) for what the loader draws: title, greeting, status, close,
  // open, composer's name, its placeholder, send.
  var T = {
    en: "Chat with us|Hi! How can we help you?|Connecting…|Close chat|Open chat|Message|Write a message…|Send",
    es: "Chatea con nosotros|¡Hola! ¿En qué podemos ayudarte?|Conectando…|Cerrar chat|Abrir chat|Mensaje|Escribe un mensaje…|Enviar",
  };
  function saw(a) {
    if (a[0] == "open") open = 1;
    if (a[0] == "close") open = 0;
    if (a[0] == "toggle") open = !open;
    if (a[0] == "hide" || a[0] == "show") hide = a[0] == "hide";
    if (a[0] == "setLocale") locale = a[1];
  }
  // The widget's rule (i18n.rs `Lang::pick`): the page's setLocale, else the workspace's
  // setting, else the first of the browser's languages we speak, else English.
  function lang() {
    var setting = cfg && cfg.language,
      t = [locale].concat(setting && setting != "auto" ? setting : navigator.languages || [navigator.language]),
      k,
      p;
    for (k = 0; k < t.length; k++) if ((p = String(t[k]).toLowerCase().split(/[-_]/)[0]) == "es" || p == "en") return p;
    return "en";
  }
  function stored(store, k) {
    try {
      return w[store][key + k];
    } catch (e) {}
  }
  for (i = 0; i < q.length; i++) saw(q[i]);
  // js and wasm in parallel (the glue takes a fetch promise), then mount: the widget replaces
  // what we drew in the same task, taking over the panel's state and what was written in it.
  function load() {
    if (loading) return;
    loading = 1;
    var wasm = fetch(edge + "/widget/charla_widget_bg.wasm");
    wasm.catch(Object); // reported below, with the import's failure
    Promise.all([import(edge + "/widget/charla_widget.js"), config])
      .then(function (a) {
        return a[0].default({ module_or_path: wasm }).then(released).then(function () {
          a[0].mount(root, {
            edge: edge,
            workspace: ws,
            open: !!open,
            // Open, close and toggle are already in `open`: replayed, they would apply twice.
            queue: q.filter(function (c) {
              return !/^(open|close|toggle)$/.test(c[0]);
            }),
            config: a[1],
            draft: ta ? ta.value : "",
            sent: sent,
            focus: !!ta && root.activeElement == ta,
          });
        });
      })
      .catch(function (e) {
        // The next intent retries; an open panel (the visitor is waiting in it) by itself.
        loading = 0;
        if (open) setTimeout(load, 3000);
        console.warn("charla:", e);
      });
  }
  // A press on the launcher that has not become a click yet: the widget mounts after it (its
  // launcher replaces ours; swapped between pointerdown and pointerup, the click would reach
  // neither). Five seconds at most, for a press that never ends on this page.
  function released() {
    return new Promise(function (r) {
      if (!pressed) return r();
      // The click follows the pointerup (on touch screens, not always in the same task).
      ["pointerup", "pointercancel"].forEach(function (t) {
        w.addEventListener(t, function () {
          setTimeout(r, 50);
        }, { once: true, capture: true });
      });
      setTimeout(r, 5000);
    });
  }
  w.charla = function () {
    q.push(arguments);
    saw(arguments);
    if (button) {
      button.hidden = hide;
      show();
    }
  };
  w.charla.q = q;
  w.charla.l = 1;
  // Owner's texts inside our markup: escaped, so they can only ever be text.
  function esc(v) {
    return String(v).replace(/[&<"]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }
  function svg(path) {
    return '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="' + path + '"/></svg>';
  }
  // The panel as the widget draws it (same classes, rules and hooks). Not the away note nor
  // the agents' faces: their bytes would be on every page view, for the rare click that comes
  // before the widget (which then adds them). A required pre-chat form not yet answered here gets no composer to get around
  // it: the widget shows the form when it mounts ("Connecting…" until then).
  function drawPanel(t) {
    var c = cfg || {},
      p = c.prechat;
    cw.insertAdjacentHTML(
      "afterbegin",
      '<div class="panel" role="dialog" aria-label="Chat"><div class="hd"><div class="hdt"><div class="title" data-charla="title">' +
        esc(c.header_text || t[0]) +
        '</div><div class="st">' +
        t[2] +
        '</div></div><button class="x" type="button" aria-label="' +
        t[3] +
        '">' +
        svg(CLOSE) +
        '</button></div><div class="log" role="log" aria-live="polite"><div class="m gr" data-charla="greeting">' +
        esc(c.greeting || t[1]) +
        '</div><div class="rows"></div></div>' +
        (p && p.enabled && p.fields.length && !stored("localStorage", "prechat")
          ? ""
          : '<div class="cmp"><textarea data-charla="composer" rows="1" maxlength="4000" aria-label="' +
            t[5] +
            '" placeholder="' +
            t[6] +
            '"></textarea><button class="send" type="button" data-charla="send" aria-label="' +
            t[7] +
            '">' +
            svg("M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z") +
            "</button></div>") +
        "</div>",
    );
    panel = cw.firstChild;
    ta = panel.querySelector("textarea");
    panel.onclick = function (e) {
      if (e.target.closest(".x")) close();
      if (e.target.closest(".send")) submit();
    };
    panel.onkeydown = function (e) {
      if (e.key == "Escape") close();
      if (e.target == ta && e.key == "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        submit();
      }
    };
  }
  function close() {
    open = 0;
    show();
  }
  // Shown at once as pending, kept until the widget takes them: nothing is sent from here.
  function submit() {
    var text = ta.value.trim(),
      log = panel.querySelector(".log");
    if (text) {
      sent.push(text);
      log.lastChild.insertAdjacentHTML("beforeend", '<div class="m" data-charla="message" data-author="contact" data-pending><span data-charla="text"></span></div>');
      log.lastChild.lastChild.firstChild.textContent = text;
      log.scrollTop = 1e9;
    }
    ta.value = "";
    ta.focus();
  }
  // Draw the open or closed state; opening is intent (the widget starts downloading).
  function show() {
    var t = T[lang()].split("|"),
      label = cfg && cfg.launcher_label,
      was = panel && !panel.hidden;
    if (open) {
      load();
      if (!panel) drawPanel(t);
    }
    if (panel) panel.hidden = !open;
    // The widget's rule: the composer takes focus on wide screens (on phones the keyboard
    // would cover the conversation).
    if (open && !was && ta && w.innerWidth > 480) ta.focus();
    button.setAttribute("aria-expanded", !!open);
    button.setAttribute("aria-label", open ? t[3] : label || t[4]);
    button.firstChild.firstChild.setAttribute("d", open ? CLOSE : CHAT);
    button.className = "launcher" + (label && !open ? " lb" : "");
    if (label) button.lastChild.hidden = !!open;
  }
  function draw(c) {
    var host = d.createElement("div"),
      b,
      n,
      label,
      css;
    cfg = c;
    b = c && c.brand_color;
    n = parseInt(b && b.slice(1), 16);
    label = c && c.launcher_label;
    // widget.css's rules for what the loader draws, in the same order.
    css =
      ":host{all:initial}" +
      ".cw{--b:#4f46e5;--f:#fff;all:initial;display:block;direction:ltr;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#0f172a;-webkit-font-smoothing:antialiased;-webkit-text-size-adjust:100%;text-size-adjust:100%}" +
      ".cw *{box-sizing:border-box}" +
      ".launcher{all:unset;position:fixed;right:var(--x,20px);bottom:var(--y,20px);width:56px;height:56px;border-radius:28px;background:var(--b);color:var(--f);display:flex;align-items:center;justify-content:center;gap:8px;cursor:pointer;box-shadow:0 4px 14px rgba(15,23,42,.3);transition:transform .15s}" +
      ".launcher:hover{transform:scale(1.06)}.launcher:focus-visible,.send:focus-visible,.x:focus-visible{outline:3px solid var(--b);outline-offset:2px}" +
      ".launcher svg{flex:none;width:28px;height:28px;fill:currentColor}" +
      ".lb{width:auto;padding:0 20px 0 16px}.ll{font-size:15px;font-weight:600;white-space:nowrap}" +
      "[hidden]{display:none!important}.cw[data-pos=left] .launcher,.cw[data-pos=left] .panel{right:auto;left:var(--x,20px)}" +
      ".panel{position:fixed;right:var(--x,20px);bottom:calc(var(--y,20px) + 68px);width:370px;height:560px;max-height:calc(100vh - var(--y,20px) - 88px);display:flex;flex-direction:column;background:#fff;border-radius:16px;box-shadow:0 12px 40px rgba(15,23,42,.25);overflow:hidden}" +
      ".hd{display:flex;align-items:center;gap:12px;padding:14px 12px 14px 18px;background:var(--b);color:var(--f)}" +
      ".hdt{flex:1;min-width:0}.title{font-size:16px;font-weight:600}" +
      ".st{display:flex;align-items:center;gap:6px;font-size:12px;opacity:.92}.st::before{content:'';width:8px;height:8px;border-radius:50%;background:#fbbf24}" +
      ".x{all:unset;display:flex;align-items:center;justify-content:center;width:36px;height:36px;border-radius:8px;cursor:pointer}.x svg{width:20px;height:20px;fill:currentColor}" +
      ".log{flex:1;overflow-y:auto;display:flex;flex-direction:column;gap:6px;padding:16px 12px;background:#f8fafc;overscroll-behavior:contain}" +
      ".m{align-self:flex-start;max-width:80%;padding:8px 12px;border-radius:16px 16px 16px 4px;background:#e2e8f0;white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:plaintext}" +
      ".m[data-author=contact]{align-self:flex-end;border-radius:16px 16px 4px 16px;background:var(--b);color:var(--f)}.rows{display:contents}.m[data-pending]{opacity:.6}" +
      ".cmp{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid #e2e8f0;background:#fff}" +
      "textarea{flex:1;min-width:0;height:42px;max-height:120px;margin:0;padding:9px 14px;border:1px solid #cbd5e1;border-radius:20px;outline:0;resize:none;background:#fff;color:inherit;font:inherit;font-size:16px;line-height:22px;white-space:pre-wrap;unicode-bidi:plaintext}" +
      "textarea:focus{border-color:var(--b);box-shadow:0 0 0 1px var(--b)}" +
      ".send{all:unset;flex:none;display:flex;align-items:center;justify-content:center;width:42px;height:42px;border-radius:50%;background:var(--b);color:var(--f);cursor:pointer}.send svg{width:20px;height:20px;fill:currentColor}" +
      "@media (max-width:480px){.panel{top:0;right:0;bottom:auto;left:0;width:100%;height:100%;max-height:none;border-radius:0}.launcher[aria-expanded=true],.cw[data-hm] .launcher{display:none}.cw[data-pos=left] .panel{right:0;left:0}}";
    host.id = "charla-widget";
    // The visitor's language from the first paint, and our direction, not the page's (an RTL
    // page must not mirror the widget).
    host.lang = lang();
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
    root.innerHTML =
      css +
      '<div class="cw"><button class="launcher" type="button" data-charla="launcher">' + svg("") + "</button></div>";
    cw = root.lastChild;
    button = cw.firstChild;
    if (b) {
      // The brand colour, and dark or white text on it (YIQ brightness; the widget's rule).
      cw.style.setProperty("--b", b);
      cw.style.setProperty("--f", (n >> 16) * 299 + ((n >> 8) & 255) * 587 + (n & 255) * 114 < 128e3 ? "#fff" : "#111827");
    }
    if (c && c.position == "left") cw.setAttribute("data-pos", "left");
    // The owner's offsets from the corner (px; absent: the CSS's 20) and "hide on mobile".
    if (c) {
      if (c.offset_x >= 0) cw.style.setProperty("--x", c.offset_x + "px");
      if (c.offset_y >= 0) cw.style.setProperty("--y", c.offset_y + "px");
      if (c.hide_on_mobile) cw.setAttribute("data-hm", "");
    }
    // The owner's label, when there is one, is the button's name (a name must contain the
    // visible text); otherwise the widget's words for "open chat".
    if (label) button.insertAdjacentHTML("beforeend", '<span class="ll">' + esc(label) + "</span>");
    button.hidden = hide;
    // Keys stay in the chat (page shortcuts see only the host and would eat them).
    ["keydown", "keypress", "keyup"].forEach(function (t) {
      root.addEventListener(t, function (e) {
        e.stopPropagation();
      });
    });
    // Intent: the download starts while the pointer travels to the button (or a finger lands).
    ["pointerenter", "focus", "pointerdown"].forEach(function (t) {
      button.addEventListener(t, load);
    });
    button.addEventListener("pointerdown", function () {
      pressed = 1;
    });
    ["pointerup", "pointercancel"].forEach(function (t) {
      w.addEventListener(t, function () {
        setTimeout(function () {
          pressed = 0;
        });
      }, true);
    });
    button.onclick = function () {
      open = !open;
      show();
    };
    // After <body>: SPAs replacing the body keep it; a transformed body cannot move it.
    d.documentElement.appendChild(host);
    // Open on the previous page of this tab: open again (the widget brings the history). A
    // visitor with a conversation (a stored session) gets the widget when the browser is idle,
    // so an agent's reply reaches the badge on whatever page they are reading.
    if (stored("sessionStorage", "open") == "1") open = 1;
    else if (stored("localStorage", "session")) (w.requestIdleCallback || function (f) { setTimeout(f, 2000); })(load);
    show();
  }
  function start() {
    config.then(draw);
  }
  d.body ? start() : d.addEventListener("DOMContentLoaded", start);
})(window, document);
