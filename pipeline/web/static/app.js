// nhiemvu review page: small helpers; the page works without them except "add by selecting text".
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // confirmation before destructive forms (no inline handlers: the page's CSP forbids them)
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm(form.getAttribute("data-confirm"))) ev.preventDefault();
    });
  });

  // add a missed task: select its sentence in the notice text, the form fills in text and position
  var text = document.getElementById("notice-text");
  var form = document.getElementById("add-form");
  if (!text || !form) return;
  function offsetIn(line, node, offset) {
    var range = document.createRange();
    range.setStart(line, 0);
    range.setEnd(node, offset);
    return parseInt(line.getAttribute("data-start"), 10) + range.toString().length;
  }
  function lineOf(node) {
    while (node && !(node.classList && node.classList.contains("ln"))) node = node.parentNode;
    return node;
  }
  function takeSelection() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) return;
    var r = sel.getRangeAt(0);
    var a = lineOf(r.startContainer), b = lineOf(r.endContainer);
    if (!a || !b || !text.contains(a) || !text.contains(b)) return;
    var chosen = sel.toString().replace(/\s+/g, " ").trim();
    if (chosen.length < 3) return;
    document.getElementById("add-start").value = offsetIn(a, r.startContainer, r.startOffset);
    document.getElementById("add-end").value = offsetIn(b, r.endContainer, r.endOffset);
    document.getElementById("add-action").value = chosen;
    form.hidden = false;
    form.scrollIntoView({block: "nearest"});
  }
  text.addEventListener("mouseup", function () { window.setTimeout(takeSelection, 0); });
  text.addEventListener("keyup", function (ev) { if (ev.shiftKey) takeSelection(); });
  document.getElementById("add-cancel").addEventListener("click", function () { form.hidden = true; });
});
