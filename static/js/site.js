/* Foot Foundation self-check: small progressive enhancements. Every page works
   without this file; it only adds the body diagram, the print button, the
   "none of these" checkbox clearing the others (and back), and a focus
   fallback for the error summary. Loaded with defer (no inline script: CSP). */
(function () {
  "use strict";

  // Move focus to the error summary so screen reader and keyboard users hear
  // what to fix. The autofocus attribute does this already; this covers
  // browsers that ignore autofocus on a non-form element.
  var summary = document.querySelector(".error-summary");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }

  // Print buttons are hidden until JavaScript can make them work.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // A checklist's "none of these" and its other items exclude each other
  // (the server refuses both together; this saves the round trip).
  document.querySelectorAll("[data-checklist]").forEach(function (list) {
    var boxes = Array.prototype.slice.call(list.querySelectorAll('input[type="checkbox"]'));
    list.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.checked) { return; }
      var exclusive = box.hasAttribute("data-exclusive");
      boxes.forEach(function (other) {
        if (other !== box && other.hasAttribute("data-exclusive") !== exclusive && other.checked) {
          other.checked = false;
          other.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    });
  });

  // The body diagram: tapping an area ticks its checklist items; the
  // checklist stays the answer, and its ticks shade the areas.
  var map = document.querySelector("[data-body-map]");
  if (!map) { return; }
  var form = map.closest("form") || document;
  var regions = Array.prototype.slice.call(map.querySelectorAll("g[data-region]"));

  function codesOf(region) {
    return (region.getAttribute("data-codes") || "").split(" ").filter(Boolean);
  }
  function box(code) {
    return form.querySelector('input[type="checkbox"][value="' + code + '"]');
  }
  function ticked(region) {
    var codes = codesOf(region);
    return codes.length > 0 && codes.every(function (code) { var b = box(code); return b && b.checked; });
  }
  function shade() {
    regions.forEach(function (region) { region.classList.toggle("is-marked", ticked(region)); });
  }
  regions.forEach(function (region) {
    region.addEventListener("click", function () {
      var marking = !ticked(region);
      codesOf(region).forEach(function (code) {
        var b = box(code);
        if (b && b.checked !== marking) {
          b.checked = marking;
          b.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      shade();
    });
  });
  form.addEventListener("change", shade);
  map.hidden = false;
  shade();
})();
