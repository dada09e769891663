/**
 * A script for the pages we render (the dashboard, the `--report` page, the simulator's chart),
 * loaded BEFORE uPlot and the page's own code: it lets date and number formatting survive a
 * browser locale that Intl cannot parse.
 *
 * Under a C/POSIX locale (LANG=C, Debian's and most containers' default) Chromium reports
 * `navigator.language` as `en-US@posix`. uPlot builds `new Intl.NumberFormat(navigator.language)`
 * while it loads, which throws `RangeError: Invalid language tag`; uPlot is then never defined and
 * the page draws no chart. The guard (1) gives `navigator.language` / `languages` the nearest tag
 * Intl accepts (`en-US@posix` → `en-US`, else `en-US`), and (2) wraps the Intl constructors and the
 * `toLocale…String` methods so that a locale refused with a RangeError is retried with the
 * browser's default and then with `en-US`. A locale Intl accepts is never touched. Plain ES5, no
 * dependency: it runs first, in any browser that runs uPlot.
 */
export const LOCALE_GUARD_JS = `(function () {
  "use strict";
  if (typeof Intl === "undefined") return;
  var FALLBACKS = [undefined, "en-US"];
  function accepted(tag) {
    try { return Intl.getCanonicalLocales(tag).length > 0; } catch (e) { return false; }
  }
  function nearest(tag) {
    if (typeof tag !== "string" || accepted(tag)) return tag;
    var base = tag.split(/[@.]/)[0].replace(/_/g, "-");
    return base && accepted(base) ? base : "en-US";
  }
  // Calls fn(locales-at-index) and, on a RangeError, again with each fallback locale.
  function retrying(call, args, index) {
    try { return call(args); } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      var last = error;
      for (var i = 0; i < FALLBACKS.length; i++) {
        if (args[index] === FALLBACKS[i]) continue;
        var next = Array.prototype.slice.call(args);
        while (next.length <= index) next.push(undefined);
        next[index] = FALLBACKS[i];
        try { return call(next); } catch (again) {
          if (!(again instanceof RangeError)) throw again;
          last = again;
        }
      }
      throw last;
    }
  }
  try {
    var nav = typeof navigator === "undefined" ? undefined : navigator;
    if (nav && typeof nav.language === "string" && !accepted(nav.language)) {
      var language = nearest(nav.language);
      var languages = Array.prototype.map.call(nav.languages || [nav.language], nearest);
      Object.defineProperty(nav, "language", { configurable: true, get: function () { return language; } });
      Object.defineProperty(nav, "languages", { configurable: true, get: function () { return languages; } });
    }
  } catch (e) { /* a read-only navigator: the wrappers below still apply */ }
  var constructors = ["Collator", "DateTimeFormat", "DisplayNames", "ListFormat", "NumberFormat",
    "PluralRules", "RelativeTimeFormat", "Segmenter"];
  constructors.forEach(function (name) {
    var Original = Intl[name];
    if (typeof Original !== "function" || typeof Proxy !== "function") return;
    var wrapped = new Proxy(Original, {
      construct: function (target, args, newTarget) {
        return retrying(function (a) { return Reflect.construct(target, a, newTarget === wrapped ? target : newTarget); }, args, 0);
      },
      apply: function (target, self, args) {
        return retrying(function (a) { return Reflect.apply(target, self, a); }, args, 0);
      },
    });
    Object.defineProperty(Intl, name, { configurable: true, writable: true, value: wrapped });
  });
  function wrapMethod(proto, name, index) {
    var original = proto && proto[name];
    if (typeof original !== "function") return;
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value: function () {
        var self = this;
        return retrying(function (a) { return original.apply(self, a); }, arguments, index);
      },
    });
  }
  wrapMethod(Number.prototype, "toLocaleString", 0);
  wrapMethod(Date.prototype, "toLocaleString", 0);
  wrapMethod(Date.prototype, "toLocaleDateString", 0);
  wrapMethod(Date.prototype, "toLocaleTimeString", 0);
  wrapMethod(Array.prototype, "toLocaleString", 0);
  wrapMethod(String.prototype, "localeCompare", 1);
  wrapMethod(String.prototype, "toLocaleUpperCase", 0);
  wrapMethod(String.prototype, "toLocaleLowerCase", 0);
  if (typeof BigInt === "function") wrapMethod(BigInt.prototype, "toLocaleString", 0);
})();
`;
