/* What a Squarespace 7.0 template with "Ajax loading" does on navigation: no page load. The next
 * page's content replaces #page, history.pushState changes the URL, and the footer's Code
 * Injection does NOT run again (scripts injected there run on full page loads only). Squarespace
 * 7.1 loads every page in full, which the plain pages already cover. */
(function () {
  var pages = {
    home: { title: "Flor de Sal — Home", h1: "Sea salt from the Yucatán", text: "Home page content." },
    shop: { title: "Flor de Sal — Shop", h1: "Shop", text: "Flaky salt, smoked salt, gift boxes. The chat stays open with its conversation while you browse." },
    about: { title: "Flor de Sal — About", h1: "About", text: "Harvested by hand in Celestún." },
  };
  function render(name) {
    var p = pages[name] || pages.home;
    document.title = p.title;
    document.body.id = "collection-" + name;
    document.getElementById("page").innerHTML =
      '<section class="sqs-block html-block"><h1 data-page="' + name + '">' + p.h1 + "</h1><p>" + p.text + "</p></section>" +
      '<section class="sqs-block"><p>Image block, text block, button block.</p></section>';
    window.scrollTo(0, 0);
  }
  function current() {
    return new URLSearchParams(location.search).get("page") || "home";
  }
  // Ajax loading: a moment of "loading" state while the next page is fetched.
  function go(name) {
    document.body.classList.add("ajax-loading");
    setTimeout(function () {
      render(name);
      document.body.classList.remove("ajax-loading");
    }, 30);
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-spa]");
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey) return;
    e.preventDefault();
    var name = new URL(a.href).searchParams.get("page");
    history.pushState({ page: name }, "", a.href);
    go(name);
  });
  window.addEventListener("popstate", function () {
    go(current());
  });
  window.spaNavigations = 0;
  var push = history.pushState;
  history.pushState = function () {
    window.spaNavigations++;
    return push.apply(this, arguments);
  };
  if (current() !== "home") render(current());
})();
