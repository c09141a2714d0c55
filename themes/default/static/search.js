// Chorus search: looks a query up in the index under /search/ (written by `chorus build`),
// fetching only the shards of terms and the documents that the query needs. Runs in the
// browser alone: nothing is sent anywhere but this site, nothing is stored or logged.
// The wording comes from the page (data-* attributes of [data-search]), so a theme or a
// translation changes it without touching this file.
//
// Words are cut and folded exactly as src/search/text.rs does: a word is a run of letters,
// digits and combining marks, lowercased, NFKD without U+0300–U+036F, NFC again; runs of
// Han, Hiragana and Katakana become overlapping character pairs. The index holds Snowball
// stems with the word forms they came from: a query word matches the stem whose forms hold
// it, else the longest stem that begins it followed by an ending the stemmer removes (the
// manifest lists them; stems are prefixes of their words), and the word being typed also
// matches the forms it begins.
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  if (!root || !window.fetch) return;
  var form = root.querySelector("form");
  var input = root.querySelector("input[name=q]");
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var browse = root.querySelector("[data-search-browse]");
  var label = function (name) { return root.getAttribute("data-" + name) || ""; };
  var fill = function (text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  };
  Array.prototype.forEach.call(root.querySelectorAll("[data-search-nojs]"), function (el) { el.hidden = true; });

  var PAGE = 10;
  var MAX_SUFFIX = 4;
  var MAX_WORD = 64; // longer runs are not indexed (src/search/text.rs, MAX_WORD)
  var MAX_COMPLETIONS = 30;
  var manifest = null;
  var suffixes = new Set();
  var cache = new Map();
  // The index's folder: `/search/`, or `/de/search/` in a hub's other languages.
  var base = (root.getAttribute("data-index") || "/search/index.json").replace(/index\.json$/, "");

  function getJSON(path) {
    var url = path + (manifest ? "?v=" + manifest.version : "");
    if (!cache.has(url)) {
      cache.set(url, fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      }).catch(function (e) { cache.delete(url); throw e; }));
    }
    return cache.get(url);
  }

  function loadManifest() {
    if (manifest) return Promise.resolve(manifest);
    return fetch(root.getAttribute("data-index"), { cache: "no-cache", credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (m) { manifest = m; suffixes = new Set(m.suffixes || []); manifest.keys = new Map(m.shards.map(function (k, i) { return [k, i]; })); return m; });
  }

  // ---- words, as src/search/text.rs cuts them ------------------------------------------
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  var CJK = /[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{2fa1f}]/u;
  function fold(w) {
    w = w.toLowerCase();
    return /^[\x00-\x7f]*$/.test(w) ? w : w.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
  }
  // Query tokens: {text, cjk, last}; `last` is the word still being typed.
  function tokens(query) {
    var out = [];
    var text = query.normalize("NFC").toLowerCase();
    var words = text.match(WORD) || [];
    var typing = !/[^\p{L}\p{N}\p{M}]$/u.test(text);
    words.forEach(function (word, wi) {
      var chars = Array.from(word);
      var i = 0;
      while (i < chars.length) {
        var cjk = CJK.test(chars[i]);
        var j = i;
        while (j < chars.length && CJK.test(chars[j]) === cjk) j++;
        var run = chars.slice(i, j);
        if (cjk) {
          if (run.length === 1) out.push({ text: fold(run[0]), cjk: true });
          for (var k = 0; k + 1 < run.length; k++) out.push({ text: fold(run[k] + run[k + 1]), cjk: true });
        } else if (run.length > 1 && run.length <= MAX_WORD) {
          out.push({ text: fold(run.join("")), cjk: false, last: typing && wi === words.length - 1 && j === chars.length });
        }
        i = j;
      }
    });
    return out;
  }

  // ---- shards --------------------------------------------------------------------------
  function prefix(word, n) { return Array.from(word).slice(0, n).join(""); }
  function shardOf(word) {
    for (var n = Array.from(word).length; n > 0; n--) {
      var i = manifest.keys.get(prefix(word, n));
      if (i !== undefined) return i;
    }
    return -1;
  }
  // The shards a token needs: its own, those of the stems that may begin it, and, for the
  // word being typed, up to two shards of longer keys that it begins.
  function shardsFor(tok) {
    var wanted = new Set();
    var len = Array.from(tok.text).length;
    var shortest = tok.cjk ? len : Math.max(2, len - MAX_SUFFIX);
    for (var n = len; n >= shortest; n--) {
      var s = shardOf(prefix(tok.text, n));
      if (s >= 0) wanted.add(s);
    }
    if (tok.last) {
      var extra = 0;
      for (var k = 0; k < manifest.shards.length && extra < 2; k++) {
        var key = manifest.shards[k];
        if (key.length > tok.text.length && key.indexOf(tok.text) === 0) { wanted.add(k); extra++; }
      }
    }
    return Array.from(wanted);
  }
  function loadShard(i) {
    return getJSON(base + "t/" + i + ".json").then(function (entries) {
      return entries.map(function (e) { return { stem: e[0], forms: e[1], count: e[2], groups: e[3] }; });
    });
  }

  // Which terms a token matches, each with a factor: 1 for the word itself, 0.9 for a stem
  // that begins it, 0.6 for words that the typed letters begin.
  function match(tok, entries) {
    var exact = entries.filter(function (e) { return e.stem === tok.text || e.forms.indexOf(tok.text) >= 0; });
    var found = exact.map(function (e) { return { entry: e, factor: 1 }; });
    if (!exact.length && !tok.cjk) {
      var best = null;
      var len = Array.from(tok.text).length;
      entries.forEach(function (e) {
        var sl = Array.from(e.stem).length;
        if (sl >= Math.max(2, len - MAX_SUFFIX) && sl < len && tok.text.indexOf(e.stem) === 0 &&
          suffixes.has(tok.text.slice(e.stem.length)) && (!best || sl > Array.from(best.stem).length)) best = e;
      });
      if (best) found.push({ entry: best, factor: 0.9 });
    }
    if (tok.last) {
      var more = entries.filter(function (e) {
        if (exact.indexOf(e) >= 0) return false;
        if (e.stem.indexOf(tok.text) === 0 && e.stem !== tok.text) return true;
        return e.forms.some(function (f) { return f.indexOf(tok.text) === 0; });
      });
      more.sort(function (a, b) { return b.count - a.count || (a.stem < b.stem ? -1 : 1); });
      more.slice(0, MAX_COMPLETIONS).forEach(function (e) { found.push({ entry: e, factor: 0.6 }); });
    }
    return found;
  }

  // ---- scoring -------------------------------------------------------------------------
  // A term's postings come grouped by weight, the heaviest first; in each group the
  // document numbers are differences written as base64url varints: 5 bits of value per
  // digit, least significant first, a digit of 32 or more saying that another follows.
  var DIGIT = new Int8Array(128);
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach(function (c, i) { DIGIT[c.charCodeAt(0)] = i; });
  function postings(entry) {
    if (!entry.docs) {
      var docs = new Array(entry.count);
      var weights = new Array(entry.count);
      var n = 0;
      entry.groups.forEach(function (g) {
        var codes = g[1];
        var doc = 0, value = 0, shift = 0;
        for (var i = 0; i < codes.length; i++) {
          var c = DIGIT[codes.charCodeAt(i) & 127];
          value |= (c & 31) << shift;
          if (c < 32) { doc += value; docs[n] = doc; weights[n] = g[0]; n++; value = 0; shift = 0; } else shift += 5;
        }
      });
      entry.docs = docs;
      entry.weights = weights;
    }
    return entry.docs;
  }
  // Documents matching every token: Map doc -> score.
  function score(perToken) {
    var total = manifest.docs;
    var result = null;
    perToken.forEach(function (matches) {
      var scores = new Map();
      matches.forEach(function (m) {
        var docs = postings(m.entry);
        var idf = Math.log(1 + total / docs.length);
        for (var i = 0; i < docs.length; i++) {
          var w = m.entry.weights[i];
          var s = m.factor * idf * (w / (w + 3));
          var old = scores.get(docs[i]);
          if (old === undefined || s > old) scores.set(docs[i], s);
        }
      });
      if (result === null) { result = scores; return; }
      var next = new Map();
      result.forEach(function (s, doc) { var t = scores.get(doc); if (t !== undefined) next.set(doc, s + t); });
      result = next;
    });
    var ranked = Array.from(result || new Map());
    ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return ranked.map(function (r) { return r[0]; });
  }

  function loadDocs(ids) {
    var per = manifest.per_chunk;
    var chunks = Array.from(new Set(ids.map(function (id) { return Math.floor(id / per); })));
    return Promise.all(chunks.map(function (c) { return getJSON(base + "d/" + c + ".json"); })).then(function (loaded) {
      var byChunk = new Map();
      chunks.forEach(function (c, i) { byChunk.set(c, loaded[i]); });
      return ids.map(function (id) { return { id: id, doc: byChunk.get(Math.floor(id / per))[id % per] }; });
    });
  }

  // ---- marking the matched words ---------------------------------------------------------
  // Appends `text` to `el`, with the words that match in <mark>.
  function marked(el, text, hit) {
    var last = 0;
    var re = /[\p{L}\p{N}\p{M}]+/gu;
    var m;
    while ((m = re.exec(text))) {
      var ranges = hit(m[0]);
      ranges.forEach(function (r) {
        var start = m.index + r[0];
        if (start < last) return;
        el.appendChild(document.createTextNode(text.slice(last, start)));
        var mark = document.createElement("mark");
        mark.textContent = text.slice(start, m.index + r[1]);
        el.appendChild(mark);
        last = m.index + r[1];
      });
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }
  // A function telling which parts of a word of the text match: [[start, end], …].
  function matcher(toks, matches) {
    var forms = new Set();
    var starts = [];
    var cjk = [];
    toks.forEach(function (t, i) {
      if (t.cjk) { cjk.push(t.text); return; }
      forms.add(t.text);
      matches[i].forEach(function (m) {
        forms.add(m.entry.stem);
        m.entry.forms.forEach(function (f) { forms.add(f); });
        if (m.factor < 1) starts.push(m.entry.stem);
      });
      if (t.last) starts.push(t.text);
    });
    return function (word) {
      var f = fold(word);
      if (forms.has(f) || starts.some(function (s) { return f.indexOf(s) === 0; })) return [[0, word.length]];
      var out = [];
      if (cjk.length && CJK.test(word)) {
        cjk.forEach(function (pair) {
          var at = word.indexOf(pair);
          while (at >= 0) { out.push([at, at + pair.length]); at = word.indexOf(pair, at + 1); }
        });
        out.sort(function (a, b) { return a[0] - b[0]; });
        var merged = [];
        out.forEach(function (r) {
          var top = merged[merged.length - 1];
          if (top && r[0] <= top[1]) top[1] = Math.max(top[1], r[1]); else merged.push(r.slice());
        });
        return merged;
      }
      return out;
    };
  }
  // The part of `text` around the first matching word, about 30 words long.
  function excerpt(text, hit) {
    var re = /[\p{L}\p{N}\p{M}]+/gu;
    var m;
    var starts = [];
    var first = -1;
    while ((m = re.exec(text))) {
      starts.push(m.index);
      if (first < 0 && hit(m[0]).length) first = starts.length - 1;
    }
    var from = first < 0 ? 0 : Math.max(0, first - 8);
    var to = Math.min(starts.length, from + 32);
    var begin = from === 0 ? 0 : starts[from];
    var end = to >= starts.length ? text.length : starts[to];
    return (begin > 0 ? "…" : "") + text.slice(begin, end).trim() + (end < text.length && !/…$/.test(text.slice(begin, end).trim()) ? " …" : "");
  }

  // ---- the page --------------------------------------------------------------------------
  var current = 0;
  var shown = [];
  var ranked = [];
  var hitOf = null;

  function setStatus(text) { status.textContent = text; }

  function render(docs, append) {
    if (!append) list.textContent = "";
    docs.forEach(function (found) {
      var d = found.doc;
      var li = document.createElement("li");
      li.className = "search-result card";
      var kind = document.createElement("p");
      kind.className = "card-kicker";
      kind.textContent = label("kind-" + d.kind) || d.kind;
      var h = document.createElement("h2");
      h.className = "card-title";
      var a = document.createElement("a");
      a.href = d.url;
      marked(a, d.title, hitOf);
      h.appendChild(a);
      li.appendChild(kind);
      li.appendChild(h);
      var metaParts = [];
      if (d.authors && d.authors.length) metaParts.push(label("by") + " " + d.authors.join(", "));
      if (d.meta) metaParts.push(d.meta);
      if (d.date || metaParts.length) {
        var meta = document.createElement("p");
        meta.className = "card-meta";
        if (d.date) {
          var time = document.createElement("time");
          time.dateTime = d.date;
          time.textContent = d.date_display;
          meta.appendChild(time);
          if (metaParts.length) meta.appendChild(document.createTextNode(" · "));
        }
        meta.appendChild(document.createTextNode(metaParts.join(" · ")));
        li.appendChild(meta);
      }
      if (d.text) {
        var p = document.createElement("p");
        p.className = "search-excerpt";
        marked(p, excerpt(d.text, hitOf), hitOf);
        li.appendChild(p);
        // The match lies further in the text (not in the title): fetch the rest of it, for
        // this result alone.
        if (d.more && !p.querySelector("mark") && !a.querySelector("mark")) {
          var hit = hitOf;
          // The texts of a chunk of documents, as in d/; null for one the record holds whole.
          getJSON(base + "x/" + Math.floor(found.id / manifest.per_chunk) + ".json").then(function (texts) {
            var full = texts[found.id % manifest.per_chunk];
            if (hit !== hitOf || !full) return;
            p.textContent = "";
            marked(p, excerpt(full, hit), hit);
          }).catch(function () {});
        }
      }
      list.appendChild(li);
    });
    var old = root.querySelector(".search-more");
    if (old) old.remove();
    if (shown.length < ranked.length) {
      var more = document.createElement("button");
      more.type = "button";
      more.className = "search-more";
      more.textContent = label("more");
      more.addEventListener("click", function () {
        var next = ranked.slice(shown.length, shown.length + PAGE);
        var focusAt = shown.length;
        loadDocs(next).then(function (docs) {
          shown = shown.concat(next);
          render(docs, true);
          var link = list.querySelectorAll(".card-title a")[focusAt];
          if (link) link.focus();
        });
      });
      list.insertAdjacentElement("afterend", more);
    }
  }

  function run(query) {
    var id = ++current;
    var toks = tokens(query);
    var q = query.trim();
    var url = new URL(window.location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    if (!toks.length) {
      list.textContent = "";
      var old = root.querySelector(".search-more");
      if (old) old.remove();
      browse.hidden = false;
      setStatus(q ? fill(label("none"), { q: q }) : "");
      return;
    }
    loadManifest().then(function () {
      var needed = toks.map(shardsFor);
      var all = Array.from(new Set([].concat.apply([], needed)));
      return Promise.all(all.map(loadShard)).then(function (loaded) {
        var byShard = new Map();
        all.forEach(function (s, i) { byShard.set(s, loaded[i]); });
        var matches = toks.map(function (t, i) {
          var entries = [].concat.apply([], needed[i].map(function (s) { return byShard.get(s); }));
          return match(t, entries);
        });
        if (id !== current) return;
        hitOf = matcher(toks, matches);
        ranked = score(matches);
        shown = ranked.slice(0, PAGE);
        var capped = toks.filter(function (t, i) {
          return matches[i].some(function (m) { return m.factor === 1 && m.entry.count >= manifest.cap; });
        });
        return loadDocs(shown).then(function (docs) {
          if (id !== current) return;
          browse.hidden = ranked.length > 0;
          render(docs, false);
          var n = ranked.length;
          var text = n === 0 ? fill(label("none"), { q: q })
            : n === 1 ? fill(label("one"), { q: q })
            : n > shown.length ? fill(label("top"), { n: n, q: q, shown: shown.length })
            : fill(label("many"), { n: n, q: q });
          if (capped.length) text += " " + fill(label("common"), { w: capped[0].text });
          setStatus(text);
        });
      });
    }).catch(function () {
      if (id !== current) return;
      browse.hidden = false;
      setStatus(label("failed"));
    });
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 120);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  // Keyboard: ↓ from the box to the first result, ↑/↓ between results, Escape back.
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      var first = list.querySelector(".card-title a");
      if (first) { e.preventDefault(); first.focus(); }
    } else if (e.key === "Escape" && input.value) {
      e.preventDefault();
      input.value = "";
      run("");
    }
  });
  list.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(list.querySelectorAll(".card-title a"));
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    if (e.key === "ArrowDown" && at + 1 < links.length) { e.preventDefault(); links[at + 1].focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
    else if (e.key === "Escape") { e.preventDefault(); input.focus(); }
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; run(initial); }
})();
