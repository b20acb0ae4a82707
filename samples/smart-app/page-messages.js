// Shared by the demo app's pages (loaded before each page's own script): how a page says it cannot go on.
'use strict';

window.demoAppMessages = {
  /** A function that hides the page's status line and shows a message in its alert. */
  failer(status, alertBox) {
    return (message) => {
      status.hidden = true;
      alertBox.textContent = message;
      alertBox.hidden = false;
    };
  },

  /** The error's message, without a final full stop (the sentence around it adds its own). */
  reason(error) {
    return (error && error.message ? error.message : String(error)).trim().replace(/\.+$/, '');
  },
};
