// Sign-in on a staff screen: the token goes to the server once and comes back as an HttpOnly
// cookie; this script never stores it.
import { api, problemText, screenData } from "./live.js";

const screen = screenData();
const form = document.getElementById("sign-in-form");
const input = document.getElementById("token");
const error = document.getElementById("sign-in-error");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  const token = input.value.trim();
  if (!token) {
    error.textContent = screen.errors.invalid_request;
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return;
  }
  try {
    await api("POST", screen.session, { token });
    input.value = "";
    if (screen.next) window.location.assign(screen.next);
    else window.location.reload();
  } catch (problem) {
    error.textContent = problemText(screen.errors, problem);
    input.setAttribute("aria-invalid", "true");
    input.select();
  }
});
