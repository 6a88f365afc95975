/* Foot Foundation self-check: small progressive enhancements. Every page works
   without this file; it only adds the body diagram, the print button and a
   focus fallback for the error summary. Loaded with defer (no inline script: CSP). */
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

  var map = document.querySelector("[data-body-map]");
  if (!map) { return; }
  var form = map.closest("form") || document;
  var buttons = Array.prototype.slice.call(map.querySelectorAll("button[data-region]"));
  var status = map.querySelector("[data-body-map-status]");
  var prefix = map.getAttribute("data-prefix") || "";

  function radio(code, value) {
    return form.querySelector('input[type="radio"][name="' + prefix + code + '"][value="' + value + '"]');
  }
  function codesOf(button) {
    return (button.getAttribute("data-codes") || "").split(" ").filter(Boolean);
  }
  function questionLabel(code) {
    var wrapper = document.getElementById("div_id_" + prefix + code);
    var legend = wrapper && wrapper.querySelector("legend, .form-label");
    return legend ? legend.textContent.replace(/\*/g, "").trim() : code;
  }
  function setRegionState(slug, pressed) {
    map.querySelectorAll('[data-region="' + slug + '"]').forEach(function (el) {
      if (el.tagName === "BUTTON") { el.setAttribute("aria-pressed", pressed ? "true" : "false"); }
      el.classList.toggle("is-marked", pressed);
    });
  }
  function allYes(button) {
    var codes = codesOf(button);
    return codes.length > 0 && codes.every(function (code) {
      var yes = radio(code, "yes");
      return yes && yes.checked;
    });
  }
  // On arrival (for example after Back), show as marked the areas whose
  // questions are already answered yes.
  function markFromRadios() {
    buttons.forEach(function (button) { setRegionState(button.getAttribute("data-region"), allYes(button)); });
  }
  // When the person changes an answer by hand, an area whose question is no
  // longer "yes" is unmarked; nothing is marked behind their back.
  function unmarkFromRadios() {
    buttons.forEach(function (button) {
      if (button.getAttribute("aria-pressed") === "true" && !allYes(button)) {
        setRegionState(button.getAttribute("data-region"), false);
      }
    });
  }
  function toggle(slug) {
    var button = map.querySelector('button[data-region="' + slug + '"]');
    if (!button) { return; }
    var marking = button.getAttribute("aria-pressed") !== "true";
    var changed = [];
    codesOf(button).forEach(function (code) {
      var yes = radio(code, "yes");
      if (!yes) { return; }
      if (marking) {
        yes.checked = true;
      } else {
        // Unmarking leaves the question for the person to answer, unless
        // another marked area still means "yes".
        var stillMarked = buttons.some(function (other) {
          return other !== button && other.getAttribute("aria-pressed") === "true" && codesOf(other).indexOf(code) !== -1;
        });
        if (stillMarked) { return; }
        yes.checked = false;
      }
      changed.push(questionLabel(code));
    });
    setRegionState(slug, marking);
    if (status && changed.length) {
      status.textContent = (marking ? "Answered yes: " : "Answer cleared: ") + changed.join(" ");
    }
  }

  map.hidden = false;
  buttons.forEach(function (button) {
    button.addEventListener("click", function () { toggle(button.getAttribute("data-region")); });
  });
  map.querySelectorAll("g[data-region]").forEach(function (shape) {
    shape.addEventListener("click", function () { toggle(shape.getAttribute("data-region")); });
  });
  form.addEventListener("change", unmarkFromRadios);
  markFromRadios();
})();
