// What the page's scripts find on `globalThis`: uPlot, loaded as a classic script from node_modules.
// biome-ignore lint/suspicious/noExplicitAny: uPlot's IIFE build ships no types for the global
declare var uPlot: any;
