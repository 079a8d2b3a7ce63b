const STORAGE_KEY = "theme";
const root = document.documentElement;
const toggle = document.querySelector(".theme-toggle");

function applyTheme(theme) {
  root.dataset.theme = theme;
  toggle.setAttribute("aria-pressed", String(theme === "dark"));
  toggle.textContent = theme === "dark" ? "Light mode" : "Dark mode";
}

const prefersDark = window.matchMedia("(prefers-color-scheme: dark)").matches;
applyTheme(localStorage.getItem(STORAGE_KEY) ?? (prefersDark ? "dark" : "light"));

toggle.addEventListener("click", () => {
  const next = root.dataset.theme === "dark" ? "light" : "dark";
  localStorage.setItem(STORAGE_KEY, next);
  applyTheme(next);
});

document.getElementById("year").textContent = String(new Date().getFullYear());
