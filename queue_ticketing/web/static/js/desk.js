// The desk page: call the next visitor and act on the one at the desk, by button or key.
// Actions go through /desk/{location}/api (the server adds the desk's token).
import { api, debounce, fill, focusFirst, focusIsLost, h } from "./live.js";
import { attempt, followStream, say, screen, serviceName, texts } from "./staff.js";
import { showTimeline } from "./timeline.js";

const desk = screen.desk;
const base = `${screen.api}/locations/${screen.location}`;
let current = null; // {id, number, service, status, language, kind, priority, case_reference}
let deskOpen = false;

const buttons = {
  callNext: document.getElementById("call-next"),
  recall: document.getElementById("recall"),
  start: document.getElementById("start"),
  finish: document.getElementById("finish"),
  noShow: document.getElementById("no-show"),
  transfer: document.getElementById("transfer"),
};
const transferSelect = document.getElementById("transfer-service");

// The control a clerk most likely wants next, when the one they were on can no longer be used.
function nextControl() {
  if (!current) return buttons.callNext;
  return current.status === "called" ? buttons.start : buttons.finish;
}

function renderVisitor() {
  const before = document.activeElement;
  const status = current ? current.status : null;
  document.getElementById("visitor-empty").hidden = Boolean(current);
  document.getElementById("visitor-card").hidden = !current;
  if (current) {
    document.getElementById("visitor-number").textContent = current.number;
    document.getElementById("visitor-service").textContent = serviceName(current.service);
    document.getElementById("visitor-status").textContent = status === "serving" ? texts.serving : texts.called;
    const language = document.getElementById("visitor-language");
    language.textContent = `${screen.languages[current.language] || current.language} (${current.language})`;
    language.setAttribute("lang", current.language);
    document.getElementById("visitor-kind").textContent = [
      current.kind === "appointment" ? texts.appointment : texts.walk_in,
      current.priority ? texts.priority : null].filter(Boolean).join(" · ");
    document.getElementById("visitor-case-row").hidden = !current.case_reference;
    document.getElementById("visitor-case").textContent = current.case_reference || "";
    for (const option of transferSelect.options) option.disabled = option.value === current.service;
    if (transferSelect.value === current.service) {
      const other = [...transferSelect.options].find((o) => !o.disabled);
      if (other) transferSelect.value = other.value;
    }
  }
  refreshTimeline();
  buttons.recall.disabled = status !== "called";
  buttons.start.disabled = status !== "called";
  buttons.noShow.disabled = status !== "called";
  buttons.finish.disabled = !current;
  buttons.transfer.disabled = !current;
  transferSelect.disabled = !current;
  // A button that was just used and can no longer be (Start once started, Finish, Transfer) hands
  // the focus on; focus never falls back to the page itself.
  const inPage = before && before !== document.body && document.querySelector("main").contains(before);
  if (inPage && (before.disabled || !before.isConnected || focusIsLost())) focusFirst(nextControl(), buttons.callNext);
}

// The visitor's timeline (who issued, called, transferred ...), read again after every change.
// It stands below the actions, so the buttons do not move when it is read.
const timelineSteps = document.getElementById("visitor-timeline-steps");
const refreshTimeline = debounce(async () => {
  if (!current) {
    timelineSteps.replaceChildren();
    document.getElementById("visitor-timeline").hidden = true;
  } else if (await showTimeline(timelineSteps, current.id)) {
    document.getElementById("visitor-timeline").hidden = !current;
  }
}, 150);

function asCurrent(ticket) {
  if (!ticket || !["called", "serving"].includes(ticket.status) || ticket.desk !== desk.id) return null;
  return { id: ticket.id, number: ticket.number, service: ticket.service, status: ticket.status,
    language: ticket.language, kind: ticket.kind, priority: ticket.priority, case_reference: ticket.case_reference };
}

async function loadCurrent() {
  const answer = await attempt(() => api("GET", screen.current));
  if (answer) {
    current = answer.ticket;
    renderVisitor();
  }
}
const refreshCurrent = debounce(loadCurrent, 200);

async function loadQueue() {
  const queue = await attempt(() => api("GET", `${base}/queue`));
  if (!queue) return;
  const mine = queue.services.filter((s) => desk.services.includes(s.service));
  const total = mine.reduce((sum, s) => sum + s.waiting, 0);
  document.getElementById("waiting-count").textContent = String(total);
  document.getElementById("desk-services").replaceChildren(...mine.map((s) =>
    h("li", {}, h("span", {}, serviceName(s.service)), h("span", { class: "desk-service-count" }, s.waiting))));
  const next = (queue.tickets || []).filter((t) => desk.services.includes(t.service)).slice(0, 6);
  document.getElementById("next-tickets").replaceChildren(...(next.length ? next.map((t) =>
    h("li", { class: "ticket-line" },
      h("span", { class: "ticket-number" }, t.number),
      h("span", {}, serviceName(t.service)),
      h("span", { class: "muted", lang: t.language }, screen.languages[t.language] || t.language),
      t.priority ? h("span", { class: "badge badge-priority" }, h("span", { "aria-hidden": "true" }, "★"), texts.priority) : null,
      t.kind === "appointment" ? h("span", { class: "badge" }, texts.appointment) : null))
    : [h("li", { class: "empty" }, texts.no_waiting)]));
  const state = queue.desks.find((d) => d.id === desk.id);
  deskOpen = Boolean(state && state.open);
  const badge = document.getElementById("desk-open-badge");
  badge.className = `badge ${deskOpen ? "badge-open" : "badge-closed"}`;
  badge.replaceChildren(h("span", { "aria-hidden": "true" }, deskOpen ? "●" : "○"), deskOpen ? texts.open : texts.closed);
  const toggle = document.getElementById("toggle-desk");
  const label = deskOpen ? texts.close_desk : texts.open_desk;
  if (toggle.textContent !== label) toggle.textContent = label;
  toggle.hidden = false; // hidden, and nameless, until the desk's state is known
  badge.hidden = false;
}
const refreshQueue = debounce(loadQueue, 250);

