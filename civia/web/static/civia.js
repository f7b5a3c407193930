// Civia front-end: CSRF header for htmx, chat sending and streaming (SSE), small helpers.
"use strict";

function csrf() { return document.body.dataset.csrf || ""; }

document.addEventListener("htmx:configRequest", (e) => {
  e.detail.headers["X-CSRF-Token"] = csrf();
});

document.addEventListener("submit", (e) => {
  const msg = e.target.dataset && e.target.dataset.confirm;
  if (msg && !window.confirm(msg)) e.preventDefault();
});

document.addEventListener("click", (e) => {
  const btn = e.target.closest("button.copy");
  if (!btn) return;
  const body = btn.closest(".msg").querySelector(".body");
  navigator.clipboard.writeText(body.innerText).then(
    () => { btn.textContent = "Copié"; setTimeout(() => { btn.textContent = "Copier"; }, 1500); },
    () => { btn.textContent = "Copie impossible"; });
});

(function chat() {
  const root = document.getElementById("chat");
  if (!root) return;
  const form = document.getElementById("composer");
  const box = document.getElementById("message");
  const list = document.getElementById("messages");
  const sendBtn = document.getElementById("send");
  const stopBtn = document.getElementById("stop");
  const regenBtn = document.getElementById("regenerate");
  const status = document.getElementById("chat-status");
  const errorBox = document.getElementById("chat-error");
  let source = null;
  let stopUrl = null;

  function showError(text) { errorBox.textContent = text; errorBox.hidden = !text; }
  function busy(on) {
    sendBtn.disabled = on; stopBtn.hidden = !on;
    regenBtn.disabled = on;
  }

  function bubble(role, html) {
    const li = document.createElement("li");
    li.className = "msg " + role;
    const who = document.createElement("p");
    who.className = "who"; who.textContent = role === "user" ? "Vous" : "Civia";
    const body = document.createElement("div");
    body.className = "body"; body.innerHTML = html || "";
    li.append(who, body);
    list.append(li);
    return li;
  }

  async function post(url, data) {
    const resp = await fetch(url, {
      method: "POST", body: data, headers: { "X-CSRF-Token": csrf(), "Accept": "application/json" },
    });
    let payload = {};
    try { payload = await resp.json(); } catch (_) { /* non-JSON error page */ }
    if (resp.status === 401) { window.location = "/connexion"; }
    if (!resp.ok) throw new Error(payload.detail || "Erreur " + resp.status + " : réessayez.");
    return payload;
  }

  function stream(url, li) {
    const body = li.querySelector(".body");
    body.textContent = "";
    li.setAttribute("aria-busy", "true");
    status.textContent = "Civia rédige sa réponse…";
    busy(true);
    let text = "";
    source = new EventSource(url);
    // The local model is busy: the answer waits its turn and says where it stands.
    source.addEventListener("queued", (ev) => {
      let wait = li.querySelector(".queued");
      if (!wait) {
        wait = document.createElement("p"); wait.className = "meta queued";
        wait.setAttribute("role", "status"); wait.setAttribute("aria-live", "polite");
        body.before(wait);
      }
      wait.textContent = JSON.parse(ev.data).label;
    });
    source.addEventListener("token", (ev) => {
      const wait = li.querySelector(".queued");
      if (wait) wait.remove();
      text += JSON.parse(ev.data).t;
      body.textContent = text;  // plain text while streaming; sanitised HTML at the end
      li.scrollIntoView({ block: "end" });
    });
    source.addEventListener("done", (ev) => {
      const d = JSON.parse(ev.data);
      if (d.masked) {
        const p = document.createElement("p"); p.className = "meta privacy";
        p.textContent = "Données personnelles masquées avant l'envoi au modèle : " + d.masked + ". Elles sont rétablies dans la réponse ci-dessus.";
        li.append(p);
      }
      finish(li, d.html, d.status, d.error);
      if (d.footprint) {
        const f = document.createElement("p"); f.className = "meta footprint";
        f.textContent = d.footprint;
        li.append(f);
      }
      if (d.sources) li.querySelector(".body").insertAdjacentHTML("afterend", d.sources);
    });
    source.onerror = () => {
      if (source && source.readyState !== EventSource.CLOSED) {
        finish(li, null, "error", "La connexion au serveur a été perdue. Rechargez la page.");
      }
    };
  }

  function finish(li, html, state, error) {
    if (source) { source.close(); source = null; }
    const wait = li.querySelector(".queued");
    if (wait) wait.remove();
    if (html !== null && html !== undefined) li.querySelector(".body").innerHTML = html;
    li.removeAttribute("aria-busy");
    if (state === "error") showError(error || "Le modèle n'a pas pu répondre.");
    if (state === "stopped") {
      const p = document.createElement("p"); p.className = "meta"; p.textContent = "Génération arrêtée.";
      li.append(p);
    }
    if (!li.querySelector("button.copy")) {
      const copy = document.createElement("button");
      copy.type = "button"; copy.className = "copy link"; copy.textContent = "Copier";
      li.append(copy);
    }
    status.textContent = state === "ok" ? "Réponse terminée." : "Réponse interrompue.";
    busy(false);
    document.body.dispatchEvent(new Event("civia:refresh"));
    box.focus();
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (sendBtn.disabled) return;  // no double submit
    showError("");
    const content = box.value;
    if (!content.trim()) { showError("Le message est vide."); return; }
    busy(true);
    try {
      const d = await post(form.action, new FormData(form));
      box.value = "";  // cleared only once the server has saved it
      bubble("user", d.user_html);
      if (d.url && !root.dataset.conversation) {
        root.dataset.conversation = d.conversation_id;
        form.action = d.url + "/messages";
        history.replaceState(null, "", d.url);
        document.getElementById("chat-title").textContent = d.title;
        const actions = document.getElementById("conv-actions");
        actions.querySelectorAll("form[data-action]").forEach((f) => { f.action = d.url + "/" + f.dataset.action; });
        actions.querySelector("#new-title").value = d.title;
        const report = actions.querySelector("[data-action-link=incident]");
        if (report) report.href = "/incidents/nouveau?conversation=" + d.conversation_id;
        actions.hidden = false;
        regenBtn.dataset.url = d.url + "/regenerer";
        regenBtn.hidden = false;
      }
      stopUrl = d.stop_url;
      stream(d.stream_url, bubble("assistant", ""));
    } catch (err) {
      busy(false);
      showError(err.message);  // the text stays in the box: nothing is lost
    }
  });

  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });

  stopBtn.addEventListener("click", () => {
    const li = list.lastElementChild;
    if (source) { source.close(); source = null; }
    if (stopUrl) post(stopUrl, new FormData()).catch(() => {});
    if (li) finish(li, null, "stopped", "");
  });

  regenBtn.addEventListener("click", async () => {
    showError("");
    try {
      const d = await post(regenBtn.dataset.url, new FormData());
      const last = list.lastElementChild;
      if (last && last.classList.contains("assistant")) last.remove();
      stopUrl = d.stop_url;
      stream(d.stream_url, bubble("assistant", ""));
    } catch (err) { showError(err.message); }
  });

  const pending = list.querySelector("[data-stream]");
  if (pending) stream(pending.dataset.stream, pending.closest(".msg"));
})();

