/* Tables marked "reflow" become one card per row on phones (site.css); each cell is then labelled with its column's
   heading, copied here from the table head into data-label so templates need not repeat it. Without this script
   the cells still stack, unlabelled, and nothing scrolls sideways. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("table.reflow"), function (table) {
    var heads = table.tHead ? table.tHead.rows[0] : null;
    if (!heads) return;
    var labels = Array.prototype.map.call(heads.cells, function (th) {
      return (th.dataset.label || th.textContent).trim().replace(/\s+/g, " ");
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        if (row.cells.length !== labels.length) return; // a group heading spanning the columns
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (cell.tagName === "TD" && labels[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", labels[i]);
        });
      });
    });
  });
}());
