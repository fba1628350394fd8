// "Tell me when it is nearly my turn": asks for notifications only when the visitor taps the button,
// registers the push service worker and hands the browser's subscription to the service.
const screen = JSON.parse(document.getElementById("screen-data").textContent);
const section = document.getElementById("push");
const button = document.getElementById("push-button");
const status = document.getElementById("push-status");
const texts = screen.texts;

const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
const ended = ["done", "no_show", "cancelled"].includes(screen.ticket.status);

function say(text) {
  status.textContent = text;
}

function applicationServerKey(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function activated(registration) {
  const worker = registration.installing || registration.waiting || registration.active;
  if (!worker || worker.state === "activated") return Promise.resolve(registration);
  return new Promise((resolve) => {
    worker.addEventListener("statechange", () => {
      if (worker.state === "activated") resolve(registration);
    });
  });
}

async function switchOn() {
  button.disabled = true;
  try {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say(texts.push_blocked);
      return;
    }
    const registration = await activated(await navigator.serviceWorker.register("/static/js/push-sw.js"));
    const key = (await (await fetch("/api/v1/push/public-key")).json()).public_key;
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: applicationServerKey(key),
    });
    const answer = await fetch(screen.push_url, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(subscription),
    });
    if (!answer.ok) throw new Error(`subscription refused: ${answer.status}`);
    say(texts.push_on);
    button.hidden = true;
  } catch (error) {
    console.warn("push not available:", error);
    say(texts.push_failed);
  } finally {
    button.disabled = false;
  }
}

if (supported && !ended) {
  section.hidden = false;
  if (Notification.permission === "denied") say(texts.push_blocked);
  button.addEventListener("click", switchOn);
}
