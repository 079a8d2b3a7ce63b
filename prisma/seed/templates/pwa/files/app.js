const STORAGE_KEY = "pocket-notes";

const form = document.getElementById("note-form");
const textarea = document.getElementById("note-text");
const list = document.getElementById("notes");
const template = document.getElementById("note-template");
const status = document.getElementById("status");
const installButton = document.getElementById("install");

function loadNotes() {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]");
  } catch {
    return [];
  }
}

function saveNotes(notes) {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(notes));
}

let notes = loadNotes();

function render() {
  list.replaceChildren(
    ...notes.map((note) => {
      const item = template.content.firstElementChild.cloneNode(true);
      item.querySelector(".note-text").textContent = note.text;
      const time = item.querySelector("time");
      time.dateTime = note.createdAt;
      time.textContent = new Date(note.createdAt).toLocaleString();
      item.querySelector(".delete").addEventListener("click", () => {
        notes = notes.filter((n) => n.id !== note.id);
        saveNotes(notes);
        render();
      });
      return item;
    }),
  );
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = textarea.value.trim();
  if (!text) return;
  notes = [{ id: crypto.randomUUID(), text, createdAt: new Date().toISOString() }, ...notes];
  saveNotes(notes);
  form.reset();
  render();
});

function updateStatus() {
  status.textContent = navigator.onLine ? "" : "Offline";
}
window.addEventListener("online", updateStatus);
window.addEventListener("offline", updateStatus);

// Chromium fires this when the app is installable; keep the event to prompt on our own button.
let deferredPrompt = null;
window.addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  deferredPrompt = event;
  installButton.hidden = false;
});
installButton.addEventListener("click", async () => {
  if (!deferredPrompt) return;
  deferredPrompt.prompt();
  await deferredPrompt.userChoice;
  deferredPrompt = null;
  installButton.hidden = true;
});

if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("sw.js").catch((err) => console.error("Service worker failed", err));
  });
}

updateStatus();
render();
