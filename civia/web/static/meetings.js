// Meetings: upload with progress, recording with the microphone (MediaRecorder), and the
// transcript editor (play from a segment, split at the caret, autosave with a version check).
"use strict";

(function () {
  function csrf() { return document.body.dataset.csrf || ""; }

  // --- Upload (file or recording) -----------------------------------------------------------
  const form = document.getElementById("depot");
  if (form) {
    const errorBox = document.getElementById("depot-erreur");
    const status = document.getElementById("depot-avancement");
    const send = document.getElementById("depot-envoyer");
    let recorded = null;

    function showError(text) { errorBox.textContent = text; errorBox.hidden = !text; if (text) errorBox.focus(); }
    errorBox.tabIndex = -1;

    function upload(data) {
      showError("");
      send.disabled = true;
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action"));
      xhr.setRequestHeader("X-CSRF-Token", csrf());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) status.textContent = "Envoi : " + Math.round(100 * e.loaded / e.total) + " %";
      };
      xhr.onload = () => {
        let payload = {};
        try { payload = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
        if (xhr.status === 401) { window.location = "/connexion"; return; }
        if (xhr.status >= 200 && xhr.status < 300 && payload.url) {
          status.textContent = "Enregistrement déposé : la transcription commence.";
          window.location = payload.url;
          return;
        }
        send.disabled = false;
        status.textContent = "";
        showError(payload.detail || ("Le dépôt a échoué (erreur " + xhr.status + ")."));
      };
      xhr.onerror = () => {
        send.disabled = false;
        status.textContent = "";
        showError("Le serveur est injoignable : vérifiez la connexion puis réessayez.");
      };
      xhr.send(data);
    }

    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const file = document.getElementById("m-audio").files[0];
      if (!file && recorded) {
        data.set("audio", recorded, "enregistrement.webm");
      } else if (!file) {
        showError("Choisissez un enregistrement à déposer, ou enregistrez la réunion.");
        return;
      }
      upload(data);
    });

    // The microphone: only offered where the browser can record.
    const box = document.getElementById("recorder");
    const start = document.getElementById("rec-start");
    const stop = document.getElementById("rec-stop");
    const recStatus = document.getElementById("rec-status");
    if (box && window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
      box.hidden = false;
      let recorder = null;
      let chunks = [];
      let began = 0;
      let timer = null;
      start.addEventListener("click", async () => {
        recStatus.textContent = "";
        let stream;
        try {
          stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        } catch (err) {
          recStatus.textContent = (err && err.name === "NotAllowedError")
            ? "L'accès au micro a été refusé. Autorisez le micro pour ce site dans votre navigateur, ou déposez un fichier."
            : "Aucun micro utilisable n'a été trouvé. Branchez un micro ou déposez un fichier.";
          return;
        }
        chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
        recorder.onstop = () => {
          stream.getTracks().forEach((t) => t.stop());
          clearInterval(timer);
          recorded = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
          recStatus.textContent = "Enregistrement terminé (" + Math.round((Date.now() - began) / 1000) +
            " s). Cliquez sur « Déposer et transcrire ».";
          start.disabled = false; stop.disabled = true;
        };
        recorder.start(1000);
        began = Date.now();
        timer = setInterval(() => {
          recStatus.textContent = "Enregistrement en cours : " + Math.round((Date.now() - began) / 1000) + " s";
        }, 1000);
        start.disabled = true; stop.disabled = false;
        recStatus.textContent = "Enregistrement en cours…";
      });
      stop.addEventListener("click", () => { if (recorder && recorder.state !== "inactive") recorder.stop(); });
    }
  }

  // --- Transcript editor --------------------------------------------------------------------
  const editor = document.getElementById("editeur");
  if (!editor) return;
  const player = document.getElementById("lecteur");
  const saved = document.getElementById("sauvegarde");
  const version = editor.querySelector("input[name=version]");
  let timer = null;
  let inflight = null;
  let blocked = false;

  document.querySelectorAll("a.play").forEach((link) => {
    link.addEventListener("click", (e) => {
      if (!player) return;
      e.preventDefault();
      player.currentTime = parseFloat(link.dataset.start);
      player.play().catch(() => { saved.textContent = "Lecture impossible : cliquez sur le lecteur."; });
    });
  });
  if (player) {
    const items = Array.from(editor.querySelectorAll("li.segment"));
    player.addEventListener("timeupdate", () => {
      const t = player.currentTime;
      items.forEach((li) => li.classList.toggle(
        "playing", t >= parseFloat(li.dataset.start) && t < parseFloat(li.dataset.end)));
    });
  }

  async function autosave() {
    if (blocked) return;
    const body = new URLSearchParams(new FormData(editor));
    body.set("action", "save");
    saved.textContent = "Enregistrement…";
    inflight = fetch(editor.getAttribute("action"), {
      method: "POST", body: body,
      headers: { "X-CSRF-Token": csrf(), "Accept": "application/json" },
    }).then(async (resp) => {
      let payload = {};
      try { payload = await resp.json(); } catch (_) { /* not JSON */ }
      if (resp.status === 401) { window.location = "/connexion"; return; }
      if (!resp.ok) {
        if (resp.status === 409) blocked = true;
        saved.textContent = payload.detail || ("Enregistrement impossible (erreur " + resp.status + ").");
        return;
      }
      version.value = payload.version;
      saved.textContent = "Enregistré à " + new Date().toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" }) + ".";
    }).catch(() => {
      saved.textContent = "Serveur injoignable : vos modifications restent affichées, réessayez.";
    }).finally(() => { inflight = null; });
    return inflight;
  }

  editor.addEventListener("input", (e) => {
    if (!e.target.name || !/^[ts]-\d+$/.test(e.target.name)) return;
    clearTimeout(timer);
    saved.textContent = "Modifications non enregistrées.";
    timer = setTimeout(autosave, 1500);
  });

  let lastSplit = null;
  editor.addEventListener("click", (e) => {
    const btn = e.target.closest("button.split");
    if (btn) lastSplit = document.getElementById(btn.dataset.target);
  });

  editor.addEventListener("submit", async (e) => {
    const submitter = e.submitter;
    if (submitter && submitter.classList.contains("split") && lastSplit) {
      editor.querySelector("input[name=split_at]").value = lastSplit.selectionStart || "";
    }
    if (timer || inflight) {  // let a pending autosave land first, so the version is current
      e.preventDefault();
      clearTimeout(timer); timer = null;
      if (!inflight) await autosave(); else await inflight;
      if (!blocked) editor.requestSubmit(submitter);
    }
  });
})();
