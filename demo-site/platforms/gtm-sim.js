/* Minimal stand-in for Google Tag Manager's Custom HTML tags: on the "All Pages" trigger
 * (gtm.js fires it early; we use DOMContentLoaded) the tag's HTML is inserted and each of its
 * scripts is re-created with document.createElement so that it runs. */
document.addEventListener("DOMContentLoaded", function () {
  var tpl = document.getElementById("gtm-custom-html-tag");
  if (!tpl) return;
  tpl.content.querySelectorAll("script").forEach(function (old) {
    var s = document.createElement("script");
    for (var i = 0; i < old.attributes.length; i++) s.setAttribute(old.attributes[i].name, old.attributes[i].value);
    s.text = old.text;
    document.body.appendChild(s);
  });
  window.gtmTagsFired = true;
});