async function callNext() {
  const ticket = await attempt(() => api("POST", `${base}/desks/${desk.id}/call-next`));
  if (ticket === null) {
    current = null;
    say(screen.errors.nobody_waiting);
  } else if (ticket) {
    current = asCurrent(ticket);
    say(fill(texts.called_ticket, { number: ticket.number }));
  }
  renderVisitor();
  refreshQueue();
}

async function act(action, body) {
  if (!current) return;
  const number = current.number;
  const ticket = await attempt(() => api("POST", `${screen.api}/tickets/${current.id}/${action}`, body), loadCurrent);
  if (ticket) {
    current = asCurrent(ticket);
    renderVisitor();
    if (action === "transfer") say(fill(texts.transferred, { number, service: serviceName(ticket.service) }));
    else if (action === "recall") say(fill(texts.recalled, { number }));
    else if (action === "start") say(fill(texts.started, { number }));
    else if (!current) say(fill(texts.done_action, { number }));
  }
  refreshQueue();
}

buttons.callNext.addEventListener("click", callNext);
buttons.recall.addEventListener("click", () => act("recall"));
buttons.start.addEventListener("click", () => act("start"));
buttons.finish.addEventListener("click", () => act("finish"));
buttons.noShow.addEventListener("click", () => act("no-show"));
document.getElementById("transfer-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("transfer", { service: transferSelect.value });
});
document.getElementById("toggle-desk").addEventListener("click", async () => {
  const closing = deskOpen;
  const done = await attempt(() => api("POST", `${base}/desks/${desk.id}/${closing ? "close" : "open"}`));
  if (done !== undefined) say(fill(closing ? texts.desk_closed : texts.desk_opened, { number: desk.number }));
  loadQueue();
});
document.getElementById("ask-host").addEventListener("click", async () => {
  const place = fill(texts.desk_label, { number: desk.number });
  const sent = await attempt(() => api("POST", `${base}/assist-requests`, { reason: "visitor_needs_help", place }));
  if (sent) say(texts.assist_sent);
});

// Single-key shortcuts, with a switch to turn them off (remembered by this browser): someone who
// speaks to the computer or types here must not call a visitor by accident.
const SHORTCUTS = { n: buttons.callNext, r: buttons.recall, s: buttons.start, f: buttons.finish, x: buttons.noShow };
const SHORTCUTS_KEY = "gastvrij.desk.shortcuts";
const shortcutsSwitch = document.getElementById("shortcuts-on");
const keyed = [...document.querySelectorAll("[aria-keyshortcuts]")].map((element) => [element, element.getAttribute("aria-keyshortcuts")]);

function storedShortcuts() {
  try {
    return window.localStorage.getItem(SHORTCUTS_KEY) !== "off";
  } catch {
    return true; // storage refused: the default
  }
}

function setShortcuts(on) {
  shortcutsSwitch.checked = on;
  document.body.classList.toggle("shortcuts-off", !on);
  document.getElementById("shortcuts-hint-on").hidden = !on;
  document.getElementById("shortcuts-hint-off").hidden = on;
  for (const [element, keys] of keyed) {
    if (on) element.setAttribute("aria-keyshortcuts", keys);
    else element.removeAttribute("aria-keyshortcuts");
  }
}

shortcutsSwitch.addEventListener("change", () => {
  setShortcuts(shortcutsSwitch.checked);
  try {
    window.localStorage.setItem(SHORTCUTS_KEY, shortcutsSwitch.checked ? "on" : "off");
  } catch {
    // storage refused: the switch still holds for this page
  }
});
setShortcuts(storedShortcuts());

document.addEventListener("keydown", (event) => {
  if (!shortcutsSwitch.checked) return;
  if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
  if (event.target.closest("input, select, textarea, summary")) return;
  const key = event.key.toLowerCase();
  if (key === "t" && !transferSelect.disabled) {
    event.preventDefault();
    transferSelect.focus();
    return;
  }
  const button = SHORTCUTS[key];
  if (button && !button.disabled) {
    event.preventDefault();
    button.click();
  }
});

followStream(screen.events, ["ticket.called", "ticket.recalled", "ticket.updated", "queue.changed"], (type, data) => {
  refreshQueue();
  if (data.desk === desk.id || (current && data.number === current.number)) refreshCurrent();
}, () => { loadCurrent(); loadQueue(); });
renderVisitor();
loadCurrent();
loadQueue();