// Double submits: a form's [data-once] button is disabled once the form is sent.
document.addEventListener("submit", (e) => {
  if (e.defaultPrevented) return;
  const btn = e.target.querySelector("button[data-once]");
  if (btn) setTimeout(() => { btn.disabled = true; btn.textContent = "Envoi en cours…"; }, 0);
});

// A structured result streams as JSON: while it arrives, show only the text of its values (one
// paragraph each), never the braces and field names.
function readableDraft(partial) {
  if (!partial.trimStart().startsWith("{")) return partial;
  const values = [], stack = [];
  let expectKey = false;
  for (let i = 0; i < partial.length; i += 1) {
    const c = partial[i];
    if (c === "{") { stack.push("{"); expectKey = true; }
    else if (c === "[") { stack.push("["); expectKey = false; }
    else if (c === "}" || c === "]") { stack.pop(); expectKey = false; }
    else if (c === ",") { expectKey = stack[stack.length - 1] === "{"; }
    else if (c === ":") { expectKey = false; }
    else if (c === '"') {
      let value = "";
      i += 1;
      while (i < partial.length && partial[i] !== '"') {
        if (partial[i] === "\\" && i + 1 < partial.length) {
          const next = partial[i + 1];
          value += next === "n" ? "\n" : next === "t" ? " " : next;
          i += 2;
        } else { value += partial[i]; i += 1; }
      }
      if (!expectKey && value.trim()) values.push(value);  // keys (field names) are not shown
    }
  }
  return values.join("\n\n");
}

