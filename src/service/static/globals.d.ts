// What the page's scripts find on `globalThis`: uPlot, loaded as a classic script from node_modules
// (its IIFE build); the types are the ones the package ships.
declare var uPlot: typeof import("uplot");
