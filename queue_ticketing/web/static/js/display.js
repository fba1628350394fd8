// The waiting-room display: calls with their desk, waiting per service, the clock. Starts from
// the queue snapshot, then follows the public event stream of the location.
import { api, debounce, fill, follow, h, screenData } from "./live.js";
import { Announcer } from "./announcer.js";

const screen = screenData();
const params = new URLSearchParams(window.location.search);
const CURRENT = 3;
const EARLIER = 5;
const HIGHLIGHT_MS = 12000;

const announcer = new Announcer({
  callouts: screen.callouts,
  sound: params.get("sound") !== "off",
  speech: params.get("speech") === "on",
  soundButton: document.getElementById("sound-on"),
});

let calls = []; // newest first: {number, service, desk, recalled, fromSnapshot, highlightUntil}
let snapshotLoaded = false;
const early = []; // events that came before the first snapshot

function both(key) {
  return [h("span", { lang: "nl" }, screen.texts.nl[key]), h("span", { class: "second-language", lang: "en" }, screen.texts.en[key])];
}

function callItem(call, big) {
  const fresh = call.highlightUntil > Date.now();
  return h("li", { class: `call${big ? " call-current" : ""}${fresh ? " is-new" : ""}`, dataset: { number: call.number } },
    h("span", { class: "call-number" }, call.number),
    h("span", { class: "call-arrow", "aria-hidden": "true" }, "→"),
    h("span", { class: "call-desk" },
      h("span", { class: "call-desk-label" }, both("desk")),
      h("span", { class: "call-desk-number" }, call.desk ?? "–")),
    call.recalled ? h("span", { class: "call-again" }, both("again")) : null);
}

function renderCalls() {
  const current = document.getElementById("current-calls");
  const earlier = document.getElementById("earlier-calls");
  current.replaceChildren(...calls.slice(0, CURRENT).map((call) => callItem(call, true)));
  earlier.replaceChildren(...calls.slice(CURRENT, CURRENT + EARLIER).map((call) => callItem(call, false)));
  document.getElementById("no-calls").hidden = calls.length > 0;
  document.getElementById("no-earlier-calls").hidden = calls.length > CURRENT;
}

function addCall(data, recalled) {
  const desk = data.desk_number ?? screen.desks[data.desk] ?? null;
  const known = calls.find((call) => call.number === data.number);
  // The snapshot already showed this very call. A visit of several services is called again, for
  // its next service, at the same desk or another: that is a new call.
  if (!recalled && known && known.fromSnapshot && known.desk === desk && known.service === data.service) {
    known.fromSnapshot = false;
    return;
  }
  calls = calls.filter((call) => call.number !== data.number);
  calls.unshift({ number: data.number, service: data.service, desk, recalled, fromSnapshot: false,
    highlightUntil: Date.now() + HIGHLIGHT_MS });
  calls = calls.slice(0, CURRENT + EARLIER);
  renderCalls();
  setTimeout(renderCalls, HIGHLIGHT_MS + 50);
  announcer.announce({ number: data.number, desk, language: data.language });
}

function seedCalls(recent) {
  const seen = new Set();
  for (const call of recent) {
    if (seen.has(call.number) || calls.some((c) => c.number === call.number)) continue;
    seen.add(call.number);
    calls.push({ number: call.number, service: call.service, desk: call.desk_number, recalled: call.recalled,
      fromSnapshot: true, highlightUntil: 0 });
  }
  calls = calls.slice(0, CURRENT + EARLIER);
  renderCalls();
}

function estimateText(service) {
  // "± 12 min" reads the same in Dutch and English; nothing when nobody waits or nobody needs to.
  if (service.waiting === 0 || service.estimated_wait_minutes === 0) return [];
  return [fill(screen.texts.nl.minutes, { minutes: service.estimated_wait_minutes })];
}

function renderWaiting(services) {
  for (const service of services) {
    const tile = document.querySelector(`.waiting-tile[data-service="${service.service}"]`);
    if (!tile) continue;
    tile.querySelector('[data-field="count"]').textContent = String(service.waiting);
    tile.querySelector('[data-field="estimate"]').replaceChildren(...estimateText(service));
    tile.classList.toggle("is-empty", service.waiting === 0);
  }
}

function renderCounts(waiting) {
  for (const tile of document.querySelectorAll(".waiting-tile")) {
    const count = waiting[tile.dataset.service] || 0;
    tile.querySelector('[data-field="count"]').textContent = String(count);
    tile.classList.toggle("is-empty", count === 0);
  }
}

async function loadSnapshot() {
  try {
    const queue = await api("GET", screen.queue_url);
    renderWaiting(queue.services);
    if (!snapshotLoaded) {
      snapshotLoaded = true;
      seedCalls(queue.recent_calls);
      for (const [type, data] of early.splice(0)) handle(type, data);
    }
  } catch {
    setTimeout(loadSnapshot, 3000);
  }
}
const refreshEstimates = debounce(loadSnapshot, 800);

function handle(type, data) {
  if (!snapshotLoaded) {
    early.push([type, data]);
    return;
  }
  if (type === "ticket.called") addCall(data, false);
  else if (type === "ticket.recalled") addCall(data, true);
  else if (type === "queue.changed") {
    if (data.waiting) renderCounts(data.waiting);
    refreshEstimates();
  }
}

function setOnline(online, reconnected) {
  document.getElementById("connection").hidden = online;
  document.body.dataset.stream = online ? "online" : "offline";
  if (online && reconnected) refreshEstimates();
}

function tick() {
  const now = new Date();
  const time = new Intl.DateTimeFormat("nl-NL", { hour: "2-digit", minute: "2-digit", timeZone: screen.timezone });
  const date = new Intl.DateTimeFormat("nl-NL", { weekday: "long", day: "numeric", month: "long", timeZone: screen.timezone });
  const clock = document.getElementById("clock-time");
  clock.textContent = time.format(now);
  clock.setAttribute("datetime", now.toISOString());
  document.getElementById("clock-date").textContent = date.format(now);
}

tick();
setInterval(tick, 1000);
setInterval(loadSnapshot, 30000);
follow(screen.events_url, ["ticket.called", "ticket.recalled", "queue.changed"], { onEvent: handle, onState: setOnline });
loadSnapshot();