(function assistantRun() {
  const root = document.getElementById("run");
  if (!root || !["pending", "streaming"].includes(root.dataset.status)) return;
  const live = document.getElementById("run-live");
  const status = document.getElementById("run-status");
  live.hidden = false;
  let text = "";
  const source = new EventSource(root.dataset.stream);
  // The local model is busy: the run waits its turn and says where it stands.
  source.addEventListener("queued", (ev) => {
    const label = JSON.parse(ev.data).label;
    status.textContent = label || "Génération en cours…";
  });
  source.addEventListener("token", (ev) => {
    if (status.textContent.startsWith("En file d'attente")) status.textContent = "Génération en cours…";
    text += JSON.parse(ev.data).t;
    live.textContent = readableDraft(text);
  });
  source.addEventListener("done", (ev) => {
    source.close();
    const d = JSON.parse(ev.data);
    status.textContent = d.status === "draft" ? "Brouillon prêt." : "La génération a échoué.";
    window.location.reload();
  });
  source.onerror = () => {
    source.close();
    status.textContent = "Connexion perdue : la génération continue sur le serveur ; rechargez la page pour la suivre.";
  };
})();

// Uploads: the bytes sent are shown while the files travel (XHR upload progress); the server
// then answers per file and the documents table refreshes, each analysis with its own bar.
(function upload() {
  const form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest) return;
  const bar = document.getElementById("upload-progress");
  const status = document.getElementById("upload-status");
  const button = document.getElementById("upload-button");
  const results = document.getElementById("upload-results");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (button.disabled) return;  // no double submit
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-CSRF-Token", csrf());
    xhr.setRequestHeader("HX-Request", "true");
    xhr.upload.addEventListener("progress", (ev) => {
      if (!ev.lengthComputable) return;
      const pct = Math.round((ev.loaded / ev.total) * 100);
      bar.value = pct;
      status.textContent = "Envoi des fichiers : " + pct + " %";
    });
    xhr.addEventListener("load", () => {
      button.disabled = false; bar.hidden = true;
      let detail = "";
      if (xhr.getResponseHeader("content-type")?.includes("json")) {
        try { detail = JSON.parse(xhr.responseText).detail; } catch (_) { /* keep empty */ }
        status.textContent = detail || "Le dépôt a échoué (erreur " + xhr.status + ").";
        return;
      }
      results.innerHTML = xhr.responseText;  // rendered and escaped by the server
      status.textContent = "Envoi terminé : l'analyse des fichiers suit ci-dessous.";
      form.reset();
      document.body.dispatchEvent(new Event("civia:documents"));
    });
    xhr.addEventListener("error", () => {
      button.disabled = false; bar.hidden = true;
      status.textContent = "La connexion a été interrompue : rien n'a été enregistré pour les fichiers non confirmés. Réessayez.";
    });
    button.disabled = true; bar.hidden = false; bar.value = 0;
    status.textContent = "Envoi des fichiers…";
    xhr.send(new FormData(form));
  });
})();
// File inputs: say at once when a file is over the limit (the server refuses it too, 413).
document.addEventListener("change", (e) => {
  const input = e.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) return;
  const limit = Number(input.dataset.maxBytes);
  const tooBig = Array.from(input.files || []).find((f) => f.size > limit);
  input.setCustomValidity(tooBig
    ? "Le fichier « " + tooBig.name + " » dépasse " + Math.round(limit / 1e6) + " Mo : choisissez un fichier plus petit."
    : "");
  input.reportValidity();
});
