/* Living Lab — search page enhancements. Progressive: the page works fully without this file.
   1. Autocomplete for the keyword box: an ARIA 1.2 combobox whose listbox offers case-study titles (choosing one
      opens it) and indicators (choosing one filters by it), from /api/v1/search/autocomplete/.
   2. A filter checkbox applies at once (the "Terapkan" button stays for the other fields and for no-JS use);
      after the reload the focus returns to that checkbox.
   3. On narrow screens the filters start folded in their <details>. */
(function () {
  "use strict";

  const form = document.getElementById("search-form");
  if (!form) return;
  document.documentElement.classList.add("js");

  const FOCUS_KEY = "livinglab-search-focus";
  const FOCUS_TTL_MS = 15000;

  function submitForm() {
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
  }

  // Leave empty fields out of the URL (/cari/?q=x rather than /cari/?q=x&year_from=&year_to=).
  const OPTIONAL = ["year_from", "year_to"];
  form.addEventListener("submit", function () {
    OPTIONAL.forEach(function (name) {
      const field = form.elements.namedItem(name);
      if (field && !field.value) field.disabled = true;
    });
  });
  window.addEventListener("pageshow", function () {
    OPTIONAL.forEach(function (name) {
      const field = form.elements.namedItem(name);
      if (field) field.disabled = false;
    });
  });

  // ------------------------------------------------------------------ filters

  form.addEventListener("change", function (event) {
    const target = event.target;
    if (target.type !== "checkbox" || !target.closest(".search-filters")) return;
    try {
      sessionStorage.setItem(FOCUS_KEY, JSON.stringify({ name: target.name, value: target.value, at: Date.now() }));
    } catch (error) {
      /* storage disabled: the focus simply is not restored */
    }
    submitForm();
  });

  function restoreFocus() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(FOCUS_KEY) || "null");
      sessionStorage.removeItem(FOCUS_KEY);
    } catch (error) {
      return false;
    }
    if (!saved || Date.now() - saved.at > FOCUS_TTL_MS) return false;
    const boxes = form.querySelectorAll(".search-filters input[type=checkbox]");
    for (let i = 0; i < boxes.length; i += 1) {
      if (boxes[i].name === saved.name && boxes[i].value === saved.value) {
        for (let parent = boxes[i].closest("details"); parent; parent = parent.parentElement.closest("details")) {
          parent.open = true;
        }
        boxes[i].focus();
        return true;
      }
    }
    return false;
  }

  const filters = form.querySelector("[data-filters]");
  const wide = window.matchMedia("(min-width: 56em)");
  const restored = restoreFocus();
  if (filters) {
    // Folded on narrow screens, unless the user just used a filter or must correct one (error summary links).
    if (!wide.matches && !restored && !document.querySelector(".error-summary")) filters.open = false;
    const follow = function (event) {
      filters.open = event.matches;
    };
    if (wide.addEventListener) wide.addEventListener("change", follow);
    else if (wide.addListener) wide.addListener(follow);
  }

  // ------------------------------------------------------------------ autocomplete

  const combo = form.querySelector(".combo[data-autocomplete-url]");
  const input = document.getElementById("search-q");
  const listbox = document.getElementById("search-suggestions");
  if (!combo || !input || !listbox || !window.fetch) return;

  const endpoint = combo.getAttribute("data-autocomplete-url");
  const pathPrefix = combo.getAttribute("data-path-prefix") || ""; // "/en" on English pages
  const status = combo.querySelector("[data-suggestion-status]");
  const text = {
    indicator: combo.getAttribute("data-text-indicator") || "Indikator",
    countOne: combo.getAttribute("data-text-count-one") || "",
    countMany: combo.getAttribute("data-text-count-many") || "",
    none: combo.getAttribute("data-text-none") || "",
  };
  const DEBOUNCE_MS = 200;
  const MIN_CHARS = 2;
  const cache = new Map();
  let options = []; // [{kind: "title"|"indicator", url, number, element}]
  let active = -1;
  let timer = null;
  let controller = null;
  let shownFor = null; // the query the listbox currently shows

  function announce(message) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  function isOpen() {
    return !listbox.hidden;
  }

  function open() {
    if (!options.length) return;
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  }

  function setActive(index) {
    if (active >= 0 && options[active]) options[active].element.setAttribute("aria-selected", "false");
    active = index;
    if (index < 0 || !options[index]) {
      active = -1;
      input.removeAttribute("aria-activedescendant");
      return;
    }
    const element = options[index].element;
    element.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", element.id);
    element.scrollIntoView({ block: "nearest" });
  }

  function addOption(option, label, kindLabel) {
    const element = document.createElement("li");
    element.id = "search-suggestion-" + options.length;
    element.setAttribute("role", "option");
    element.setAttribute("aria-selected", "false");
    element.className = "suggestion-" + option.kind;
    element.dataset.index = String(options.length);
    if (kindLabel) {
      const kind = document.createElement("span");
      kind.className = "suggestion-kind";
      kind.textContent = kindLabel + " ";
      element.appendChild(kind);
    }
    element.appendChild(document.createTextNode(label));
    option.element = element;
    options.push(option);
    listbox.appendChild(element);
  }

  function render(query, data) {
    listbox.textContent = "";
    options = [];
    active = -1;
    input.removeAttribute("aria-activedescendant");
    (data.titles || []).forEach(function (item) {
      addOption({ kind: "title", url: item.url }, item.title, "");
    });
    (data.indicators || []).forEach(function (item) {
      addOption({ kind: "indicator", number: item.number }, item.name, text.indicator + " " + item.number + ":");
    });
    shownFor = query;
    if (!options.length) {
      close();
      announce(text.none);
      return;
    }
    open();
    announce(options.length === 1 ? text.countOne : text.countMany.replace("{count}", String(options.length)));
  }

  function suggest() {
    const query = input.value.trim();
    if (query.length < MIN_CHARS) {
      shownFor = null;
      options = [];
      listbox.textContent = "";
      close();
      return;
    }
    if (query === shownFor) {
      open();
      return;
    }
    if (cache.has(query)) {
      render(query, cache.get(query));
      return;
    }
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    const lang = document.documentElement.lang || "id";
    fetch(endpoint + "?q=" + encodeURIComponent(query) + "&lang=" + encodeURIComponent(lang), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) return;
        cache.set(query, data);
        if (input.value.trim() === query && document.activeElement === input) render(query, data);
      })
      .catch(function () {
        /* offline or aborted: no suggestions, the form still works */
      });
  }

  function choose(index) {
    const option = options[index];
    if (!option) return;
    close();
    if (option.kind === "title") {
      const url = option.url;
      window.location.href = pathPrefix && url.charAt(0) === "/" && url.indexOf(pathPrefix + "/") !== 0 ? pathPrefix + url : url;
      return;
    }
    // An indicator replaces the word being typed with the indicator filter.
    const words = input.value.trim().split(/\s+/);
    const typed = words.pop() || "";
    if (/^\d+$/.test(typed) && words.length && /^(indikator|indicator|ind)$/i.test(words[words.length - 1])) words.pop();
    input.value = words.join(" ");
    const value = String(option.number);
    const boxes = form.querySelectorAll("input[type=checkbox][name=indicator]");
    let found = false;
    for (let i = 0; i < boxes.length; i += 1) {
      if (boxes[i].value === value) {
        boxes[i].checked = true;
        found = true;
      }
    }
    if (!found) {
      const hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "indicator";
      hidden.value = value;
      form.appendChild(hidden);
    }
    submitForm();
  }

  input.addEventListener("input", function () {
    setActive(-1);
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, DEBOUNCE_MS);
  });

  input.addEventListener("keydown", function (event) {
    const count = options.length;
    switch (event.key) {
      case "ArrowDown":
      case "Down":
        event.preventDefault();
        if (!isOpen()) {
          if (count && shownFor === input.value.trim()) {
            open();
            setActive(0);
          } else {
            window.clearTimeout(timer);
            suggest();
          }
        } else {
          setActive(active + 1 < count ? active + 1 : 0);
        }
        break;
      case "ArrowUp":
      case "Up":
        if (isOpen()) {
          event.preventDefault();
          setActive(active > 0 ? active - 1 : count - 1);
        }
        break;
      case "Enter":
        if (isOpen() && active >= 0) {
          event.preventDefault();
          choose(active);
        } else {
          close();
        }
        break;
      case "Escape":
      case "Esc":
        if (isOpen()) {
          event.preventDefault();
          close();
        }
        break;
      case "Tab":
        close();
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", close);
  // Keep the focus in the box while an option is clicked.
  listbox.addEventListener("mousedown", function (event) {
    event.preventDefault();
  });
  listbox.addEventListener("click", function (event) {
    const element = event.target.closest("[role=option]");
    if (element) choose(Number(element.dataset.index));
  });
  window.addEventListener("pageshow", close);
})();
