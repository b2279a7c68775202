/* What a Wix-like site does on navigation: no page load. history.pushState, then the whole
 * body content is replaced (anything a widget appended to <body> is gone), and the site's
 * "Custom Code" is injected again, as Wix does with "Load code on each new page". */
(function () {
  var pages = {
    home: { title: "Casa Lumbre | Home", h1: "Handmade pottery from Oaxaca", text: "Wix-like SPA page: links change the URL with history.pushState and replace the body content; the custom code runs again on every page." },
    shop: { title: "Casa Lumbre | Shop", h1: "Shop", text: "Mugs, plates and vases. The chat stays open with its conversation while you browse." },
    about: { title: "Casa Lumbre | About", h1: "About the workshop", text: "A family of potters since 1962." },
  };
  // The site's Custom Code (body end), remembered once like the builder's own configuration.
  var snippet = document.querySelector("script[data-workspace]");
  var code = snippet && { src: snippet.src, workspace: snippet.getAttribute("data-workspace") };

  function render(name) {
    var p = pages[name] || pages.home;
    document.title = p.title;
    document.body.innerHTML =
      '<div id="SITE_CONTAINER"><header id="SITE_HEADER"><a href="/">Plain HTML</a>' +
      '<a data-spa href="?page=home">Home</a><a data-spa href="?page=shop">Shop</a><a data-spa href="?page=about">About</a></header>' +
      '<main id="PAGES_CONTAINER"><section class="strip"><h1 data-page="' + name + '">' + p.h1 + "</h1><p>" + p.text + "</p></section>" +
      '<section class="strip"><p>Page builder block.</p></section></main></div>';
    if (code) {
      var s = document.createElement("script");
      s.async = true;
      s.src = code.src;
      s.setAttribute("data-workspace", code.workspace);
      document.body.appendChild(s);
    }
    window.scrollTo(0, 0);
  }
  function current() {
    return new URLSearchParams(location.search).get("page") || "home";
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-spa]");
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey) return;
    e.preventDefault();
    var name = new URL(a.href).searchParams.get("page");
    history.pushState({ page: name }, "", a.href);
    render(name);
  });
  window.addEventListener("popstate", function () {
    render(current());
  });
  window.spaNavigations = 0;
  var push = history.pushState;
  history.pushState = function () {
    window.spaNavigations++;
    return push.apply(this, arguments);
  };
  if (current() !== "home") render(current());
})();
