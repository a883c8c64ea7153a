/*
 * The exhibition kiosk: shows one display item at a time, full screen, and moves to the next
 * every few seconds. Every few minutes it asks the kiosk feed (JSON) for the current items and,
 * once their photos are loaded, shows those instead. When the network or the feed fails, it
 * keeps rotating the last good set. Without this script the page lists every item.
 * A visitor can stop the rotation (WCAG 2.2.2) with the pause button, the space bar or "p".
 * A resting pointer or focus does not hold it: at a stand the pointer rests on the screen.
 */
(function () {
  "use strict";

  var main = document.getElementById("kiosk");
  if (!main) {
    return;
  }
  var list = main.querySelector(".kiosk__items");
  var rotateMs = Math.max(2, parseInt(main.dataset.rotateSeconds, 10) || 12) * 1000;
  var refreshMs = Math.max(5, parseInt(main.dataset.refreshSeconds, 10) || 180) * 1000;
  var feedUrl = main.dataset.feedUrl;
  var scanLabel = main.dataset.scanLabel || "";
  var current = 0;
  var paused = false;

  function items() {
    return Array.prototype.slice.call(list.querySelectorAll(".kiosk-item"));
  }

  function show(index) {
    var all = items();
    if (all.length === 0) {
      return;
    }
    current = index % all.length;
    all.forEach(function (item, position) {
      item.hidden = position !== current;
    });
  }

  function next() {
    if (!paused) {
      show(current + 1);
    }
  }

  function pauseButton() {
    var button = element("button", "kiosk__pause", main.dataset.pauseLabel);
    button.type = "button";
    button.setAttribute("aria-pressed", "false");
    function toggle() {
      paused = !paused;
      button.textContent = paused ? main.dataset.resumeLabel : main.dataset.pauseLabel;
      button.setAttribute("aria-pressed", paused ? "true" : "false");
    }
    button.addEventListener("click", toggle);
    document.addEventListener("keydown", function (event) {
      // On the button itself the space bar already clicks it.
      var space = event.key === " " && event.target !== button;
      if (space || event.key === "p" || event.key === "P") {
        event.preventDefault();
        toggle();
      }
    });
    main.querySelector(".kiosk__header").appendChild(button);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function sameOriginPath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/";
  }

  function svgDataUrl(url) {
    return typeof url === "string" && url.indexOf("data:image/svg+xml") === 0;
  }

  function itemNode(item) {
    var node = element("li", "kiosk-item");
    var frame = element("div", "kiosk-item__photo-frame");
    if (item.photo && sameOriginPath(item.photo.url)) {
      var photo = element("img", "kiosk-item__photo");
      photo.src = item.photo.url;
      photo.alt = item.photo.alt || item.name_en || "";
      frame.appendChild(photo);
    }
    node.appendChild(frame);
    var text = element("div", "kiosk-item__text");
    var name = element("h2", "kiosk-item__name", item.name_id);
    name.lang = "id";
    text.appendChild(name);
    var nameEn = element("p", "kiosk-item__name-en", item.name_en);
    nameEn.lang = "en";
    text.appendChild(nameEn);
    text.appendChild(element("p", "kiosk-item__village", item.village + ", " + item.province));
    if (item.note) {
      text.appendChild(element("p", "kiosk-item__note", item.note));
    }
    if (svgDataUrl(item.qr_code)) {
      var figure = element("figure", "kiosk-item__qr");
      var code = element("img");
      code.src = item.qr_code;
      code.alt = "QR";
      figure.appendChild(code);
      var caption = element("figcaption", "", scanLabel);
      caption.appendChild(document.createElement("br"));
      caption.appendChild(element("span", "kiosk-item__address", item.scan_url_display));
      figure.appendChild(caption);
      text.appendChild(figure);
    }
    node.appendChild(text);
    return node;
  }

  function preload(url) {
    return new Promise(function (resolve) {
      var image = new Image();
      var done = function () {
        resolve();
      };
      image.onload = done;
      image.onerror = done;
      setTimeout(done, 20000);
      image.src = url;
    });
  }

  function valid(data) {
    return (
      data &&
      Array.isArray(data.items) &&
      data.items.every(function (item) {
        return item && typeof item.name_id === "string" && typeof item.name_en === "string";
      })
    );
  }

  function replace(data) {
    var fragment = document.createDocumentFragment();
    data.items.forEach(function (item) {
      fragment.appendChild(itemNode(item));
    });
    if (data.items.length === 0) {
      return;
    }
    list.replaceChildren(fragment);
    show(0);
  }

  function refresh() {
    if (!feedUrl || !window.fetch) {
      return;
    }
    fetch(feedUrl, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("Feed answered " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (!valid(data)) {
          throw new Error("Feed answered an unexpected document");
        }
        var photos = data.items
          .filter(function (item) {
            return item.photo && sameOriginPath(item.photo.url);
          })
          .map(function (item) {
            return preload(item.photo.url);
          });
        return Promise.all(photos).then(function () {
          replace(data);
        });
      })
      .catch(function () {
        // Offline or a failing feed: keep showing the last good set.
      });
  }

  document.body.classList.add("kiosk--rotating");
  pauseButton();
  show(0);
  setInterval(next, rotateMs);
  setInterval(refresh, refreshMs);
})();
