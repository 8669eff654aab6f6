/*
 * Pickers: suggestions under a text input that names a record (a region, an organisation).
 *
 * Enhances <input data-picker="URL">: as the reader types, it asks URL?q=TEXT for up to 20
 * records ({"results": [{"key", "label", "text"}]}) and lists them under the input as an ARIA
 * combobox (arrow keys, Enter, Escape, or a click). Choosing one fills the input with its
 * "text" ("Kabupaten Serang (36.04)"), which the server's filter accepts; without this script
 * the same input takes a code, a slug or a name. No inline script or style: the list is shown
 * and hidden with the hidden attribute, styled by catalogue.css.
 */
(function () {
  "use strict";

  var DELAY = 200;

  function enhance(input) {
    var url = input.getAttribute("data-picker");
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var id = (input.id || "picker") + "-suggestions";
    var options = [];
    var active = -1;
    var timer = null;
    var request = 0;

    list.id = id;
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.parentNode.classList.add("picker");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      input.value = options[index].getAttribute("data-text");
      close();
      input.focus();
    }

    function show(results) {
      list.textContent = "";
      options = results.map(function (result, i) {
        var option = document.createElement("li");
        option.id = id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-text", result.text);
        option.textContent = result.label;
        var key = document.createElement("span");
        key.className = "picker-key";
        key.textContent = result.key;
        option.appendChild(key);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          choose(i);
        });
        list.appendChild(option);
        return option;
      });
      active = -1;
      list.hidden = options.length === 0;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
      status.textContent = options.length
        ? input.getAttribute("data-picker-found").replace("%s", options.length)
        : input.getAttribute("data-picker-none");
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      var mine = ++request;
      if (text.length < 2) {
        close();
        return;
      }
      fetch(url + "?q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (mine === request) show(data.results || []);
        })
        .catch(function () {
          close(); // the plain input still works
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault(); // choose, do not submit yet
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-picker]").forEach(enhance);
})();
