/*
 * The wiki editor's enhancements (templates/wiki/edit.html and new.html). No build step, no
 * inline script (the CSP forbids it): everything comes from the templates' data attributes.
 *
 * Without JavaScript the forms work as they are: Markdown typed by hand (the help under the
 * textarea says how), a "Preview" submit button that reloads the page with the preview, and the
 * project's facts in a labelled group. With it:
 *
 * - a toolbar (templates/wiki/includes/editor_toolbar.html) writes Markdown at the cursor;
 *   Ctrl+B and Ctrl+I in the textarea; arrow keys move between the buttons (WAI-ARIA toolbar);
 * - "Link to a page" opens a small panel that suggests titles from /page-titles/ (only the pages
 *   the reader may see) and inserts [[Title]] (or [[Title|selected text]]);
 * - "Preview" shows the preview in the page, through the same preview path and limits;
 * - the new-page form shows the project's group only when "A project" is chosen.
 *
 * Adding a button (e.g. "insert a photo"): put a <button type="button" data-editor-action="photo">
 * in editor_toolbar.html and, in a script loaded after this one,
 *   window.QuartiersEditor.actions.photo = function (editor, button) { editor.insert("![…](…)"); };
 * An action receives the editor ({textarea, wrap, prefixLines, insert}) and the button.
 */
