// Paper entry: after a valid digit, move the cursor to the next field of the form (unsur 1 to
// 2 … 9, then the trust question, then the profile), so an operator types a whole form
// without Tab. Progressive enhancement: Tab still works and nothing needs the script. Loaded
// from static/: the CSP allows no inline script.
document.addEventListener("DOMContentLoaded", () => {
  const boxes = Array.from(document.querySelectorAll("[data-paper-digit]"));
  if (!boxes.length) return;
  const invalid = document.querySelector("[aria-invalid=true]");
  const start = invalid || document.getElementById("id_paper_number") || boxes[0];
  start.focus();
  boxes.forEach((box) => {
    const highest = Number(box.getAttribute("pattern").slice(3, -1)) || 4; // "[1-4]" → 4
    box.addEventListener("input", () => {
      const digit = Number(box.value);
      if (box.value.length !== 1 || digit < 1 || digit > highest) return;
      const fields = Array.from(box.form.elements).filter(
        (el) => !el.disabled && el.type !== "hidden" && el.type !== "submit",
      );
      const next = fields[fields.indexOf(box) + 1];
      if (next) next.focus();
    });
  });
});
