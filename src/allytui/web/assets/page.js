// allytui's page: the terminal readable by screen readers and focused on load, and a question before leaving
// a live session. Loaded after textual.js, whose window.onload builds the terminal.
"use strict";

(function () {
  const buildTerminal = window.onload;

  // textual.js gives xterm a fixed options object, and xterm's OptionsService copies options with for..in, so a
  // screenReaderMode that for..in finds on the object's prototype turns on xterm's accessibility tree (the
  // screen's text as DOM rows, read by screen readers). It is there only until xterm reads it from the options
  // (their fontFamily and scrollback tell them apart), so no other for..in ever meets it.
  function offerScreenReaderMode() {
    Object.defineProperty(Object.prototype, "screenReaderMode", {
      enumerable: true,
      configurable: true,
      get: function () {
        if (!("fontFamily" in this && "scrollback" in this)) {
          return undefined;
        }
        withdrawScreenReaderMode();
        return true;
      },
    });
  }

  function withdrawScreenReaderMode() {
    delete Object.prototype.screenReaderMode;
  }

  window.onload = function (event) {
    offerScreenReaderMode();
    try {
      if (typeof buildTerminal === "function") {
        buildTerminal.call(window, event);
      }
    } finally {
      withdrawScreenReaderMode();
    }
    focusTerminal();
  };

  function focusTerminal() {
    const input = document.querySelector(".xterm-helper-textarea");
    if (input) {
      input.focus();
    }
  }

  function live() {
    const body = document.body;
    return body.classList.contains("-loaded") && !body.classList.contains("-closed");
  }

  // Leaving or reloading ends the session (a reload starts a fresh one); what was saved is kept, an open form is not.
  window.addEventListener("beforeunload", function (event) {
    if (live()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    for (const button of document.querySelectorAll("button.restart")) {
      button.addEventListener("click", function () {
        window.location.assign("/");
      });
    }
  });

  // The first screen arrives: give the terminal the keyboard (again, in case a click went elsewhere meanwhile).
  new MutationObserver(function (changes, observer) {
    if (document.body && document.body.classList.contains("-first-byte")) {
      focusTerminal();
      observer.disconnect();
    }
  }).observe(document.documentElement, { attributes: true, subtree: true, attributeFilter: ["class"] });
})();
