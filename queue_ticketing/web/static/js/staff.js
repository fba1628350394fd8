// What the hosts' dashboard and the desk page share: messages, the stream state, signing out.
import { announce, api, fill, follow, h, problemText, screenData } from "./live.js";

export const screen = screenData();
export const texts = screen.texts;
export const serviceById = Object.fromEntries(screen.services.map((s) => [s.id, s]));

let toastTimer = null;
const toast = document.getElementById("toast");

// Tells the person what an action did: the toast is a polite live region that is always in the
// page (empty and unseen between messages), so each message is read once, when it is set.
export function say(message, kind = "info") {
  clearTimeout(toastTimer);
  toast.dataset.kind = kind;
  announce(toast, message);
  requestAnimationFrame(() => requestAnimationFrame(placeToast));
  toastTimer = setTimeout(() => { toast.textContent = ""; }, kind === "error" ? 10000 : 5000);
}

function overlaps(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

// The toast never covers the control that has the focus: it sits at the bottom, else at the top,
// else the control is scrolled to the middle of the window.
function placeToast() {
  const focused = document.activeElement;
  if (!toast.textContent || !focused || focused === document.body) return;
  const control = () => focused.getBoundingClientRect();
  toast.classList.remove("at-top");
  if (!overlaps(toast.getBoundingClientRect(), control())) return;
  toast.classList.add("at-top");
  if (!overlaps(toast.getBoundingClientRect(), control())) return;
  toast.classList.remove("at-top");
  focused.scrollIntoView({ block: "center" });
}
document.addEventListener("focusin", placeToast);
document.addEventListener("scroll", () => requestAnimationFrame(placeToast), { passive: true, capture: true });
window.addEventListener("resize", placeToast);

export function sayProblem(problem) {
  say(problemText(screen.errors, problem), "error");
  if (problem.code === "signed_out" || problem.code === "unauthorized") setTimeout(() => window.location.reload(), 2500);
}

// Runs an action; on failure tells the person what happened and what to do next.
export async function attempt(action, after = () => {}) {
  try {
    return await action();
  } catch (problem) {
    sayProblem(problem);
    after(problem);
    return undefined;
  }
}

export function serviceName(id) {
  return (serviceById[id] && serviceById[id].name) || id;
}

export function minutes(value) {
  return fill(texts.minutes_short, { minutes: value });
}

async function stillSignedIn() {
  try {
    await api("GET", screen.session);
    return true;
  } catch (problem) {
    if (problem.status === 401) {
      window.location.reload();
      return false;
    }
    return true;
  }
}

export function followStream(url, types, onEvent, onReconnect) {
  const state = document.getElementById("stream-state");
  const text = document.getElementById("stream-text");
  return follow(url, types, {
    onEvent,
    shouldRetry: stillSignedIn,
    onState(online, reconnected) {
      state.classList.toggle("is-offline", !online);
      document.body.dataset.stream = online ? "online" : "offline";
      text.textContent = online ? texts.live_online : texts.stream_offline;
      if (online && reconnected) onReconnect();
    },
  });
}

document.getElementById("sign-out").addEventListener("click", async () => {
  await attempt(() => api("DELETE", screen.session));
  window.location.reload();
});

// A visit's services in order, as a list with words (not arrows or colour alone): the done ones,
// the current one (bold, aria-current) and the next. ``compact``: one line, for a list of tickets.
export function visitList(services, index, { compact = false } = {}) {
  const markers = { done: texts.visit_done, now: texts.visit_now, next: texts.visit_next, later: texts.visit_later };
  const icons = { done: "✓", now: "▶", next: "○", later: "○" };
  return h("ol", { class: compact ? "visit visit-compact" : "visit", "aria-label": texts.visit_services }, services.map((service, i) => {
    const state = i < index ? "done" : i === index ? "now" : i === index + 1 ? "next" : "later";
    const name = serviceName(service);
    return h("li", { class: `visit-step visit-${state}`, "aria-current": state === "now" ? "step" : null },
      compact && i > 0 ? h("span", { class: "visit-arrow", "aria-hidden": "true" }, "→") : null,
      h("span", { class: "visit-icon", "aria-hidden": "true" }, icons[state]),
      state === "now" ? h("strong", {}, name) : h("span", {}, name),
      h("span", { class: "visit-marker" }, compact ? ` (${markers[state].toLowerCase()})` : markers[state]));
  }));
}
