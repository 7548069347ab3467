/*
 * The help centre's search in the browser: the same records, analysis, synonyms and ranking
 * rules as `kb search` (Whoosh), answered from the static index the build writes under
 * assets/kb-search/ (kb_builder/indexing/browser_index). No dependency, no build step, no request to
 * any other host.
 *
 *   window.kbSearch.ready            Promise<void>: the manifest is loaded
 *   window.kbSearch.query(text, {limit = 10, kind = null})
 *     -> Promise<{query, corrected, did_you_mean,
 *                 results: [{url, title, page_title, kind, snippet, score}]}>
 *
 * url is site-relative (may end in #anchor); snippet is HTML made only of escaped text and
 * <mark>. Parts of the index are scripts that register themselves (kbSearchChunk), so they
 * load over http and from file:// alike; the engine finds the index from its own <script src>,
 * so it works at any page depth and under any sub-path.
 *
 * Every ranking constant comes from the manifest (search/definition.py, Whoosh's BM25F
 * parameters): none is written here. The structure of a query follows search/query.py; where
 * they must agree, the functions below are named after their Python counterparts.
 */
(function () {
  "use strict";

  if (window.kbSearch) return;

  // -- Where the index is ----------------------------------------------------------------

  var ENGINE_PATH = "assets/javascripts/kb-search-engine.js";
  var INDEX_PATH = "assets/kb-search/";

  function findBase() {
    var script = document.currentScript;
    var scripts = script ? [script] : document.getElementsByTagName("script");
    for (var i = 0; i < scripts.length; i++) {
      var src = scripts[i].src || "";
      var at = src.indexOf(ENGINE_PATH);
      if (at >= 0) return src.slice(0, at);
    }
    return new URL("./", document.baseURI).href;
  }

  var base = findBase();

  // -- Loading parts ---------------------------------------------------------------------

  var parts = Object.create(null); // name -> data
  var waiting = Object.create(null); // name -> [resolve, ...]
  var loading = Object.create(null); // name -> Promise

  window.kbSearchChunk = function (name, data) {
    parts[name] = data;
    var callbacks = waiting[name] || [];
    delete waiting[name];
    callbacks.forEach(function (cb) { cb(data); });
  };

  function load(name, version) {
    if (name in parts) return Promise.resolve(parts[name]);
    if (loading[name]) return loading[name];
    loading[name] = new Promise(function (resolve, reject) {
      (waiting[name] = waiting[name] || []).push(resolve);
      var el = document.createElement("script");
      el.src = base + INDEX_PATH + name + ".js" + (version ? "?v=" + version : "");
      el.async = true;
      el.onload = function () {
        el.remove();
        if (!(name in parts)) reject(new Error("kb-search: " + name + " did not register"));
      };
      el.onerror = function () {
        el.remove();
        delete loading[name];
        reject(new Error("kb-search: cannot load " + name));
      };
      document.head.appendChild(el);
    });
    return loading[name];
  }

  // -- Analysis (Whoosh's StemmingAnalyzer: tokenizer, lower case, stop words, Porter) ------

  var M = null; // the manifest
  var DEF = null; // M.definition
  var wordPattern = null;
  var indexStops = null;
  var skip = null;

  function codeLength(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0xd800 || c > 0xdbff) n++;
    }
    return n;
  }

  function regexFor(pattern) {
    // Python's \w (str.isalnum() or "_") is Unicode letters and numbers: JS's \w is ASCII.
    return new RegExp(pattern.replace(/\\w/g, "[\\p{L}\\p{N}_]"), "gu");
  }

  // Porter's stemmer, as whoosh.lang.porter.stem (re.match anchors at the start only, so
  // every pattern used with match() starts with ^ here, quirks included).
  var step2list = {
    ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble",
    alli: "al", entli: "ent", eli: "e", ousli: "ous", ization: "ize", ation: "ate",
    ator: "ate", alism: "al", iveness: "ive", fulness: "ful", ousness: "ous", aliti: "al",
    iviti: "ive", biliti: "ble", logi: "log"
  };
  var step3list = {
    icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: ""
  };
  var C = "[^aeiouy]+", V = "[aeiou]+";
  var mgr0 = new RegExp("^(" + C + ")?" + V + C, "u");
  var meq1 = new RegExp("^(" + C + ")?" + V + C + "(" + V + ")?$", "u");
  var mgr1 = new RegExp("^(" + C + ")?" + V + C + V + C, "u");
  var s_v = new RegExp("^(" + C + ")?[aeiouy]", "u");
  var c_v = new RegExp("^" + C + "[aeiouy][^aeiouwxy]$", "u");
  var ed_ing = /^(.*)(ed|ing)$/u;
  var at_bl_iz = /^(at|bl|iz)$/u;
  var step1b = /^([^aeiouylsz])\1$/u;
  var step2 = new RegExp("^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|" +
    "ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$", "u");
  var step3 = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/u;
  var step4_1 = new RegExp("^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|" +
    "ate|iti|ous|ive|ize)$", "u");
  var step4_2 = /^(.+?)(s|t)(ion)$/u;
  var step5 = /^(.+?)e$/u;

  function ends(w, s) { return w.slice(-s.length) === s && w.length >= s.length; }

  function stem(w) {
    if (codeLength(w) < 3) return w;
    var firstIsY = w[0] === "y";
    if (firstIsY) w = "Y" + w.slice(1);
    var m, st;
    // Step 1a
    if (ends(w, "s")) {
      if (ends(w, "sses")) w = w.slice(0, -2);
      else if (ends(w, "ies")) w = w.slice(0, -2);
      else if (w[w.length - 2] !== "s") w = w.slice(0, -1);
    }
    // Step 1b
    if (ends(w, "eed")) {
      if (mgr0.test(w.slice(0, -3))) w = w.slice(0, -1);
    } else if ((m = ed_ing.exec(w))) {
      st = m[1];
      if (s_v.test(st)) {
        w = st;
        if (at_bl_iz.test(w)) w += "e";
        else if (step1b.test(w)) w = w.slice(0, -1);
        else if (c_v.test(w)) w += "e";
      }
    }
    // Step 1c
    if (ends(w, "y")) {
      st = w.slice(0, -1);
      if (s_v.test(st)) w = st + "i";
    }
    // Step 2
    if ((m = step2.exec(w)) && mgr0.test(m[1])) w = m[1] + step2list[m[2]];
    // Step 3
    if ((m = step3.exec(w)) && mgr0.test(m[1])) w = m[1] + step3list[m[2]];
    // Step 4
    if ((m = step4_1.exec(w))) {
      if (mgr1.test(m[1])) w = m[1];
    } else if ((m = step4_2.exec(w))) {
      st = m[1] + m[2];
      if (mgr1.test(st)) w = st;
    }
    // Step 5
    if ((m = step5.exec(w))) {
      st = m[1];
      if (mgr1.test(st) || (meq1.test(st) && !c_v.test(st))) w = st;
    }
    if (ends(w, "ll") && mgr1.test(w)) w = w.slice(0, -1);
    if (firstIsY) w = "y" + w.slice(1);
    return w;
  }

  function setupAnalysis(definition) {
    wordPattern = regexFor(definition.WORD_PATTERN);
    indexStops = new Set(definition.INDEX_STOP_WORDS);
    skip = new Set(definition.INDEX_STOP_WORDS.concat(definition.QUESTION_WORDS));
  }

  /** Tokens of `text` with their offsets: [{word, start, end}] (lower case). */
  function words(text) {
    var out = [], m;
    wordPattern.lastIndex = 0;
    while ((m = wordPattern.exec(text))) {
      out.push({ word: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
    }
    return out;
  }

  /** Index terms of `text`, as search.schema.STEMMER gives them. */
  function analyse(text) {
    var minSize = DEF.MIN_WORD_LENGTH;
    return words(text)
      .map(function (t) { return t.word; })
      .filter(function (w) { return codeLength(w) >= minSize && !indexStops.has(w); })
      .map(stem);
  }

  /** A query word's term, "" for a skipped word (search.query._term). */
  function term(word) {
    if (skip.has(word)) return "";
    var terms = analyse(word);
    return terms.length ? terms[0] : "";
  }

  function quotedTerm(word) {
    var terms = analyse(word);
    return terms.length ? terms[0] : "";
  }

  /** search.query._undoubled: the doubled letter Porter leaves after -ed/-ing, undone. */
  function undoubled(word, t) {
    var rule = DEF.UNDOUBLE, n = t.length;
    var suffixed = rule.suffixes.some(function (s) { return ends(word, s); });
    if (suffixed && n > 2 && t[n - 1] === t[n - 2] && rule.letters.indexOf(t[n - 1]) >= 0) {
      return t.slice(0, -1);
    }
    return t;
  }

  var variantRules = null; // [[RegExp, replacement]] of DEF.SPELLING_VARIANTS

  /** search.query.spellings: the other spellings of a word ("colour" -> ["color"]). */
  function spellings(word) {
    if (codeLength(word) < DEF.SPELLING_VARIANTS.min_length) return [];
    if (!variantRules) {
      variantRules = DEF.SPELLING_VARIANTS.rules.map(function (r) {
        return [new RegExp(r[0], "u"), r[1].replace(/\\(\d)/g, "$$$1")];
      });
    }
    var out = [];
    variantRules.forEach(function (r) {
      if (r[0].test(word)) {
        var other = word.replace(r[0], r[1]);
        if (other !== word && out.indexOf(other) < 0) out.push(other);
      }
    });
    return out;
  }

  /** search.query.alternatives: more terms a plain query word matches besides its own. */
  function alternatives(word, t) {
    var out = [], indexed = term(word);
    if (indexed && indexed !== t) out.push(indexed);
    spellings(word).forEach(function (other) {
      var alt = term(other);
      if (alt && alt !== t && out.indexOf(alt) < 0) out.push(alt);
    });
    return out;
  }

  // -- Hashing (kb_builder.indexing.browser_index.shards.key_hash: CRC-32 of the UTF-8 bytes) ----

  var encoder = new TextEncoder();
  var CRC_TABLE = (function () {
    var table = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  function keyHash(text) {
    var bytes = encoder.encode(text), c = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  // -- Records and postings ---------------------------------------------------------------

  var recordPage = null; // Int32Array: record -> page number
  var recordKind = null; // string: record -> kind letter

  function setupRecords() {
    recordPage = new Int32Array(M.records);
    var r = 0;
    M.page_records.forEach(function (count, page) {
      for (var i = 0; i < count; i++) recordPage[r++] = page;
    });
    recordKind = M.record_kinds;
  }

  function kindOf(rec) { return M.kinds[recordKind.charCodeAt(rec) - 97]; }

  // Whoosh multiplies every weight of a record by its boost (search.schema.record_boost).
  function recordBoost(rec) { return M.boosts[M.record_boosts.charCodeAt(rec) - 97]; }

  function shardName(key) { return "t/" + (keyHash(key) % M.shards); }

  /** Load the shards holding `keys`; resolves to key -> entry (absent keys are missing). */
  function entries(keys) {
    var names = Array.from(new Set(keys.map(shardName)));
    return Promise.all(names.map(function (n) { return load(n, M.version); })).then(function () {
      var out = Object.create(null);
      keys.forEach(function (k) {
        var shard = parts[shardName(k)];
        if (shard && Object.prototype.hasOwnProperty.call(shard, k)) out[k] = shard[k];
      });
      return out;
    });
  }

  function fieldIndex(name) { return M.fields.indexOf(name); }

  // BM25F exactly as whoosh.scoring: idf = log(N / (df + 1)) + 1, the weight is the frequency
  // times the field's and the record kind's boosts, the length is Whoosh's one-byte length.
  function bm25(idf, tf, fl, avgfl) {
    var B = M.bm25.B, K1 = M.bm25.K1;
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)));
  }

  function df(entry, field) { return entry ? entry[field].length / 3 : 0; }

  /** Scores of one term in one field: Map record -> score. */
  function termScores(entry, field, boost) {
    var out = new Map();
    if (!entry) return out;
    var list = entry[field];
    if (!list.length) return out;
    var idf = Math.log(M.records / (list.length / 3 + 1)) + 1;
    var fieldBoost = DEF.FIELD_BOOSTS[M.fields[field]] || 1;
    var avgfl = M.avg_length[field] || 1;
    var rec = 0;
    for (var i = 0; i < list.length; i += 3) {
      rec += list[i];
      var weight = list[i + 1] * fieldBoost * recordBoost(rec);
      out.set(rec, bm25(idf, weight, M.length_of_byte[list[i + 2]], avgfl) * boost);
    }
    return out;
  }

  // -- Query trees: Whoosh's Term, Or, And, AndMaybe, Phrase, evaluated to Map rec -> score --

  function Term(field, t, boost) { return { op: "term", field: field, term: t, boost: boost || 1 }; }
  function Or(children, boost) { return { op: "or", children: children, boost: boost || 1 }; }
  function And(children, boost) { return { op: "and", children: children, boost: boost || 1 }; }
  function AndMaybe(main, optional) { return { op: "andmaybe", main: main, optional: optional }; }
  function Phrase(field, terms) { return { op: "phrase", field: field, terms: terms }; }
  function DisMax(children) { return { op: "dismax", children: children }; }
  function Boost(child, boost) { return { op: "boost", child: child, boost: boost }; }
  function Coord(units, sizes) { return { op: "coord", units: units, sizes: sizes }; }

  function keysOf(q, out) {
    if (q.op === "term") out.push(q.term);
    else if (q.op === "phrase") {
      q.terms.forEach(function (t) { out.push(t); });
      out.push("~" + q.terms.join(" "));
    } else if (q.op === "or" || q.op === "and" || q.op === "dismax") {
      q.children.forEach(function (c) { keysOf(c, out); });
    } else if (q.op === "boost") keysOf(q.child, out);
    else if (q.op === "coord") q.units.forEach(function (u) { keysOf(u.q, out); });
    else if (q.op === "andmaybe") { keysOf(q.main, out); keysOf(q.optional, out); }
    return out;
  }

  function scale(map, boost) {
    if (boost === 1) return map;
    var out = new Map();
    map.forEach(function (s, r) { out.set(r, s * boost); });
    return out;
  }

  function evaluate(q, E) {
    if (q.op === "term") return termScores(E[q.term], fieldIndex(q.field), q.boost);
    if (q.op === "dismax") return bestOf(q.children.map(function (c) { return evaluate(c, E); }));
    if (q.op === "boost") return scale(evaluate(q.child, E), q.boost);
    if (q.op === "coord") return coordinated(q, E);
    if (q.op === "or") {
      var sum = new Map();
      q.children.forEach(function (c) {
        evaluate(c, E).forEach(function (s, r) { sum.set(r, (sum.get(r) || 0) + s); });
      });
      // Whoosh's Or of a single subquery is that subquery's matcher: its boost is never
      // applied (search/query.py wraps one-word synonym options so). Mirrored, so that both
      // executors rank alike.
      return q.children.length === 1 ? sum : scale(sum, q.boost);
    }
    if (q.op === "and") {
      var maps = q.children.map(function (c) { return evaluate(c, E); });
      var all = new Map();
      if (!maps.length) return all;
      maps[0].forEach(function (s, r) {
        var total = s;
        for (var i = 1; i < maps.length; i++) {
          if (!maps[i].has(r)) return;
          total += maps[i].get(r);
        }
        all.set(r, total);
      });
      return scale(all, q.boost);
    }
    if (q.op === "andmaybe") {
      var main = evaluate(q.main, E), opt = evaluate(q.optional, E), out = new Map();
      main.forEach(function (s, r) { out.set(r, s + (opt.get(r) || 0)); });
      return out;
    }
    if (q.op === "phrase") return phraseScores(q, E);
    throw new Error("kb-search: unknown query " + q.op);
  }

  // search.query.BestOf: the best score of the records' matching children, plus the
  // definition's tiebreak times the others.
  function bestOf(maps) {
    var tiebreak = DEF.SYNONYM_WEIGHTS.tiebreak || 0, out = new Map();
    var all = new Set();
    maps.forEach(function (m) { m.forEach(function (_, r) { all.add(r); }); });
    all.forEach(function (r) {
      var best = -Infinity, sum = 0;
      maps.forEach(function (m) {
        if (!m.has(r)) return;
        var v = m.get(r);
        sum += v;
        if (v > best) best = v;
      });
      out.set(r, best + tiebreak * (sum - best));
    });
    return out;
  }

  // search.query.Coordinated: per record, the sum over its groups of the best unit's score,
  // times (words of the question it covers / words of the question) ** exponent.
  function coordinated(q, E) {
    var tiebreak = DEF.SYNONYM_WEIGHTS.tiebreak || 0;
    var exponent = DEF.COORDINATION.exponent;
    var total = 0;
    q.sizes.forEach(function (size) { total += size; });
    total = total || 1;
    var byRecord = new Map(); // rec -> Map group -> {scores, covered}
    q.units.forEach(function (u) {
      evaluate(u.q, E).forEach(function (s, r) {
        var groups = byRecord.get(r);
        if (!groups) byRecord.set(r, (groups = new Map()));
        var g = groups.get(u.group);
        if (!g) groups.set(u.group, (g = { scores: [], covered: 0 }));
        g.scores.push(s);
        g.covered = Math.max(g.covered, u.coverage);
      });
    });
    var out = new Map();
    byRecord.forEach(function (groups, r) {
      var score = 0, covered = 0;
      Array.from(groups.keys()).sort(function (a, b) { return a - b; }).forEach(function (k) {
        var g = groups.get(k), best = Math.max.apply(null, g.scores), sum = 0;
        g.scores.forEach(function (v) { sum += v; });
        score += best + tiebreak * (sum - best);
        covered += g.covered * q.sizes.get(k);
      });
      out.set(r, score * Math.pow(covered / total, exponent));
    });
    return out;
  }

  // A phrase scores as Whoosh's SpanNear: the sum of its terms' scores in the field, in the
  // records where the terms stand together. Adjacency is precomputed for the synonyms'
  // phrases (the "~" entries); for any other phrase (a client's quotes) the index has no
  // positions, so records holding every term of it in the field stand in.
  function phraseScores(q, E) {
    var field = fieldIndex(q.field);
    var maps = q.terms.map(function (t) { return termScores(E[t], field, 1); });
    var out = new Map();
    var together = E["~" + q.terms.join(" ")];
    var allowed = null;
    if (together) {
      allowed = new Set();
      var rec = 0;
      together[field].forEach(function (d) { rec += d; allowed.add(rec); });
    } else if (q.precomputed) {
      return out;
    }
    maps[0].forEach(function (s, r) {
      if (allowed && !allowed.has(r)) return;
      var total = s;
      for (var i = 1; i < maps.length; i++) {
        if (!maps[i].has(r)) return;
        total += maps[i].get(r);
      }
      out.set(r, total);
    });
    return out;
  }

  // -- Planning (search.query: tokenize, Synonyms, _all_words, _plan) ----------------------

  // search.query.Synonyms: rules keyed on meaningful terms, exact ones on every word's stem.
  var tables = null; // [{map: "k1 k2" -> [[canonical words], ...], longest, attr}]
  var synonymTerms = null; // every word of every phrase: never respelt
  var precomputed = null; // Set of phrase keys whose adjacency the index holds

  function setupSynonyms() {
    precomputed = new Set(M.phrases);
    function table(rows, attr) {
      var map = new Map(), longest = 0;
      rows.forEach(function (rule) {
        map.set(rule[0].join(" "), rule[1]);
        longest = Math.max(longest, rule[0].length);
      });
      return { map: map, longest: longest, attr: attr };
    }
    tables = [table(M.synonyms.exact, "stem"), table(M.synonyms.rules, "term")];
    synonymTerms = new Set(M.synonyms.terms);
  }

  /** Where client phrases occur in `tokens` (search.query.Synonyms.spans): exact phrases
   * first; where phrases overlap, the choice covering the most words with the fewest phrases,
   * the later phrase on a tie ("new staff member" is a staff member). */
  function spans(tokens) {
    var found = [], used = new Set();
    tables.forEach(function (tb) {
      var seq = [];
      tokens.forEach(function (t, i) {
        if (t.quoted === null && t[tb.attr] && !used.has(i)) seq.push(i);
      });
      bestCover(tokens, seq, tb).forEach(function (pick) {
        found.push([pick[0], pick[1], tb.attr === "stem"]);
        pick[0].forEach(function (j) { used.add(j); });
      });
    });
    return found;
  }

  /** search.query._best_cover: dynamic programming from the end of `seq`. */
  function bestCover(tokens, seq, tb) {
    var size = seq.length, best = new Array(size + 1), canon = new Map();
    best[size] = [0, 0, []];
    for (var p = size - 1; p >= 0; p--) {
      var choice = best[p + 1];
      for (var n = 1; n <= Math.min(tb.longest, size - p); n++) {
        var span = seq.slice(p, p + n);
        if (tb.attr === "stem" && span[span.length - 1] - span[0] !== n - 1) continue;
        var key = span.map(function (j) { return tokens[j][tb.attr]; }).join(" ");
        var canonical = tb.map.get(key);
        if (!canonical) continue;
        canon.set(p + ":" + n, canonical);
        var rest = best[p + n];
        var taken = [rest[0] + n, rest[1] - 1, [[p, n]].concat(rest[2])];
        if (taken[0] > choice[0] || (taken[0] === choice[0] && taken[1] > choice[1])) {
          choice = taken;
        }
      }
      best[p] = choice;
    }
    return best[0][2].map(function (pn) {
      return [seq.slice(pn[0], pn[0] + pn[1]), canon.get(pn[0] + ":" + pn[1])];
    });
  }

  function tokenize(text) {
    var spans = [], re = /"([^"]*)"/g, m;
    while ((m = re.exec(text))) spans.push([m.index + 1, m.index + 1 + m[1].length]);
    var tokens = [];
    var ws = words(text);
    for (var i = 0; i < ws.length && tokens.length < DEF.MAX_WORDS; i++) {
      var w = ws[i];
      var group = null;
      for (var g = 0; g < spans.length; g++) {
        if (spans[g][0] <= w.start && w.start < spans[g][1]) { group = g; break; }
      }
      var t = group === null ? undoubled(w.word, term(w.word)) : quotedTerm(w.word);
      tokens.push({
        word: w.word, term: t,
        start: w.start, end: w.end, quoted: group,
        stem: codeLength(w.word) >= DEF.MIN_WORD_LENGTH ? undoubled(w.word, stem(w.word)) : "",
        alts: group === null && t ? alternatives(w.word, t) : []
      });
    }
    return tokens;
  }

  function wordQuery(t, alts) {
    var children = [];
    [t].concat(alts || []).forEach(function (x) {
      DEF.TEXT_FIELDS.forEach(function (f) { children.push(Term(f, x)); });
    });
    return Or(children);
  }

  function allWords(terms, exact, boost) {
    boost = boost || 1;
    terms = terms.filter(Boolean);
    if (!terms.length) return null;
    if (terms.length === 1) {
      return boost === 1 ? wordQuery(terms[0]) : Or([wordQuery(terms[0])], boost);
    }
    var key = terms.join(" ");
    var adjacent = Or(DEF.TEXT_FIELDS.map(function (f) {
      var p = Phrase(f, terms);
      p.precomputed = precomputed.has(key);
      return p;
    }), DEF.ADJACENT_BOOST * boost);
    if (exact) return adjacent;
    return Or([And(terms.map(wordQuery), boost), adjacent]);
  }

  /** search.query.synonym_weight: a synonym widens the query, never outweighs it. */
  /** search.query.synonym_weight: a synonym widens the query, never outweighs it. */
  function synonymWeight(clientWords, canonicalWords, alone) {
    function units(n) { return n <= 1 ? 1 : n * (1 + DEF.ADJACENT_BOOST); }
    var w = DEF.SYNONYM_WEIGHTS[canonicalWords > 1 ? "phrase" : "word"];
    if (alone && canonicalWords > 1) {
      return w * units(Math.max(clientWords, 1)) / (1 + DEF.ADJACENT_BOOST);
    }
    return w * units(Math.max(clientWords, 1)) / units(canonicalWords);
  }

  /** search.query._synonym_unit: [the client's own words, the canonical phrases, size]. */
  function synonymUnit(span, canonical, exact, alone) {
    // An exact client phrase ("who answers") is looked for with its question words: only
    // the index's stop words are dropped.
    var own = span.map(function (t) {
      return exact ? undoubled(t.word, quotedTerm(t.word)) : t.term;
    })
      .filter(Boolean);
    var options = [];
    canonical.forEach(function (ws) {
      var ts = ws.map(term).filter(Boolean);
      var unit = allWords(ts, false, synonymWeight(own.length, ts.length, alone));
      if (unit) options.push(unit);
    });
    // The best of the canonical phrases, not their sum (search.query.BestOf).
    var widened = !options.length ? null : options.length === 1 ? options[0] : DisMax(options);
    return [allWords(own), widened, Math.max(own.length, 1)];
  }

  // A plan (search.query._Plan): units, each in a group (a word, a quoted phrase, a synonym
  // span) of a size (its words), covering a share of its group when it matches.
  function addGroup(p, size, parts) {
    var group = p.sizes.size;
    var kept = parts.filter(function (x) { return x[0]; });
    if (!kept.length) return;
    p.sizes.set(group, size);
    kept.forEach(function (x) { p.units.push({ q: x[0], group: group, coverage: x[1] }); });
  }

  function plan(tokens) {
    var p = { units: [], sizes: new Map(), words: [], common: new Set() };
    var quoted = new Map();
    tokens.forEach(function (t) {
      if (t.quoted !== null) {
        if (!quoted.has(t.quoted)) quoted.set(t.quoted, []);
        quoted.get(t.quoted).push(t);
      }
    });
    quoted.forEach(function (group) {
      var terms = group.map(function (t) { return t.term; }).filter(Boolean);
      addGroup(p, Math.max(terms.length, 1), [[allWords(terms, true), 1]]);
    });
    var found = spans(tokens), covered = new Set();
    found.forEach(function (sp) { sp[0].forEach(function (j) { covered.add(j); }); });
    tokens.forEach(function (t, i) {
      if (t.quoted === null && t.term && !covered.has(i)) p.words.push(t);
    });
    var alone = !p.words.length && !p.units.length;
    var share = DEF.COORDINATION.synonym_coverage;
    found.forEach(function (sp) {
      var u = synonymUnit(sp[0].map(function (j) { return tokens[j]; }), sp[1], sp[2], alone);
      addGroup(p, u[2], [[u[0], 1], [u[1], share]]);
    });
    return p;
  }

  function planKeys(p) {
    var keys = [];
    p.units.forEach(function (u) { keysOf(u.q, keys); });
    p.words.forEach(function (t) { keys.push.apply(keys, [t.term].concat(t.alts || [])); });
    return keys;
  }

  function markCommon(p, E) {
    var total = M.records;
    if (total < DEF.COMMON_MIN_RECORDS || p.words.length + p.units.length < 2) return;
    p.words.forEach(function (t) {
      var most = 0;
      DEF.TEXT_FIELDS.forEach(function (f) { most = Math.max(most, df(E[t.term], fieldIndex(f))); });
      if (most > DEF.COMMON_SHARE * total) p.common.add(t.term);
    });
    if (p.common.size === p.words.length && !p.units.length) p.common.clear();
  }

  function fuzzyEdits(word) {
    if (codeLength(word) < DEF.FUZZY.min_length) return 0;
    return byLength(DEF.FUZZY.max_edits, codeLength(word));
  }

  /** _Plan.query: the units coordinated, common words only re-ranking. */
  function planQuery(p, fuzzy) {
    var q = { units: p.units.slice(), sizes: new Map(p.sizes) }, optional = [];
    p.words.forEach(function (t) {
      var unit = wordQuery(t.term, t.alts);
      if (p.common.has(t.term)) { optional.push(unit); return; }
      var near = fuzzy && fuzzyEdits(t.word) && !/^\d+$/.test(t.word) ? fuzzyUnit(t) : null;
      addGroup(q, 1, [[unit, 1], [near, DEF.COORDINATION.fuzzy_coverage]]);
    });
    if (!q.units.length) {
      optional.forEach(function (u) { addGroup(q, 1, [[u, 1]]); });
      optional = [];
    }
    if (!q.units.length) return null;
    var main = q.units.length === 1 ? q.units[0].q : Coord(q.units, q.sizes);
    return optional.length ? AndMaybe(main, Or(optional)) : main;
  }

  // -- Spelling: the site's vocabulary, by first letter and length -------------------------

  function byLength(table, length) {
    var value = 0;
    (table || []).forEach(function (row) { if (length >= row[0]) value = row[1]; });
    return value;
  }

  var vocabKeys = null;
  var generalKeys = null;

  function vocabularyShards(word, maxdist) {
    var first = word.codePointAt(0).toString(16), len = codeLength(word), names = [];
    for (var l = Math.max(1, len - maxdist); l <= len + maxdist; l++) {
      var key = first + "-" + l;
      if (vocabKeys.has(key)) names.push("v/" + key);
    }
    return names;
  }

  function loadVocabulary(wordsToCheck, maxdist) {
    var names = new Set();
    wordsToCheck.forEach(function (w) {
      vocabularyShards(w, maxdist).forEach(function (n) { names.add(n); });
    });
    return Promise.all(Array.from(names).map(function (n) { return load(n, M.version); }));
  }

  // Levenshtein distance (insertions, deletions, substitutions), stopping beyond `max`: the
  // candidate walk, like Whoosh's terms_within.
  function distance(a, b, max) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev = [], cur;
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1,
          prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        cur.push(v);
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev = cur;
    }
    return prev[b.length];
  }

  var neighbours = null;

  function keyNeighbours() {
    if (neighbours) return neighbours;
    var rows = DEF.KEYBOARD_ROWS;
    neighbours = Object.create(null);
    rows.forEach(function (row, r) {
      Array.from(row).forEach(function (key, c) {
        var keys = neighbours[key] || (neighbours[key] = new Set());
        for (var o = r - 1; o <= r + 1; o++) {
          if (o < 0 || o >= rows.length) continue;
          for (var dc = -1; dc <= 1; dc++) {
            if (c + dc >= 0 && c + dc < rows[o].length) keys.add(rows[o][c + dc]);
          }
        }
        keys.delete(key);
      });
    });
    return neighbours;
  }

  /** search.spelling.distance: keyboard slips and swaps cost less than an edit. */
  function slipDistance(typed, word) {
    var keyboard = DEF.CORRECTION.keyboard_cost, swap = DEF.CORRECTION.transposition_cost;
    var near = keyNeighbours();
    var a = Array.from(typed), b = Array.from(word), n = a.length, m = b.length, d = [];
    for (var i = 0; i <= n; i++) { d.push([i]); }
    for (var j = 1; j <= m; j++) d[0].push(j);
    for (i = 1; i <= n; i++) {
      for (j = 1; j <= m; j++) {
        var x = a[i - 1], y = b[j - 1];
        var cost = x === y ? 0 : (near[x] && near[x].has(y) ? keyboard : 1);
        var best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && x === b[j - 2] && a[i - 2] === y) {
          best = Math.min(best, d[i - 2][j - 2] + swap);
        }
        d[i][j] = best;
      }
    }
    return d[n][m];
  }

  function maxEdits(word) {
    var len = codeLength(word);
    if (len < DEF.CORRECTION.min_length) return 0;
    return byLength(DEF.CORRECTION.max_edits, len);
  }

  function prefixOf(word) { return byLength(DEF.CORRECTION.prefix, codeLength(word)); }

  /** Vocabulary words within `maxdist` of `word` sharing its prefix: word -> df. */
  function within(word, maxdist, prefixLength) {
    var prefix = Array.from(word).slice(0, prefixLength).join("");
    var found = new Map();
    vocabularyShards(word, maxdist).forEach(function (name) {
      var shard = parts[name];
      if (!shard) return;
      Object.keys(shard).forEach(function (w) {
        if (w.indexOf(prefix) !== 0 || /^\d+$/.test(w)) return;
        if (distance(word, w, maxdist) <= maxdist) found.set(w, shard[w]);
      });
    });
    return found;
  }

  /** search.spelling.best_correction over the vocabulary (search.query._respell). */
  function respell(word, betterThan) {
    var edits = maxEdits(word);
    if (!edits) return null;
    var least = DEF.CORRECTION.min_doc_frequency, best = null;
    within(word, edits + 1, prefixOf(word)).forEach(function (df, w) {
      if (df <= (betterThan || 0) || w === word || df < least) return;
      var cost = slipDistance(word, w);
      if (cost > edits) return;
      // Closest first; then the commonest; then alphabetical, so the choice is stable.
      if (!best || cost < best[0] || (cost === best[0] && (df > best[1] ||
          (df === best[1] && w < best[2])))) best = [cost, df, w];
    });
    return best ? best[2] : null;
  }

  function known(entry) { return !!entry && entry.some(function (l) { return l.length > 0; }); }

  function isAlpha(w) { return /^\p{L}+$/u.test(w); }

  // search.spelling.is_general_word: ordinary English is never a typo to correct.
  var INFLECTIONS = [["s", ""], ["es", ""], ["ed", ""], ["ed", "e"], ["ing", ""], ["ing", "e"]];

  function generalCandidates(word) {
    var out = [word];
    INFLECTIONS.forEach(function (pair) {
      if (ends(word, pair[0]) && codeLength(word) - pair[0].length >= 3) {
        out.push(word.slice(0, -pair[0].length) + pair[1]);
      }
    });
    return out;
  }

  function generalShard(word) { return word.codePointAt(0).toString(16); }

  function loadGeneral(wordsToCheck) {
    var names = new Set();
    wordsToCheck.forEach(function (w) {
      generalCandidates(w).forEach(function (c) {
        if (generalKeys.has(generalShard(c))) names.add("g/" + generalShard(c));
      });
    });
    return Promise.all(Array.from(names).map(function (n) { return load(n, M.version); }));
  }

  // The list is shipped as sorted CRC-32 hashes, delta-encoded (shards.general_shards).
  var generalHashes = Object.create(null);

  function hashesOf(name) {
    if (!(name in generalHashes)) {
      var deltas = parts[name], out = new Float64Array(deltas ? deltas.length : 0), h = 0;
      for (var i = 0; i < out.length; i++) { h += deltas[i]; out[i] = h; }
      generalHashes[name] = out;
    }
    return generalHashes[name];
  }

  function isGeneral(word) {
    return generalCandidates(word).some(function (c) {
      return sortedHas(hashesOf("g/" + generalShard(c)), keyHash(c));
    });
  }

  function sortedHas(list, w) {
    var lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] === w) return true;
      if (list[mid] < w) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }

  function spellCheck(tokens, E, rare) {
    var prot = new Set(), out = new Map();
    spans(tokens).forEach(function (sp) { sp[0].forEach(function (j) { prot.add(j); }); });
    var ratio = DEF.CORRECTION.rare_ratio;
    tokens.forEach(function (t, i) {
      var w = t.word;
      if (t.quoted !== null || !t.term || prot.has(i)) return;
      if (!isAlpha(w) || !maxEdits(w) || synonymTerms.has(w)) return;
      var better = null;
      if (!known(E[t.term])) better = isGeneral(w) ? null : respell(w, 0);
      else if (rare && !isGeneral(w)) {
        var d = vocabularyDf(w);
        if (d <= 1) better = respell(w, ratio * Math.max(d, 1));
      }
      if (better) out.set(i, better);
    });
    return out;
  }

  function vocabularyDf(word) {
    var shard = parts["v/" + word.codePointAt(0).toString(16) + "-" + codeLength(word)];
    return shard && shard[word] ? shard[word] : 0;
  }

  function rewrite(text, tokens, replacements) {
    var out = "", pos = 0;
    Array.from(replacements.keys()).sort(function (a, b) { return a - b; }).forEach(function (i) {
      out += text.slice(pos, tokens[i].start) + replacements.get(i);
      pos = tokens[i].end;
    });
    out += text.slice(pos);
    return out.split(/\s+/).filter(Boolean).join(" ");
  }

  function maxCorrection() {
    var most = 0;
    DEF.CORRECTION.max_edits.forEach(function (row) { most = Math.max(most, row[1]); });
    return most;
  }

  function maxFuzzy() {
    var most = 0;
    DEF.FUZZY.max_edits.forEach(function (row) { most = Math.max(most, row[1]); });
    return most;
  }

  // The typo fallback: a word also matches its near spellings of the vocabulary, below the
  // word as typed (FUZZY.boost) and covering only part of its group. The index keeps stemmed
  // postings, so a near spelling counts through its term (Whoosh's FuzzyTerm reads the
  // unstemmed "words" field): an approximation, on the rare path of a query finding little.
  function fuzzyUnit(t) {
    var maxdist = fuzzyEdits(t.word);
    var near = Array.from(within(t.word, maxdist, prefixOf(t.word)).keys()).map(function (w) {
      return term(w) || w;
    });
    near = Array.from(new Set(near)).filter(function (n) { return n !== t.term; });
    if (!near.length) return null;
    return Boost(Or(near.map(wordQuery)), DEF.FUZZY.boost);
  }

  // -- Running a query -------------------------------------------------------------------

  function collect(scores, kind, limit) {
    var list = [];
    scores.forEach(function (s, r) {
      if (!kind || kindOf(r) === kind) list.push([s, r]);
    });
    list.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    var perPage = new Map(), out = [];
    for (var i = 0; i < list.length && out.length < limit; i++) {
      var page = recordPage[list[i][1]];
      var n = perPage.get(page) || 0;
      if (n >= DEF.PER_PAGE) continue;
      perPage.set(page, n + 1);
      out.push(list[i]);
    }
    return out;
  }

  function chunkOf(rec) {
    var starts = M.chunk_starts, lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= rec) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function recordOf(rec) {
    var c = chunkOf(rec);
    return parts["r/" + c][rec - M.chunk_starts[c]];
  }

  function bodyTerms(q, out) {
    if (q.op === "term") { if (q.field === "body") out.add(q.term); }
    else if (q.op === "phrase") { if (q.field === "body") q.terms.forEach(function (t) { out.add(t); }); }
    else if (q.op === "or" || q.op === "and" || q.op === "dismax") {
      q.children.forEach(function (c) { bodyTerms(c, out); });
    } else if (q.op === "boost") bodyTerms(q.child, out);
    else if (q.op === "coord") q.units.forEach(function (u) { bodyTerms(u.q, out); });
    else if (q.op === "andmaybe") { bodyTerms(q.main, out); bodyTerms(q.optional, out); }
    return out;
  }

  // -- Snippets: escaped text, <mark> around matched words, nothing else -------------------

  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };

  function escapeHtml(s) { return s.replace(/[&<>"']/g, function (c) { return ESCAPES[c]; }); }

  function plainSnippet(body) {
    var text = body.split(/\s+/).filter(Boolean).join(" ");
    var max = DEF.SNIPPET_CHARS;
    if (text.length > max) {
      var cut = text.lastIndexOf(" ", max);
      text = text.slice(0, cut > 0 ? cut : max) + " …";
    }
    return escapeHtml(text);
  }

  // Like Whoosh's ContextFragmenter (about SNIPPET_CHARS per fragment, some context around
  // the matches) and highlight(top=2): the two fragments with the most matched words, in
  // the order of the text.
  function snippet(body, terms) {
    if (!body) return "";
    if (!terms.size) return plainSnippet(body);
    var max = DEF.SNIPPET_CHARS, surround = 60;
    var hits = words(body).filter(function (t) {
      return codeLength(t.word) >= DEF.MIN_WORD_LENGTH && !indexStops.has(t.word) &&
        terms.has(stem(t.word));
    });
    if (!hits.length) return plainSnippet(body);
    var fragments = [], i = 0;
    while (i < hits.length) {
      var start = Math.max(0, hits[i].start - surround), end = hits[i].end + surround;
      var members = [hits[i]], j = i + 1;
      while (j < hits.length && hits[j].end + surround - start <= max) {
        members.push(hits[j]); end = hits[j].end + surround; j++;
      }
      fragments.push({ start: start, end: Math.min(end, body.length), hits: members });
      i = j;
    }
    var top = fragments.map(function (f, k) { return [f, k]; })
      .sort(function (a, b) { return b[0].hits.length - a[0].hits.length || a[1] - b[1]; })
      .slice(0, 2).sort(function (a, b) { return a[1] - b[1]; })
      .map(function (x) { return x[0]; });
    return top.map(function (f) {
      var s = body.slice(f.start, f.end), out = "", pos = f.start;
      // Do not start or end in the middle of a word.
      var lead = f.start > 0 ? s.search(/\s/) + 1 : 0;
      if (lead > 0 && f.start + lead <= f.hits[0].start) pos = f.start + lead;
      var tailEnd = f.end;
      if (f.end < body.length) {
        var back = body.lastIndexOf(" ", f.end);
        if (back >= f.hits[f.hits.length - 1].end) tailEnd = back;
      }
      f.hits.forEach(function (h) {
        out += escapeHtml(body.slice(pos, h.start)) + "<mark>" +
          escapeHtml(body.slice(h.start, h.end)) + "</mark>";
        pos = h.end;
      });
      out += escapeHtml(body.slice(pos, tailEnd));
      return out.split(/\s+/).filter(Boolean).join(" ");
    }).join(" … ");
  }

  function run(text, options) {
    var limit = Math.max(1, Math.min(Math.floor(options.limit || 10), DEF.MAX_LIMIT));
    var kind = options.kind || null;
    var tokens = tokenize(text);
    var firstKeys = tokens.map(function (t) { return t.term; }).filter(Boolean);
    var E = null, corrected = null, p = null, q = null, hits = [], didYouMean = null;
    var checkable = tokens.filter(function (t) {
      return t.quoted === null && codeLength(t.word) >= DEF.CORRECTION.min_length;
    }).map(function (t) { return t.word; });
    // Round trips are what a first query waits for, so the first one asks for everything the
    // query as typed may need (its words' shards, its synonyms' terms and phrases, the
    // general-word shards); the vocabulary only for a word that may be a typo, and a second
    // plan only when a word was respelt.
    var typed = plan(tokens);
    return Promise.all([
      entries(firstKeys.concat(planKeys(typed))), loadGeneral(checkable)
    ]).then(function (loaded) {
      E = loaded[0];
      var unknown = checkable.filter(function (w) {
        return !known(E[term(w)]) && !isGeneral(w);
      });
      return loadVocabulary(unknown, maxCorrection() + 1);
    }).then(function () {
      var replacements = spellCheck(tokens, E, false);
      if (!replacements.size) { p = typed; return {}; }
      corrected = rewrite(text, tokens, replacements);
      tokens = tokenize(corrected);
      p = plan(tokens);
      return entries(planKeys(p));
    }).then(function (found) {
      Object.assign(E, found);
      markCommon(p, E);
      q = planQuery(p, null);
      if (!q) return null;
      var wanted = Math.max(limit, DEF.FEW_RESULTS);
      hits = collect(evaluate(q, E), kind, wanted);
      didYouMean = corrected;
      if (hits.length >= DEF.FEW_RESULTS) return null;
      var all = tokenize(text).map(function (t) { return t.word; });
      return Promise.all([loadVocabulary(all, Math.max(maxFuzzy(), maxCorrection() + 1))])
        .then(function () {
          var fuzzy = p.words.length ? planQuery(p, true) : null;
          var keys = fuzzy ? keysOf(fuzzy, []) : [];
          return entries(keys).then(function (more) {
            Object.assign(E, more);
            if (fuzzy) {
              var wider = collect(evaluate(fuzzy, E), kind, wanted);
              if (wider.length > hits.length) { hits = wider; q = fuzzy; }
            }
            if (didYouMean === null) {
              var original = tokenize(text);
              var rare = spellCheck(original, E, true);
              didYouMean = rare.size ? rewrite(text, original, rare) : null;
            }
          });
        });
    }).then(function () {
      hits = hits.slice(0, limit);
      var chunks = Array.from(new Set(hits.map(function (h) { return "r/" + chunkOf(h[1]); })));
      return Promise.all(chunks.map(function (n) { return load(n, M.version); }));
    }).then(function () {
      var marks = q ? bodyTerms(q, new Set()) : new Set();
      return {
        query: text,
        corrected: corrected,
        did_you_mean: didYouMean,
        results: hits.map(function (h) {
          var row = recordOf(h[1]);
          return {
            url: row[0], title: row[1], page_title: row[2], kind: row[3],
            snippet: snippet(row[4], marks), score: Math.round(h[0] * 10000) / 10000
          };
        })
      };
    });
  }

  // -- The API ---------------------------------------------------------------------------

  var ready = load("manifest").then(function (manifest) {
    if (manifest.format !== 1) throw new Error("kb-search: unknown index format");
    M = manifest;
    DEF = M.definition;
    setupAnalysis(DEF);
    setupRecords();
    setupSynonyms();
    vocabKeys = new Set(M.vocabulary);
    generalKeys = new Set(M.general || []);
  });
  // A page that never searches must not log an unhandled rejection (an index-less build).
  ready.catch(function () {});

  window.kbSearch = {
    ready: ready,
    base: base,
    query: function (text, options) {
      options = options || {};
      return ready.then(function () {
        var q = String(text == null ? "" : text).slice(0, DEF.MAX_QUERY_CHARS);
        return run(q, options);
      });
    },
    // For tests and tools: the analysis the index was built with.
    _stem: stem,
    _keyHash: keyHash,
    _analyse: function (text) { return ready.then(function () { return analyse(text); }); }
  };
})();
