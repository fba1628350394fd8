// The robot's tablet: a tap is handed to the robot host through the Pepper tablet's bridge
// (window.ALTabletBinding.raiseEvent, QiMessaging on the robot). Without the bridge (a normal
// browser) a tap raises nothing; links still lead to the next page.
//
// Plain ES5 in a classic script: a Pepper's tablet (NAOqi 2.5) runs an Android WebView of
// Chromium 46-48, which has no modules, arrow functions, let/const, template literals or async.
(function () {
  "use strict";

  var screen = JSON.parse(document.getElementById("screen-data").textContent);
  var status = document.getElementById("status");

  function raise(action) {
    var bridge = window.ALTabletBinding;
    if (bridge && typeof bridge.raiseEvent === "function") {
      try {
        bridge.raiseEvent(action);
        return true;
      } catch (error) {
        if (window.console) {
          window.console.warn("tablet bridge refused the event", error);
        }
      }
    }
    return false;
  }

  // The nearest element from ``element`` up that has ``attribute`` (Element.closest, by hand).
  function nearest(element, attribute) {
    while (element && element.nodeType === 1) {
      if (element.hasAttribute(attribute)) {
        return element;
      }
      element = element.parentNode;
    }
    return null;
  }

  function tell(raised) {
    status.textContent = raised ? screen.texts.one_moment : screen.texts.no_robot;
  }

  document.addEventListener("click", function (event) {
    var target = nearest(event.target, "data-event");
    if (!target) {
      return;
    }
    var raised = raise(target.getAttribute("data-event"));
    if (target.tagName === "BUTTON") {
      target.className += " is-chosen";
      window.setTimeout(function () {
        target.className = target.className.replace(/\s*is-chosen/g, "");
      }, 1500);
      tell(raised);
    }
  });

  var form = document.getElementById("check-in-form");
  if (!form) {
    return;
  }
  var output = document.getElementById("code");
  var submit = document.getElementById("submit");
  var code = "";

  function show() {
    output.textContent = code;
    submit.disabled = code.length !== screen.code_length;
  }

  form.addEventListener("click", function (event) {
    var key = nearest(event.target, "data-key");
    if (key && code.length < screen.code_length) {
      code += key.getAttribute("data-key");
      show();
    }
  });
  document.getElementById("delete").addEventListener("click", function () {
    code = code.slice(0, -1);
    show();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (code.length !== screen.code_length) {
      return;
    }
    tell(raise("check_in:" + code));
    code = "";
    show();
  });
  show();
}());
