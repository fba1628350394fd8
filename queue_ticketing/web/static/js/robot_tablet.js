// The robot's tablet: a tap is handed to the robot host through the Pepper tablet's bridge
// (window.ALTabletBinding.raiseEvent, QiMessaging on the robot). Without the bridge (a normal
// browser) a tap raises nothing; links still lead to the next page.
import { screenData } from "./live.js";

const screen = screenData();
const status = document.getElementById("status");

function raise(action) {
  const bridge = window.ALTabletBinding;
  if (bridge && typeof bridge.raiseEvent === "function") {
    try {
      bridge.raiseEvent(action);
      return true;
    } catch (error) {
      console.warn("tablet bridge refused the event", error);
    }
  }
  return false;
}

document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-event]");
  if (!target) return;
  const raised = raise(target.dataset.event);
  if (target.tagName === "BUTTON") {
    target.classList.add("is-chosen");
    setTimeout(() => target.classList.remove("is-chosen"), 1500);
    status.textContent = raised ? screen.texts.one_moment : screen.texts.no_robot;
  }
});

const form = document.getElementById("check-in-form");
if (form) {
  const output = document.getElementById("code");
  const submit = document.getElementById("submit");
  let code = "";
  const show = () => {
    output.textContent = code;
    submit.disabled = code.length !== screen.code_length;
  };
  form.addEventListener("click", (event) => {
    const key = event.target.closest("[data-key]");
    if (key && code.length < screen.code_length) {
      code += key.dataset.key;
      show();
    }
  });
  document.getElementById("delete").addEventListener("click", () => {
    code = code.slice(0, -1);
    show();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (code.length !== screen.code_length) return;
    const raised = raise(`check_in:${code}`);
    status.textContent = raised ? screen.texts.one_moment : screen.texts.no_robot;
    code = "";
    show();
  });
  show();
}
