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
  constructor(code, status, detail, data = null) {
    super(detail || code);
    this.code = code;
    this.status = status;
    this.data = data || {}; // the problem's other members, e.g. next_free of slot_taken
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
    throw new Problem(code, response.status, data && data.detail, data);
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

// ---- Keeping a person's place while the page changes around them

const FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), "
  + "textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

// The first control in `element` that can take the keyboard's focus (hidden ones skipped).
export function firstFocusable(element) {
  if (!element) return null;
  if (element.matches(FOCUSABLE) && element.getClientRects().length) return element;
  return [...element.querySelectorAll(FOCUSABLE)].find((node) => node.getClientRects().length) || null;
}

// Focuses the first of `candidates` that can take it (elements, or functions returning one).
export function focusFirst(...candidates) {
  for (const candidate of candidates) {
    const element = typeof candidate === "function" ? candidate() : candidate;
    const target = element && element.isConnected
      ? firstFocusable(element) || (element.hasAttribute("tabindex") ? element : null) : null;
    if (target) {
      target.focus();
      return target;
    }
  }
  return null;
}

// Whether the keyboard's focus is lost: on <body> or on nothing.
export function focusIsLost() {
  return !document.activeElement || document.activeElement === document.body;
}

// Makes the children of `list` match `items`, one child per key (data-key), in order, without
// rebuilding the children that stay: build(item) makes a new child, update(child, item) brings one
// up to date in place (it must keep what the person works in: open boxes, focus, armed buttons).
// Focus is never left on <body>: a control that update() removed gives way to the first control of
// its item; an item that went away to the item that took its place (or the one before it), or to the
// list's heading when the list is empty.
export function syncList(list, items, key, build, update, empty = null) {
  const active = document.activeElement;
  const wanted = new Map(items.map((item) => [String(key(item)), item]));
  const children = [...list.children];
  const focusedChild = children.find((child) => child.contains(active));
  let successor = null;
  if (focusedChild && !wanted.has(focusedChild.dataset.key)) {
    const index = children.indexOf(focusedChild);
    successor = children.slice(index + 1).find((child) => wanted.has(child.dataset.key))
      || children.slice(0, index).reverse().find((child) => wanted.has(child.dataset.key)) || null;
  }
  const existing = new Map();
  for (const child of children) {
    if (child.dataset.key !== undefined && wanted.has(child.dataset.key)) existing.set(child.dataset.key, child);
    else child.remove();
  }
  const ordered = [];
  for (const [name, item] of wanted) {
    let child = existing.get(name);
    if (child) update(child, item);
    else {
      child = build(item);
      child.dataset.key = name;
    }
    ordered.push(child);
  }
  const keep = focusedChild && focusedChild.isConnected && focusedChild.contains(document.activeElement)
    ? document.activeElement : null;
  let cursor = list.firstElementChild;
  for (const child of ordered) {
    if (child !== cursor) list.insertBefore(child, cursor); // only what moved, or is new, is inserted
    else cursor = cursor.nextElementSibling;
  }
  if (!items.length && empty) list.append(empty());
  if (focusedChild && focusIsLost()) {
    if (keep && keep.isConnected) keep.focus(); // its item moved
    else focusFirst(focusedChild.isConnected ? focusedChild : null, successor, list.closest("section")?.querySelector("h2"));
  }
}

// A polite or assertive announcement for screen readers, said once. The regions are in the page
// from the start (an empty live region), so that every browser and reader hears a change.
export function announce(region, message) {
  const target = typeof region === "string" ? document.getElementById(region) : region;
  if (!target) return;
  if (document.hidden) { // no frames in a hidden tab, and nobody reads it: just show the words
    target.textContent = message;
    return;
  }
  target.textContent = "";
  // A new text node in the next frame: the same words twice are said twice, once each.
  requestAnimationFrame(() => { target.textContent = message; });
}
