// The mobile ticket: where the visitor stands, live; "it's your turn: desk 4" when called.
import { api, debounce, fill, follow, screenData } from "./live.js";

const screen = screenData();
const texts = screen.texts;
let ticket = screen.ticket;

function show(title, detail = "") {
  const state = document.getElementById("state");
  state.dataset.status = ticket.status;
  // "10 min" stays on one line
  document.getElementById("state-title").textContent = title.replace(/(\d) min/g, "$1\u00a0min");
  document.getElementById("state-detail").textContent = detail.replace(/(\d) min/g, "$1\u00a0min");
  document.getElementById("service").textContent = screen.services[ticket.service] || ticket.service;
}

function render(recalled = false) {
  const desk = ticket.desk_number;
  const wayfinding = desk ? screen.wayfinding[String(desk)] || "" : "";
  switch (ticket.status) {
    case "waiting": {
      const ahead = Math.max(0, ticket.position - 1);
      const line = ahead === 0 ? texts.ahead_none : ahead === 1 ? texts.ahead_one : fill(texts.ahead, { count: ahead });
      const range = ticket.estimated_wait_range;
      const wait = range ? fill(texts.estimate_range, { low: range.low, high: range.high })
        : ticket.estimated_wait_minutes > 0
          ? fill(texts.estimate, { minutes: ticket.estimated_wait_minutes }) : texts.estimate_none;
      show(line, wait);
      break;
    }
    case "called":
      show(fill(recalled ? texts.called_again : texts.your_turn, { desk }), wayfinding);
      break;
    case "serving":
      show(fill(texts.serving, { desk }));
      break;
    default:
      show(texts[ticket.status] || texts.done);
  }
}

async function refresh() {
  try {
    const fresh = await api("GET", screen.ticket_url);
    const wasCalled = ticket.status === "called";
    ticket = { ...ticket, ...fresh };
    render();
    if (!wasCalled && ticket.status === "called") notify();
  } catch {
    // the stream's offline state tells the visitor; the next event or reconnect refreshes
  }
}
// Many phones follow one queue: spread their refreshes a little.
const refreshSoon = debounce(refresh, 600 + Math.random() * 900);

function notify() {
  if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
}

function handle(type, data) {
  if (data.number !== ticket.number) {
    if (type === "queue.changed" && ticket.status === "waiting") refreshSoon();
    return;
  }
  if (type === "ticket.called" || type === "ticket.recalled") {
    // Show the call at once, from the event; the refresh confirms it.
    ticket = { ...ticket, status: "called", desk_number: data.desk_number ?? ticket.desk_number };
    render(type === "ticket.recalled");
    notify();
  }
  refresh();
}

function setOnline(online, reconnected) {
  const live = document.getElementById("live");
  live.classList.toggle("is-offline", !online);
  document.body.dataset.stream = online ? "online" : "offline";
  document.getElementById("live-text").textContent = online ? texts.live : texts.offline;
  if (online) (reconnected ? refreshSoon : refresh)();
}

render();
follow(screen.events_url, ["ticket.called", "ticket.recalled", "ticket.updated", "queue.changed"],
  { onEvent: handle, onState: setOnline });
