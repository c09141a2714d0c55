// Progressive enhancement for the share kit: copy buttons, the browser's native share, and
// network links that send the message as the person edited it, with live per-network counts.
// Everything works without this script; it only adds conveniences. No tracking.

// How each network counts a post's length. This mirrors src/share/count.rs and
// src/share/urls.rs rule for rule; a browser test compares both on the conformance cases.
var chorusCount = (function () {
  "use strict";

  var MAX_URL_LENGTH = 4096;
  var MAX_LABEL_LENGTH = 63;
  var URL_WEIGHT = 23;
  var segmenter; // made on first use: most pages never count
  var WHITE_SPACE = /\p{White_Space}/u;
  var CONTROL = /\p{Cc}/u;
  var ALPHABETIC = /\p{Alphabetic}/u;
  var PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

  function graphemes(text) {
    if (segmenter === undefined) {
      segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
    }
    if (!segmenter) { return Array.from(text); }
    var out = [];
    for (var it = segmenter.segment(text)[Symbol.iterator](), s = it.next(); !s.done; s = it.next()) {
      out.push(s.value.segment);
    }
    return out;
  }

  function cp(c) { return c.codePointAt(0); }
  function isAsciiAlnum(c) { return /^[A-Za-z0-9]$/.test(c); }
  function isAsciiAlpha(c) { return /^[A-Za-z]$/.test(c); }
  // The code point starting at `i`, and the one ending at `i`.
  function charAt(s, i) { return i < s.length ? String.fromCodePoint(s.codePointAt(i)) : ""; }
  function charBefore(s, i) {
    if (i <= 0) { return ""; }
    var lo = s.charCodeAt(i - 1);
    if (lo >= 0xdc00 && lo <= 0xdfff && i >= 2) {
      var hi = s.charCodeAt(i - 2);
      if (hi >= 0xd800 && hi <= 0xdbff) { return s.slice(i - 2, i); }
    }
    return s.slice(i - 1, i);
  }
  function startsWithIgnoreCase(s, prefix) { return s.slice(0, prefix.length).toLowerCase() === prefix; }

  function isUrlPrecedingChar(c) {
    return !(isAsciiAlnum(c) || "@＠$#＃\uFFFE\uFEFF\uFFFF".indexOf(c) >= 0);
  }

  function isDomainChar(c) {
    var n = cp(c);
    var punct = "!'#%&()*+,\\-./:;<=>?@[]^_{|}~$".indexOf(c) >= 0;
    var special = "\u180E\uFFFE\uFEFF\uFFFF\u061C\u200E\u200F".indexOf(c) >= 0 ||
      (n >= 0x202a && n <= 0x202e) || (n >= 0x2066 && n <= 0x2069);
    return !(punct || special || WHITE_SPACE.test(c) || CONTROL.test(c));
  }

  function labelLen(s) {
    var end = 0;
    for (var i = 0; i < s.length;) {
      var c = charAt(s, i);
      if (isDomainChar(c)) {
        end = i + c.length;
      } else if (!(end > 0 && (c === "-" || c === "_"))) {
        break;
      }
      i += c.length;
    }
    return end;
  }

  function tldLen(label) {
    var len = 0;
    if (startsWithIgnoreCase(label, "xn--")) {
      while (len < label.length && /[A-Za-z0-9-]/.test(label[len])) { len++; }
      return len > 4 ? len : null;
    }
    if (isAsciiAlpha(label.charAt(0))) {
      while (len < label.length && isAsciiAlpha(label[len])) { len++; }
    } else {
      len = label.length;
      for (var i = 0; i < label.length;) {
        var c = charAt(label, i);
        if (cp(c) < 0x80 || !ALPHABETIC.test(c)) { len = i; break; }
        i += c.length;
      }
    }
    return Array.from(label.slice(0, len)).length >= 2 ? len : null;
  }

  function hostLen(s) {
    var labels = [];
    var pos = 0;
    for (;;) {
      var len = labelLen(s.slice(pos));
      if (len === 0) { break; }
      labels.push([pos, pos + len]);
      pos += len;
      if (s.charAt(pos) === "." && pos + 1 < s.length && isDomainChar(charAt(s, pos + 1))) {
        pos += 1;
      } else {
        break;
      }
    }
    for (var k = labels.length - 1; k >= 1; k--) {
      var tld = tldLen(s.slice(labels[k][0], labels[k][1]));
      if (tld === null) { continue; }
      var end = labels[k][0] + tld;
      var next = charAt(s, end);
      if (!(next && (isAsciiAlnum(next) || next === "@" || next === "+" || next === "-"))) { return end; }
    }
    return null;
  }

  function isLatinAccent(c) {
    var n = cp(c);
    var ranges = [[0xc0, 0xd6], [0xd8, 0xf6], [0xf8, 0x24f], [0x300, 0x36f], [0x1e00, 0x1eff], [0x253, 0x254], [0x256, 0x257]];
    for (var i = 0; i < ranges.length; i++) {
      if (n >= ranges[i][0] && n <= ranges[i][1]) { return true; }
    }
    return "\u0259\u025B\u0263\u0268\u026F\u0272\u0289\u028B\u02BB".indexOf(c) >= 0;
  }
  function isPathLetter(c) { var n = cp(c); return isAsciiAlnum(c) || isLatinAccent(c) || (n >= 0x400 && n <= 0x4ff); }
  function isPathChar(c) { return isPathLetter(c) || "!*';:=+,.$/%#[]-_~@|&\u2013".indexOf(c) >= 0; }
  function isPathEnd(c) { return isPathLetter(c) || "+-=_#/".indexOf(c) >= 0; }

  function pathRun(s) {
    var i = 0;
    while (i < s.length) {
      var c = charAt(s, i);
      if (!isPathChar(c)) { break; }
      i += c.length;
    }
    return i;
  }

  function balancedParensLen(s) {
    if (s.charAt(0) !== "(") { return null; }
    var inner = s.slice(1);
    var a = pathRun(inner);
    var after = inner.slice(a);
    if (after.charAt(0) === ")") { return a > 0 ? a + 2 : null; }
    if (after.charAt(0) !== "(") { return null; }
    var nested = after.slice(1);
    var b = pathRun(nested);
    if (nested.charAt(b) !== ")" || b === 0) { return null; }
    var afterNested = nested.slice(b + 1);
    var c = pathRun(afterNested);
    return afterNested.charAt(c) === ")" ? 1 + a + 1 + b + 1 + c + 1 : null;
  }

  function pathLen(s) {
    var end = 1;
    var i = 1;
    while (i < s.length) {
      var c = charAt(s, i);
      if (c === "(") {
        var len = balancedParensLen(s.slice(i));
        if (len === null) { break; }
        i += len;
        end = i;
      } else if (isPathChar(c)) {
        i += c.length;
        if (isPathEnd(c)) { end = i; }
      } else {
        break;
      }
    }
    return end;
  }

  function queryLen(s) {
    var end = 0;
    for (var i = 1; i < s.length;) {
      var c = charAt(s, i);
      if (!(isAsciiAlnum(c) || "!?*'@();:&=+$/%#[]-_.,~|".indexOf(c) >= 0)) { break; }
      i += c.length;
      if (isAsciiAlnum(c) || "-_&=#/".indexOf(c) >= 0) { end = i; }
    }
    return end;
  }

  // RFC 3492 Punycode length of `label` (without `xn--`), null on overflow.
  function punycodeLen(label) {
    var BASE = 36, T_MIN = 1, T_MAX = 26, SKEW = 38, DAMP = 700, U32 = 0xffffffff;
    function adapt(delta, points, first) {
      delta = first ? Math.floor(delta / DAMP) : Math.floor(delta / 2);
      delta += Math.floor(delta / points);
      var k = 0;
      while (delta > ((BASE - T_MIN) * T_MAX) / 2) {
        delta = Math.floor(delta / (BASE - T_MIN));
        k += BASE;
      }
      return k + Math.floor(((BASE - T_MIN + 1) * delta) / (delta + SKEW));
    }
    var input = Array.from(label).map(cp);
    var basic = input.filter(function (c) { return c < 0x80; }).length;
    var total = input.length;
    var out = basic + (basic > 0 ? 1 : 0);
    var n = 0x80, delta = 0, bias = 72, handled = basic;
    while (handled < total) {
      var m = Infinity;
      input.forEach(function (c) { if (c >= n && c < m) { m = c; } });
      delta += (m - n) * (handled + 1);
      if (delta > U32) { return null; }
      n = m;
      for (var j = 0; j < input.length; j++) {
        var c = input[j];
        if (c < n) {
          delta += 1;
          if (delta > U32) { return null; }
        } else if (c === n) {
          var q = delta;
          for (var k = BASE; ; k += BASE) {
            var t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
            if (q < t) { break; }
            out += 1;
            q = Math.floor((q - t) / (BASE - t));
          }
          out += 1;
          bias = adapt(delta, handled + 1, handled === basic);
          delta = 0;
          handled += 1;
        }
      }
      delta += 1;
      n += 1;
      if (delta > U32 || n > U32) { return null; }
    }
    return out;
  }

  function hostIsValid(host, urlChars) {
    var growth = 0;
    var labels = host.split(".");
    for (var i = 0; i < labels.length; i++) {
      var label = labels[i];
      if (/^[\x00-\x7f]*$/.test(label)) {
        if (label.length === 0 || label.length > MAX_LABEL_LENGTH) { return false; }
        continue;
      }
      var chars = Array.from(label).length;
      if (startsWithIgnoreCase(label, "xn--") || chars > MAX_LABEL_LENGTH) { return false; }
      var len = punycodeLen(label);
      if (len === null || len + 4 > MAX_LABEL_LENGTH) { return false; }
      growth += len + 4 - chars;
    }
    return urlChars + growth <= MAX_URL_LENGTH;
  }

  function urlAt(text, start) {
    var before = charBefore(text, start);
    if (before && !isUrlPrecedingChar(before)) { return null; }
    var rest = text.slice(start);
    var scheme = startsWithIgnoreCase(rest, "https://") ? 8 : startsWithIgnoreCase(rest, "http://") ? 7 : 0;
    if (!scheme) { return null; }
    var hostStart = start + scheme;
    var host = hostLen(text.slice(hostStart));
    if (host === null) { return null; }
    var end = hostStart + host;
    var hostText = text.slice(hostStart, end);
    if (text.charAt(end) === ":") {
      var digits = 0;
      while (/[0-9]/.test(text.charAt(end + 1 + digits))) { digits++; }
      if (digits > 0) { end += 1 + digits; }
    }
    if (text.charAt(end) === "/") { end += pathLen(text.slice(end)); }
    if (text.charAt(end) === "?") { end += queryLen(text.slice(end)); }
    return { end: end, valid: hostIsValid(hostText, Array.from(text.slice(start, end)).length) };
  }

  // [start, end) of every http(s) URL, as twitter-text finds them (see src/share/urls.rs).
  function findUrls(text) {
    var urls = [];
    var i = 0;
    while (i < text.length) {
      var ch = text.charAt(i);
      if (ch !== "h" && ch !== "H") { i++; continue; }
      var url = urlAt(text, i);
      if (url) {
        if (url.valid) { urls.push([i, url.end]); }
        i = url.end;
      } else {
        i++;
      }
    }
    return urls;
  }

  function charWeight(c) {
    var n = cp(c);
    return (n <= 4351 || (n >= 8192 && n <= 8205) || (n >= 8208 && n <= 8223) || (n >= 8242 && n <= 8247)) ? 1 : 2;
  }
  function isPictographic(c) { return cp(c) >= 0x80 && PICTOGRAPHIC.test(c); }
  function isRegionalIndicator(c) { var n = cp(c); return n >= 0x1f1e6 && n <= 0x1f1ff; }
  function isEmojiModifier(c) { var n = cp(c); return n >= 0x1f3fb && n <= 0x1f3ff; }
  function isTag(c) { var n = cp(c); return n >= 0xe0020 && n <= 0xe007f; }

  // The code points after a multi-code-point emoji sequence at the start of `chars`, or null.
  function emojiSequenceRest(chars) {
    var first = chars[0];
    var rest = chars.slice(1);
    if (isRegionalIndicator(first)) {
      return rest.length && isRegionalIndicator(rest[0]) ? rest.slice(1) : null;
    }
    if (/^[#*0-9]$/.test(first)) {
      var r = rest[0] === "\uFE0F" ? rest.slice(1) : rest;
      return r[0] === "\u20E3" ? r.slice(1) : null;
    }
    if (!rest.length || !isPictographic(first)) { return null; }
    var i = 0;
    for (;;) {
      var c = rest[i];
      if (c !== undefined && (c === "\uFE0F" || isEmojiModifier(c) || isTag(c))) {
        i += 1;
      } else if (c === "\u200D" && rest[i + 1] !== undefined && isPictographic(rest[i + 1])) {
        i += 2;
      } else {
        break;
      }
    }
    return i > 0 ? rest.slice(i) : null;
  }

  function sum(chars) { return chars.reduce(function (t, c) { return t + charWeight(c); }, 0); }

  function segmentWeight(text) {
    return graphemes(text).reduce(function (total, g) {
      var chars = Array.from(g);
      var rest = chars.length ? emojiSequenceRest(chars) : null;
      return total + (rest ? 2 + sum(rest) : sum(chars));
    }, 0);
  }

  // twitter-text v3 weighted length (see src/share/count.rs).
  function weightedLengthX(text) {
    text = text.normalize("NFC");
    var total = 0;
    var pos = 0;
    findUrls(text).forEach(function (u) {
      total += segmentWeight(text.slice(pos, u[0])) + URL_WEIGHT;
      pos = u[1];
    });
    return total + segmentWeight(text.slice(pos));
  }

  function mastodonLength(text) {
    var countable = "";
    var pos = 0;
    findUrls(text).forEach(function (u) {
      countable += text.slice(pos, u[0]) + "xxxxxxxxxxxxxxxxxxxxxxx";
      pos = u[1];
    });
    return graphemes(countable + text.slice(pos)).length;
  }

  function count(network, text) {
    switch (network) {
      case "x": return weightedLengthX(text);
      case "bluesky": return graphemes(text).length;
      case "mastodon": return mastodonLength(text);
      default: return Array.from(text).length;
    }
  }

  return { count: count, findUrls: findUrls };
})();

(function () {
  "use strict";
  if (typeof document === "undefined") { return; }

  function setStatus(status, text) {
    if (status) {
      status.textContent = text;
      window.clearTimeout(status.chorusTimer);
      status.chorusTimer = window.setTimeout(function () { status.textContent = ""; }, 6000);
    }
  }

  function copyText(text, field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    if (field) {
      field.focus();
      field.select();
    }
    var ok = field && document.execCommand && document.execCommand("copy");
    return ok ? Promise.resolve() : Promise.reject(new Error("copy unavailable"));
  }

  // The theme's texts in the page's language, when the page carries them (`data-t-*` on
  // <body>, in hubs with languages), else the English ones given here.
  function t(key, fallback, values) {
    var text = (document.body && document.body.getAttribute("data-t-" + key.replace(/_/g, "-"))) || fallback;
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    return text;
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = button.parentNode.querySelector(".copy-status");
      copyText(field.value, field).then(
        function () { setStatus(status, t("share_copied", "Copied. Paste it where you like, and make it yours.")); },
        function () { field.select(); setStatus(status, t("share_copy_by_hand", "Select the text and copy it with your keyboard.")); }
      );
    });
  });

  document.querySelectorAll("button.native-share").forEach(function (button) {
    if (!navigator.share) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var kit = button.closest("[data-share-kit]");
      var picked = kit && kit.querySelector("input[name=share-pick]:checked");
      var field = document.getElementById(picked ? picked.value : button.getAttribute("data-message"));
      navigator.share({
        title: button.getAttribute("data-title") || document.title,
        text: field ? field.value : "",
        url: button.getAttribute("data-url") || location.href
      }).catch(function () { /* the person closed the share sheet */ });
    });
  });

  // A cause's time, also in the reader's own time zone when theirs differs from the one the
  // time was written in: "Sat 16 January 2027, 19:30 (UTC) · 20:30 your time".
  document.querySelectorAll("time[data-local-time]").forEach(function (time) {
    var value = time.getAttribute("datetime");
    var written = /([+-])(\d\d):(\d\d)$/.exec(value);
    var at = new Date(value);
    if (isNaN(at.getTime())) { return; }
    var writtenOffset = written ? (written[1] === "-" ? -1 : 1) * (Number(written[2]) * 60 + Number(written[3])) : 0;
    if (-at.getTimezoneOffset() === writtenOffset) { return; }
    var local = document.createElement("span");
    local.className = "local-time";
    // In a hub with languages, the page's language; else the reader's own.
    var locale = document.body.hasAttribute("data-t-local-time") ? document.documentElement.lang : undefined;
    var when = at.toLocaleString(locale || undefined, { weekday: "short", day: "numeric", month: "long", hour: "numeric", minute: "2-digit" });
    local.textContent = " · " + t("local_time", "{time} your time", { time: when });
    time.parentNode.insertBefore(local, time.nextSibling);
  });

  // Everything but RFC 3986 unreserved characters is encoded, as the build does.
  function enc(s) {
    return encodeURIComponent(s).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function joinText(body, url, separator) {
    if (!body) { return url; }
    if (!url) { return body; }
    return body + separator + url;
  }

  document.querySelectorAll("[data-share-kit]").forEach(function (kit) {
    var items = Array.prototype.slice.call(kit.querySelectorAll(".share-network[data-network]"));
    var fields = Array.prototype.slice.call(kit.querySelectorAll("textarea.share-message"));
    var radios = Array.prototype.slice.call(kit.querySelectorAll("input[name=share-pick]"));
    if (!items.length || !fields.length) { return; }
    // Every form of the page's link a message may carry, longest first.
    var links = [kit.getAttribute("data-url")].concat(items.map(function (li) { return li.getAttribute("data-url"); }))
      .filter(function (u, i, all) { return u && all.indexOf(u) === i; })
      .sort(function (a, b) { return b.length - a.length; });
    // Until the person edits or picks a message, each network keeps what the build made.
    var touched = false;

    kit.querySelectorAll(".share-pick, .share-steps").forEach(function (e) { e.hidden = false; });
    kit.querySelectorAll(".share-no-text").forEach(function (e) { e.hidden = true; });

    function picked() {
      var radio = radios.filter(function (r) { return r.checked; })[0];
      return (radio && document.getElementById(radio.value)) || fields[0];
    }

    // The message split into its text and the page's link, which each network gets in its
    // own form (UTM-tagged per network).
    function parts(message, url, separator) {
      message = message.replace(/\r\n?/g, "\n");
      for (var i = 0; i < links.length; i++) {
        var at = message.indexOf(links[i]);
        if (at >= 0) {
          var without = (message.slice(0, at).replace(/[ \t]+$/, "") + message.slice(at + links[i].length)).trim();
          return { withLink: message.slice(0, at) + url + message.slice(at + links[i].length), without: without.replace(/\s+$/, "") };
        }
      }
      var text = message.trim();
      return { withLink: joinText(text, url, separator), without: text };
    }

    function describe(li, used, limit, label) {
      var over = used > limit;
      var text = t("share_count", "{used} of {limit} characters on {network}", { used: used, limit: limit, network: label });
      if (over) { text += t("share_count_over", ": {over} too many. Shorten the message before you post it.", { over: used - limit }); }
      var counter = li.querySelector(".share-count");
      if (counter) {
        counter.textContent = text;
        counter.classList.toggle("over", over);
      }
    }

    function update() {
      var field = picked();
      items.forEach(function (li) {
        var network = li.getAttribute("data-network");
        var label = li.getAttribute("data-label");
        var url = li.getAttribute("data-url");
        var link = li.querySelector("a.share-link");
        var limit = Number(li.getAttribute("data-limit")) || 0;
        var ownNote = li.querySelector(".share-own-note");
        if (ownNote) { ownNote.hidden = touched; }
        if (!touched && ownNote) { return; }
        if (li.hasAttribute("data-no-text")) {
          if (limit) { describe(li, chorusCount.count(network, field.value), limit, label); }
          return;
        }
        var p = parts(field.value, url, network === "email" ? "\n\n" : " ");
        var composed = p.withLink;
        var href = null;
        switch (network) {
          case "x":
            href = "https://x.com/intent/tweet?text=" + enc(p.without) + "&url=" + enc(url);
            composed = joinText(p.without, url, " ");
            break;
          case "threads":
            href = "https://www.threads.com/intent/post?text=" + enc(p.without) + "&url=" + enc(url);
            composed = joinText(p.without, url, " ");
            break;
          case "telegram":
            href = "https://t.me/share/url?url=" + enc(url) + "&text=" + enc(p.without);
            break;
          case "bluesky": href = "https://bsky.app/intent/compose?text=" + enc(composed); break;
          case "mastodon": href = "https://share.joinmastodon.org/?text=" + enc(composed); break;
          case "whatsapp": href = "https://wa.me/?text=" + enc(composed); break;
          case "email":
            href = link.href.replace(/&body=.*$/, "&body=" + enc(composed.replace(/\n/g, "\r\n")));
            break;
        }
        if (href && link) { link.href = href; }
        if (limit) { describe(li, chorusCount.count(network, composed), limit, label); }
      });
    }

    function autosize(field) {
      if (typeof CSS !== "undefined" && CSS.supports && CSS.supports("field-sizing", "content")) { return; }
      field.style.height = "auto";
      field.style.height = field.scrollHeight + 2 + "px";
    }

    fields.forEach(function (field) {
      autosize(field);
      field.addEventListener("input", function () {
        touched = true;
        var radio = radios.filter(function (r) { return r.value === field.id; })[0];
        if (radio) { radio.checked = true; }
        autosize(field);
        update();
      });
    });
    radios.forEach(function (radio) {
      radio.addEventListener("change", function () { touched = true; update(); });
    });

    // Networks that take no text: one click copies the message and opens the composer.
    items.filter(function (li) { return li.hasAttribute("data-no-text"); }).forEach(function (li) {
      var link = li.querySelector("a.share-link");
      var label = li.getAttribute("data-label");
      var own = kit.querySelector(".share-choice-own[data-own='" + li.getAttribute("data-network") + "'] textarea");
      var caption = link && link.querySelector(".share-link-label");
      if (caption) { caption.textContent = t("share_copy_open", "Copy message, open {network}", { network: label }); }
      if (!link) { return; }
      link.addEventListener("click", function () {
        var field = !touched && own ? own : picked();
        var status = li.querySelector(".share-status");
        copyText(field.value, null).then(
          function () { setStatus(status, t("share_copied_in", "Copied — paste it in {network}.", { network: label })); },
          function () { setStatus(status, t("share_copy_then_paste", "Copy the message above, then paste it in {network}.", { network: label })); }
        );
      });
    });
  });
})();
