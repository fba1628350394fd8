// What the hosts' dashboard and the desk page share: messages, the stream state, signing out.
import { api, fill, follow, problemText, screenData } from "./live.js";

export const screen = screenData();
export const texts = screen.texts;
export const serviceById = Object.fromEntries(screen.services.map((s) => [s.id, s]));

let toastTimer = null;

export function say(message, kind = "info") {
  const toast = document.getElementById("toast");
  toast.textContent = message;
  toast.dataset.kind = kind;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, kind === "error" ? 10000 : 5000);
}

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
