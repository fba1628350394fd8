"""Working a page by keyboard only, as the browser tests do it: Tab to a control, Enter or Space on
it, and checks that the focus is somewhere, visible, and not under the toast."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page

# Notes, in every animation frame, whether the focus is on <body> (or nowhere), and after which
# control. Tabbing past the page's last control leaves the page for the browser's own controls:
# while tab_to() presses Tab, the watch rests.
WATCH_FOCUS = """() => {
  window.__focusLost = [];
  const tick = () => {
    const active = document.activeElement;
    if (!active || active === document.body) {
      const last = window.__focusLost[window.__focusLost.length - 1];
      if (last !== window.__lastFocused && !window.__tabbing) window.__focusLost.push(window.__lastFocused);
    } else {
      const words = (active.textContent || "").trim().slice(0, 40);
      window.__lastFocused = `${active.tagName.toLowerCase()}#${active.id}.${active.className} "${words}"`;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""

FOCUS_STATE = """() => {
  const active = document.activeElement;
  const toast = document.getElementById("toast");
  const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const style = active ? getComputedStyle(active) : null;
  const rect = active ? active.getBoundingClientRect() : null;
  return {
    body: !active || active === document.body,
    id: active ? active.id : "",
    text: active ? (active.textContent || "").trim() : "",
    visible_ring: Boolean(style && active.matches(":focus-visible") && style.outlineStyle !== "none"
      && parseFloat(style.outlineWidth) >= 2),
    on_screen: Boolean(rect && rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.top < innerHeight),
    under_toast: Boolean(toast && toast.textContent && rect && overlap(rect, toast.getBoundingClientRect())),
  };
}"""


def watch_focus(page: Page) -> None:
    page.evaluate(WATCH_FOCUS)


def focus_lost_after(page: Page) -> list[str]:
    """The controls after which the focus fell to <body> since ``watch_focus``."""
    return list(page.evaluate("window.__focusLost"))


def focus_state(page: Page) -> dict[str, Any]:
    return dict(page.evaluate(FOCUS_STATE))


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("element => element === document.activeElement"))


def tab_to(page: Page, target: Locator, limit: int = 200, backwards: bool = False) -> int:
    """Presses Tab (or Shift+Tab) until ``target`` has the focus; how many presses it took. Every
    stop on the way has a visible focus ring."""
    target.wait_for(state="visible")
    page.evaluate("window.__tabbing = true")
    try:
        for presses in range(1, limit + 1):
            page.keyboard.press("Shift+Tab" if backwards else "Tab")
            if is_focused(target):
                return presses
            state = focus_state(page)
            assert state["body"] or state["visible_ring"], f"no visible focus on {state}"
    finally:
        page.evaluate("window.__tabbing = false")
    raise AssertionError(f"{target} was not reached with {limit} presses of Tab")


def assert_focus_is_kept(page: Page, where: str) -> dict[str, Any]:
    """The focus is on a control (not <body>), with a visible ring, in the window, and clear of the toast."""
    state = focus_state(page)
    assert not state["body"], f"focus fell to <body> {where}"
    assert state["visible_ring"], f"the focus is not visible {where}: {state}"
    assert state["on_screen"], f"the focused control is outside the window {where}: {state}"
    assert not state["under_toast"], f"the toast covers the focused control {where}: {state}"
    return state


def live_regions_saying(page: Page, words: str) -> list[str]:
    """The live regions (polite or assertive) whose text has ``words``: a change is said once."""
    return list(page.evaluate("""(words) => [...document.querySelectorAll(
        "[aria-live]:not([aria-live=off]), [role=status], [role=alert], [role=log]")]
      .filter((region) => region.textContent.includes(words)).map((region) => region.id || region.className)""", words))
