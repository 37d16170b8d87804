// Paper entry: after a digit 1-4, jump to the next answer box (progressive enhancement only).
document.addEventListener("DOMContentLoaded", () => {
  const boxes = Array.from(document.querySelectorAll(".paper-digit"));
  if (boxes.length) boxes[0].focus();
  boxes.forEach((box, index) => {
    box.addEventListener("input", () => {
      if (/^[1-4]$/.test(box.value) && boxes[index + 1]) boxes[index + 1].focus();
    });
  });
});
