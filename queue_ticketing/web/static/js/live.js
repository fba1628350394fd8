// Shared by every screen: the page's data, texts with {placeholders}, small DOM building, the
// JSON API with problem+json errors, and a live event stream that resumes where it stopped.

export function screenData() {
  return JSON.parse(document.getElementById("screen-data").textContent);
}

export function fill(text, values = {}) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// h("li", {class: "call", dataset: {number: "P012"}}, "text", childNode, ...)
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function debounce(action, milliseconds) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => action(...args), milliseconds);
  };
}

export function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Problem extends Error {
  constructor(code, status, detail) {
    super(detail || code);
    this.code = code;
    this.status = status;
  }
}

const CODE_OF_STATUS = { 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "illegal_transition",
  413: "too_large", 415: "unsupported_media_type", 422: "invalid_request", 429: "too_many_requests" };

// The JSON API: resolves to the body (null for 204), rejects with a Problem carrying its code.
export async function api(method, url, body = undefined) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["Idempotency-Key"] = newKey();
  // A person's session: every change carries the page's anti-forgery token.
  const csrf = document.querySelector('meta[name="csrf-token"]');
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf.content;
  let response;
  try {
    response = await fetch(url, { method, headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new Problem("network", 0);
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const code = (data && data.code) || CODE_OF_STATUS[response.status] || "internal_error";
    throw new Problem(code, response.status, data && data.detail);
  }
  return data;
}

// What to tell a person about a failed request, in the page's language.
export function problemText(errors, problem) {
  if (problem && problem.code && errors[problem.code]) return errors[problem.code];
  const byStatus = problem && CODE_OF_STATUS[problem.status];
  return errors[byStatus] || errors.internal_error;
}

const SILENCE_LIMIT_MS = 45000;

// Follows a Server-Sent Events stream. The browser resumes with Last-Event-ID by itself; when it
// gives up (an error answer, e.g. while the server restarts behind a proxy) a new stream starts
// with ?after=<last id>. Events already handled are never handled again, none is skipped.
//   onEvent(type, data, id); onState(online, reconnected); shouldRetry() -> Promise<boolean>
export function follow(url, types, { onEvent, onState = () => {}, shouldRetry = async () => true }) {
  let lastId = 0;
  let source = null;
  let offlineTimer = null;
  let opened = 0;

  let lastHeard = Date.now();

  function start() {
    const target = lastId ? `${url}${url.includes("?") ? "&" : "?"}after=${lastId}` : url;
    const stream = new EventSource(target);
    source = stream;
    lastHeard = Date.now();
    stream.addEventListener("heartbeat", () => { lastHeard = Date.now(); });
    stream.addEventListener("open", () => {
      clearTimeout(offlineTimer);
      offlineTimer = null;
      opened += 1;
      onState(true, opened > 1);
    });
    stream.addEventListener("error", async () => {
      if (offlineTimer === null) offlineTimer = setTimeout(() => onState(false, false), 1000);
      if (stream.readyState === EventSource.CLOSED) {
        stream.close();
        const retry = await shouldRetry().catch(() => true);
        if (retry) setTimeout(start, 2000 + Math.random() * 1000);
      }
    });
    for (const type of types) {
      stream.addEventListener(type, (event) => {
        lastHeard = Date.now();
        const id = Number(event.lastEventId) || 0;
        if (id && id <= lastId) return;
        if (id) lastId = id;
        onEvent(type, JSON.parse(event.data), id);
      });
    }
  }

  // The server speaks at least every 15 s (a heartbeat when quiet). A stream silent for much longer
  // died without closing (a cable, a sleeping switch): show offline and start a new one.
  setInterval(() => {
    if (source && Date.now() - lastHeard > SILENCE_LIMIT_MS) {
      source.close();
      onState(false, false);
      start();
    }
  }, 5000);

  start();
  return { get lastId() { return lastId; }, close() { source.close(); } };
}

export function timeFormat(language, timeZone) {
  return new Intl.DateTimeFormat(language === "nl" ? "nl-NL" : "en-GB", { hour: "2-digit", minute: "2-digit", timeZone });
}
