/*
 * Dash 4.4 renders dcc.RadioItems and dcc.Checklist as role="listbox" around role="option"
 * labels that each hold a native <input type="radio|checkbox"> (axe: nested-interactive,
 * aria-input-field-name). The native inputs inside our <fieldset>/<legend> already are the
 * accessible pattern (arrow keys, one Tab stop, announced group name), so the listbox roles
 * are removed as the components appear and whenever React sets them again.
 * Served from /dashboards/assets/ (script-src 'self'): no inline code, no eval.
 */
(function () {
  "use strict";
  var LISTS = [".dash-options-list.dash-radioitems", ".dash-options-list.dash-checklist"];
  var LIST = LISTS.join(", ");
  var INSIDE = LISTS.map(function (list) {
    return list + ", " + list + " [role], " + list + " [aria-selected]";
  }).join(", ");

  function plain(element) {
    if (element.closest && element.closest(LIST)) {
      if (element.matches(LIST)) {
        element.removeAttribute("role");
      } else if (element.hasAttribute("role") || element.hasAttribute("aria-selected")) {
        element.removeAttribute("role");
        element.removeAttribute("aria-selected");
      }
    }
  }

  function fix(root) {
    if (root.nodeType !== 1) {
      return;
    }
    plain(root);
    root.querySelectorAll(INSIDE).forEach(plain);
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "attributes") {
        plain(record.target);
      } else {
        record.addedNodes.forEach(fix);
      }
    });
  }).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["role", "aria-selected"],
  });
  fix(document.documentElement);
})();