(function () {
  "use strict";

  var SUGGEST_DELAY = 250; // ms of quiet typing before asking for suggestions
  var SUGGEST_MIN = 2;

  function Editor(textarea) {
    this.textarea = textarea;
  }

  Editor.prototype.selection = function () {
    var t = this.textarea;
    return { start: t.selectionStart, end: t.selectionEnd, text: t.value.slice(t.selectionStart, t.selectionEnd) };
  };

  // Replace the characters from `start` to `end` by `text` and select [selectStart, selectEnd)
  // inside it; through execCommand when possible, so the browser's undo keeps working.
  Editor.prototype.replace = function (start, end, text, selectStart, selectEnd) {
    var t = this.textarea;
    t.focus();
    t.setSelectionRange(start, end);
    var done = false;
    try {
      done = document.execCommand && document.execCommand("insertText", false, text);
    } catch (error) {
      done = false;
    }
    if (!done || t.value.slice(start, start + text.length) !== text) {
      t.setRangeText(text, start, end, "end");
      t.dispatchEvent(new Event("input", { bubbles: true }));
    }
    t.setSelectionRange(start + selectStart, start + selectEnd);
  };

  // Surround the selection with `before` and `after` (or a selected placeholder when nothing is selected).
  Editor.prototype.wrap = function (before, after, placeholder) {
    var s = this.selection();
    var inner = s.text || placeholder || "";
    this.replace(s.start, s.end, before + inner + after, before.length, before.length + inner.length);
  };

  // Start every line of the selection (or the current line) with `prefix`.
  Editor.prototype.prefixLines = function (prefix, placeholder) {
    var t = this.textarea;
    var s = this.selection();
    var lineStart = t.value.lastIndexOf("\n", s.start - 1) + 1;
    var lineEnd = t.value.indexOf("\n", s.end);
    if (lineEnd === -1) {
      lineEnd = t.value.length;
    }
    var block = t.value.slice(lineStart, lineEnd);
    if (!block.trim()) {
      var text = prefix + (placeholder || "");
      this.replace(lineStart, lineEnd, text, prefix.length, text.length);
      return;
    }
    var lines = block.split("\n").map(function (line) {
      return line.indexOf(prefix) === 0 ? line : prefix + line;
    });
    var result = lines.join("\n");
    this.replace(lineStart, lineEnd, result, 0, result.length);
  };

  // Insert `text` at the cursor, replacing the selection; the cursor ends after it.
  Editor.prototype.insert = function (text) {
    var s = this.selection();
    this.replace(s.start, s.end, text, text.length, text.length);
  };

  var actions = {
    heading: function (editor, button) {
      editor.prefixLines("## ", button.dataset.placeholder);
    },
    bold: function (editor, button) {
      editor.wrap("**", "**", button.dataset.placeholder);
    },
    italic: function (editor, button) {
      editor.wrap("*", "*", button.dataset.placeholder);
    },
    list: function (editor, button) {
      editor.prefixLines("- ", button.dataset.placeholder);
    },
    link: function (editor, button) {
      // [text](https://): the address is selected, ready to be typed over.
      var s = editor.selection();
      var label = s.text || button.dataset.placeholder || "";
      var text = "[" + label + "](https://)";
      editor.replace(s.start, s.end, text, label.length + 3, text.length - 1);
    },
    "page-link": function (editor, button) {
      editor.pageLink.toggle(button);
    },
  };

  // The "Link to a page" panel: a search field, suggestions as buttons, and "Insert the link".
  function PageLinkPanel(editor, panel, suggestUrl) {
    this.editor = editor;
    this.panel = panel;
    this.url = suggestUrl;
    this.query = panel.querySelector("[data-editor-page-query]");
    this.list = panel.querySelector("[data-editor-suggestions]");
    this.status = panel.querySelector("[data-editor-status]");
    this.opener = null;
    this.timer = null;
    this.request = 0;
    this.cache = {};
    var self = this;
    this.query.addEventListener("input", function () {
      window.clearTimeout(self.timer);
      self.timer = window.setTimeout(function () {
        self.suggest();
      }, SUGGEST_DELAY);
    });
    this.query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // never submit the page's form from here
        self.insert(self.query.value);
      } else if (event.key === "ArrowDown") {
        var first = self.list.querySelector("button");
        if (first) {
          event.preventDefault();
          first.focus();
        }
      }
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        self.close();
      }
    });
    panel.querySelector("[data-editor-insert-page]").addEventListener("click", function () {
      self.insert(self.query.value);
    });
    panel.querySelector("[data-editor-close]").addEventListener("click", function () {
      self.close();
    });
  }

  PageLinkPanel.prototype.toggle = function (button) {
    if (this.panel.hidden) {
      this.open(button);
    } else {
      this.close();
    }
  };

  PageLinkPanel.prototype.open = function (button) {
    this.opener = button;
    this.selection = this.editor.selection();
    this.panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    if (!this.query.value && this.selection.text && this.selection.text.length <= 100) {
      this.query.value = this.selection.text.trim();
      this.suggest();
    }
    this.query.focus();
  };

  PageLinkPanel.prototype.close = function () {
    this.panel.hidden = true;
    if (this.opener) {
      this.opener.setAttribute("aria-expanded", "false");
    }
    this.editor.textarea.focus();
  };

  PageLinkPanel.prototype.say = function (text) {
    this.status.textContent = text || "";
  };

  PageLinkPanel.prototype.suggest = function () {
    var text = this.query.value.trim().replace(/\s+/g, " ");
    var self = this;
    if (text.length < SUGGEST_MIN) {
      this.show([]);
      this.say("");
      return;
    }
    if (this.cache[text]) {
      this.show(this.cache[text]);
      return;
    }
    var number = ++this.request;
    window
      .fetch(this.url + "?" + new URLSearchParams({ q: text }).toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            throw new Error(data.error || String(response.status));
          }
          return data.results || [];
        });
      })
      .then(function (results) {
        if (number === self.request) {
          self.cache[text] = results;
          self.show(results);
        }
      })
      .catch(function () {
        if (number === self.request) {
          self.show([]);
          self.say(self.status.dataset.failed);
        }
      });
  };

  PageLinkPanel.prototype.show = function (results) {
    var self = this;
    this.list.textContent = "";
    results.forEach(function (result) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "editor-suggestion";
      button.textContent = result.title; // text, never HTML: titles are residents' input
      if (result.place) {
        var place = document.createElement("span");
        place.className = "editor-suggestion-place";
        place.textContent = " · " + result.place;
        button.appendChild(place);
      }
      button.addEventListener("click", function () {
        self.insert(result.title);
      });
      button.addEventListener("keydown", function (event) {
        var items = Array.prototype.slice.call(self.list.querySelectorAll("button"));
        var index = items.indexOf(button);
        if (event.key === "ArrowDown" && index < items.length - 1) {
          event.preventDefault();
          items[index + 1].focus();
        } else if (event.key === "ArrowUp") {
          event.preventDefault();
          (index > 0 ? items[index - 1] : self.query).focus();
        }
      });
      item.appendChild(button);
      self.list.appendChild(item);
    });
    var data = this.status.dataset;
    if (this.query.value.trim().length >= SUGGEST_MIN) {
      this.say(
        results.length === 0 ? data.none : results.length === 1 ? data.one : data.many.replace("{count}", results.length)
      );
    }
  };

  PageLinkPanel.prototype.insert = function (title) {
    title = (title || "").replace(/[[\]|\n]/g, " ").replace(/\s+/g, " ").trim();
    if (!title) {
      this.query.focus();
      return;
    }
    var s = this.selection || this.editor.selection();
    var label = s.text && s.text.trim() && s.text.trim() !== title ? s.text.replace(/[[\]|\n]/g, " ").trim() : "";
    var link = "[[" + title + (label ? "|" + label : "") + "]]";
    this.panel.hidden = true;
    if (this.opener) {
      this.opener.setAttribute("aria-expanded", "false");
    }
    this.editor.replace(s.start, s.end, link, link.length, link.length);
    this.query.value = "";
    this.show([]);
    this.say("");
    this.selection = null;
  };

  // A WAI-ARIA toolbar: one tab stop, arrow keys, Home and End move between the buttons.
  function rovingFocus(toolbar) {
    var buttons = function () {
      return Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    };
    buttons().forEach(function (button, index) {
      button.tabIndex = index === 0 ? 0 : -1;
    });
    toolbar.addEventListener("keydown", function (event) {
      var all = buttons();
      var index = all.indexOf(document.activeElement);
      if (index === -1) {
        return;
      }
      var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: all.length - 1 }[event.key];
      if (next === undefined) {
        return;
      }
      event.preventDefault();
      next = (next + all.length) % all.length;
      all[index].tabIndex = -1;
      all[next].tabIndex = 0;
      all[next].focus();
    });
  }

  function setUpToolbar(toolbar) {
    var textarea = document.getElementById(toolbar.dataset.editorToolbar);
    if (!textarea) {
      return;
    }
    var editor = new Editor(textarea);
    var panel = document.getElementById("editor-page-link-" + textarea.id);
    // The toolbar and the panel sit right above the textarea (after its label and help).
    textarea.parentNode.insertBefore(toolbar, textarea);
    if (panel) {
      textarea.parentNode.insertBefore(panel, textarea);
      editor.pageLink = new PageLinkPanel(editor, panel, toolbar.dataset.suggestUrl);
    }
    toolbar.hidden = false;
    rovingFocus(toolbar);
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-editor-action]");
      if (!button) {
        return;
      }
      var action = window.QuartiersEditor.actions[button.dataset.editorAction];
      if (typeof action === "function") {
        action(editor, button);
      }
    });
    textarea.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) {
        return;
      }
      var key = event.key.toLowerCase();
      var name = key === "b" ? "bold" : key === "i" ? "italic" : null;
      var button = name && toolbar.querySelector('[data-editor-action="' + name + '"]');
      if (button) {
        event.preventDefault();
        actions[name](editor, button);
      }
    });
  }

  // "Preview" in the page: the same POST as the button (same path, same limits), then the
  // preview section of the answer replaces the slot above the form. Anything else (errors in
  // the form, a rate limit, no network) falls back to the ordinary submit, which shows it.
  function setUpPreview(form) {
    var button = form.querySelector("[data-editor-preview]");
    var slot = document.querySelector("[data-editor-preview-slot]");
    if (!button || !slot || !window.fetch || !window.DOMParser) {
      return;
    }
    var fallingBack = false;
    function fallBack() {
      fallingBack = true;
      if (form.requestSubmit) {
        form.requestSubmit(button);
      } else {
        button.click();
      }
    }
    form.addEventListener("submit", function (event) {
      if (fallingBack || event.submitter !== button) {
        return;
      }
      event.preventDefault();
      var data = new FormData(form);
      data.set(button.name, button.value);
      button.setAttribute("aria-busy", "true");
      window
        .fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          return response.text().then(function (html) {
            return { ok: response.ok, html: html };
          });
        })
        .then(function (answer) {
          button.removeAttribute("aria-busy");
          var page = new DOMParser().parseFromString(answer.html, "text/html");
          var fresh = page.querySelector("[data-editor-preview-slot] .preview");
          if (!answer.ok || !fresh) {
            fallBack();
            return;
          }
          slot.textContent = "";
          slot.appendChild(document.importNode(fresh, true));
          slot.focus();
          slot.scrollIntoView({ block: "start" });
        })
        .catch(function () {
          button.removeAttribute("aria-busy");
          fallBack();
        });
    });
  }

  // The new-page form: the project's group only for a project (shown when no choice is made).
  function setUpProjectFields(form) {
    var group = form.querySelector("[data-project-fields]");
    var radios = form.querySelectorAll('input[type="radio"][name="kind"]');
    if (!group || !radios.length) {
      return;
    }
    function update() {
      var checked = form.querySelector('input[type="radio"][name="kind"]:checked');
      var wasHidden = group.hidden;
      group.hidden = checked !== null && checked.value !== "project";
      if (wasHidden && !group.hidden) {
        document.dispatchEvent(new CustomEvent("quartiers:shown", { detail: group }));
      }
    }
    Array.prototype.forEach.call(radios, function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  window.QuartiersEditor = { actions: actions, Editor: Editor };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-editor-toolbar]"), setUpToolbar);
    Array.prototype.forEach.call(document.querySelectorAll("[data-editor-form]"), function (form) {
      setUpPreview(form);
      setUpProjectFields(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
