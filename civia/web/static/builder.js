// Builder pages: a "copy" button for ready-to-use texts (the text stays selectable without JS).
"use strict";

document.querySelectorAll("button[data-copy]").forEach((btn) => {
  const source = document.getElementById(btn.dataset.copy);
  const status = document.getElementById("copy-status");
  if (!source || !navigator.clipboard) return;
  btn.hidden = false;
  btn.addEventListener("click", () => {
    navigator.clipboard.writeText(source.value).then(
      () => { if (status) status.textContent = "Texte copié."; },
      () => { if (status) status.textContent = "Copie impossible : sélectionnez le texte."; });
  });
});
