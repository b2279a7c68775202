/* A classic WordPress theme's front-end script, jQuery flavoured, with the two habits that
 * hurt embedded widgets: "type anywhere to search" (swallows keys whose target is not a form
 * field; inside a shadow root the page only sees the widget's host <div>) and delegated click
 * handlers on document. */
jQuery(function ($) {
  var $overlay = $('<div id="search-overlay" role="search"><span class="q"></span></div>').appendTo("body");
  $(document).on("keydown keypress", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag) || e.target.isContentEditable) return;
    if (e.key === "Escape") return $overlay.removeClass("open");
    if (e.key && e.key.length === 1 && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      if (e.type === "keydown") $overlay.addClass("open").find(".q").text(function (_, t) { return t + e.key; });
    }
  });
  $(document).on("click", function (e) {
    if (!$(e.target).closest("#search-overlay").length) $overlay.removeClass("open").find(".q").text("");
  });
  $("a[href^='#']").on("click", function (e) {
    e.preventDefault();
    $("html, body").animate({ scrollTop: $($(this).attr("href")).offset().top }, 400);
  });
  $("div").addClass("jq-touched");
  window.wpThemeReady = true;
});
