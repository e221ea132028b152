/* The site's search (haku.html): reads the index that haku-indeksi.js assigns to
   window.TK_HAKUINDEKSI (built by lib/tilannekuva/site/search.py) and the query from
   ?q=, and lists the matching sections with a snippet and a link to the place.

   Lemmas were computed when the site was built; here a query word is only
   lower-cased and looked up among the inflected forms of the site's words
   (yhdistyksille → yhdistys). A word the index does not know falls back to
   prefix matching. No network, no fetch: works from the file system. */
(function () {
  "use strict";

  var WORD = /[a-zåäöéü]+(?:-[a-zåäöéü]+)*/giu;
  var MAX_SHOWN = 100;
  var MIN_HEAD = 4; // a compound's head of at least this length matches the compound
  var MIN_START = 6; // a lemma of at least this length matches compounds it begins
  var MAX_CLITIC = 4; // letters after a known form: -kin, -kaan, -han, -pa …

  var data = window.TK_HAKUINDEKSI;
  var form = document.getElementById("haku-lomake");
  var input = document.getElementById("haku-sana");
  var status = document.getElementById("haku-tila");
  var list = document.getElementById("haku-tulokset");
  if (!form || !input || !status || !list) return;
  if (!data) {
    status.textContent = "Hakuhakemisto puuttuu: sivusto on koottava uudelleen.";
    return;
  }

  function normalise(text) {
    return text.normalize("NFC").toLowerCase();
  }

  function words(text) {
    var out = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      out.push({ word: normalise(m[0]), start: m.index, end: m.index + m[0].length });
    }
    return out;
  }

  // Lemmas, and every known form (surface → lemma id), unpacked from the paradigms.
  var lemmas = data.lemmat;
  var lemmaIds = new Map();
  lemmas.forEach(function (lemma, id) { lemmaIds.set(lemma, id); });
  var forms = new Map();
  var paradigms = data.paradigmat.map(function (p) { return p.split("|"); });
  data.muodot.forEach(function (entry) {
    var prefix = lemmas[entry[0]].slice(0, entry[1]);
    paradigms[entry[2]].forEach(function (ending) { forms.set(prefix + ending, entry[0]); });
  });

  function lemmaOf(word) {
    if (forms.has(word)) return forms.get(word);
    if (lemmaIds.has(word)) return lemmaIds.get(word);
    return -1;
  }

  // The lemma ids a query word matches, each with a weight: 3 the same lemma,
  // 2 a compound of it, 1 only by prefix.
  function matcher(word) {
    var weights = new Map();
    var id = lemmaOf(word);
    if (id < 0) {
      // Unknown: a known form followed by a clitic (yhdistyksellekin), else a known form it begins.
      for (var cut = word.length - 1; cut >= Math.max(MIN_HEAD, word.length - MAX_CLITIC); cut--) {
        id = lemmaOf(word.slice(0, cut));
        if (id >= 0) break;
      }
    }
    if (id >= 0) {
      var base = lemmas[id];
      lemmas.forEach(function (lemma, other) {
        if (lemma === base) weights.set(other, 3);
        else if (base.length >= MIN_HEAD && lemma.endsWith(base)) weights.set(other, 2);
        else if (base.length >= MIN_START && lemma.startsWith(base)) weights.set(other, 2);
      });
      return weights;
    }
    if (word.length < 3) return weights;
    lemmas.forEach(function (lemma, other) {
      if (lemma.startsWith(word)) weights.set(other, 1);
    });
    forms.forEach(function (other, surface) {
      if (!weights.has(other) && surface.startsWith(word)) weights.set(other, 1);
    });
    return weights;
  }

  function weightOf(word, matchers) {
    var best = 0;
    var candidates = [word.word].concat(word.word.indexOf("-") >= 0 ? word.word.split("-") : []);
    candidates.forEach(function (w) {
      var id = lemmaOf(w);
      if (id < 0) return;
      matchers.forEach(function (m) { best = Math.max(best, m.get(id) || 0); });
    });
    return best;
  }

  function search(query) {
    var seen = new Set();
    var matchers = [];
    words(query).forEach(function (w) {
      if (seen.has(w.word)) return;
      seen.add(w.word);
      matchers.push(matcher(w.word));
    });
    if (!matchers.length) return { matchers: matchers, hits: [] };
    var hits = [];
    data.osiot.forEach(function (section, order) {
      var score = 0;
      for (var i = 0; i < matchers.length; i++) {
        var best = 0;
        section[4].forEach(function (id) { best = Math.max(best, matchers[i].get(id) || 0); });
        if (!best) return; // every word of the query must match
        score += best;
      }
      var inHeading = words(section[2]).some(function (w) { return weightOf(w, matchers) > 0; });
      hits.push({ section: section, score: score + (inHeading ? 1 : 0), order: order });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return { matchers: matchers, hits: hits };
  }

  // The text around the first match, with every matching word marked.
  function snippet(text, matchers) {
    var found = words(text).filter(function (w) { return weightOf(w, matchers) > 0; });
    var start = 0;
    if (found.length && found[0].start > 60) {
      start = text.indexOf(" ", found[0].start - 60) + 1;
    }
    var end = Math.min(text.length, start + 220);
    if (end < text.length) {
      var space = text.lastIndexOf(" ", end);
      if (space > start) end = space;
    }
    var p = document.createElement("p");
    p.className = "tk-search-snippet";
    if (start > 0) p.appendChild(document.createTextNode("… "));
    var at = start;
    found.forEach(function (w) {
      if (w.start < start || w.end > end) return;
      p.appendChild(document.createTextNode(text.slice(at, w.start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(w.start, w.end);
      p.appendChild(mark);
      at = w.end;
    });
    p.appendChild(document.createTextNode(text.slice(at, end)));
    if (end < text.length) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  function show(query) {
    list.textContent = "";
    if (!query.trim()) {
      status.textContent = "Kirjoita hakusana.";
      return;
    }
    var result = search(query);
    if (!result.matchers.length) {
      status.textContent = "Hakusanassa ei ole sanoja: haku etsii sanoja, ei numeroita tai merkkejä.";
      return;
    }
    var hits = result.hits;
    var count = hits.length === 1 ? "1 osuma" : hits.length ? hits.length + " osumaa" : "Ei osumia";
    status.textContent = count + " haulla ”" + query.trim() + "”" +
      (hits.length > MAX_SHOWN ? "; näytetään " + MAX_SHOWN + " parasta." : ".");
    hits.slice(0, MAX_SHOWN).forEach(function (hit) {
      var section = hit.section;
      var page = data.sivut[section[0]];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = page[0] + (section[1] ? "#" + section[1] : "");
      link.textContent = section[2] && section[2] !== page[1] ? page[1] + " › " + section[2] : page[1];
      var heading = document.createElement("h2");
      heading.appendChild(link);
      item.appendChild(heading);
      if (section[3]) item.appendChild(snippet(section[3], result.matchers));
      list.appendChild(item);
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  if (query) show(query);
})();
