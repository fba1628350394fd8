// The push service worker: shows what the service pushes (nearly your turn, called, called again,
// sent on) and, when the message is tapped, brings the mobile ticket's page to the front.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const called = data.kind === "called" || data.kind === "recalled";
  event.waitUntil(self.registration.showNotification(data.title || "Gastvrij", {
    body: data.body || "",
    tag: `gastvrij-${data.number || ""}`,
    renotify: true,
    requireInteraction: called,
    vibrate: called ? [300, 120, 300, 120, 300] : [200],
    data: { kind: data.kind || "", number: data.number || "" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    const page = windows.find((client) => new URL(client.url).pathname.startsWith("/t/"));
    return page ? page.focus() : undefined;
  }));
});
