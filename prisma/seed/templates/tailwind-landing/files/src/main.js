import "./main.css";

// The mobile menu: toggled by the button, closed again once a link in it is followed.
const menu = document.getElementById("mobile-menu");
const toggle = document.getElementById("menu-toggle");

toggle.addEventListener("click", () => {
  const open = menu.hidden;
  menu.hidden = !open;
  toggle.setAttribute("aria-expanded", String(open));
});

menu.addEventListener("click", (event) => {
  if (event.target instanceof HTMLAnchorElement) {
    menu.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
  }
});

document.getElementById("year").textContent = String(new Date().getFullYear());
