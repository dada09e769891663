import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { LOCALE_GUARD_JS } from "../../core/locale-guard.ts";
import { OPEN_TO_ALL, SIGNED_IN } from "../auth.ts";
import { NO_FRAMING_CSP } from "../security-headers.ts";

/**
 * The console's pages and what they load, with @fastify/static: `/` and `/sign-in` (the two
 * HTML pages), the board's plain ES modules and stylesheet under `/static/` (the `.js`, `.css`
 * and `.html` files of service/static/, nothing else), the locale guard (made in memory), and uPlot from
 * node_modules under `/vendor/uplot/` (no CDN). Each carries the pages' Content-Security-Policy.
 */
const require = createRequire(import.meta.url);
const STATIC_DIR = fileURLToPath(new URL("../static/", import.meta.url));
const UPLOT_DIR = path.dirname(require.resolve("uplot/dist/uPlot.iife.min.js"));
const UPLOT_FILES = new Set(["/uPlot.iife.min.js", "/uPlot.min.css"]);

/** What the sign-in page loads from service/static/: routes of their own, open to everyone. */
const SIGN_IN_ASSETS = ["sign-in.js", "dashboard.css"];

const PAGE_CSP = `default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; ${NO_FRAMING_CSP}`;

/** Sends the board's page (a tenant's scope serves it at `/t/NAME/`, outside this plugin). */
export async function sendBoardPage(reply: FastifyReply): Promise<FastifyReply> {
  boardPage ??= readFile(path.join(STATIC_DIR, "index.html"), "utf8");
  return reply
    .header("content-security-policy", PAGE_CSP)
    .type("text/html; charset=utf-8")
    .send(await boardPage);
}
let boardPage: Promise<string> | undefined;

export async function pageRoutes(
  app: FastifyInstance,
  options: { boardAtRoot?: boolean } = {},
): Promise<void> {
  // Inside this plugin only: the pages' policy replaces the bare no-framing one.
  app.addHook("onRequest", async (_request, reply) => {
    reply.header("content-security-policy", PAGE_CSP);
  });
  // What a route allows is in its config: @fastify/static's routes (the board's modules, uPlot)
  // are for anyone signed in; the sign-in page and what it loads say `open` below.
  app.addHook("onRoute", (route) => {
    route.config = { ...SIGNED_IN, ...route.config };
  });
  await app.register(fastifyStatic, {
    root: STATIC_DIR,
    prefix: "/static/",
    index: false,
    list: false,
    dotfiles: "deny",
    // The pages' files and nothing else (no listing, no dotfiles, no subfolders).
    allowedPath: (pathName) => /^\/?[A-Za-z0-9_-]+\.(js|css|html)$/.test(pathName),
  });
  await app.register(fastifyStatic, {
    root: UPLOT_DIR,
    prefix: "/vendor/uplot/",
    decorateReply: false,
    index: false,
    list: false,
    allowedPath: (pathName) => UPLOT_FILES.has(pathName),
  });
  // Several business units: `/` leads to a tenant's board (routes/tenants.ts).
  if (options.boardAtRoot !== false)
    app.get("/", { config: SIGNED_IN }, async (_request, reply) => reply.sendFile("index.html"));
  app.get("/sign-in", { config: OPEN_TO_ALL }, async (_request, reply) => reply.sendFile("sign-in.html"));
  for (const file of SIGN_IN_ASSETS)
    app.get(`/static/${file}`, { config: OPEN_TO_ALL }, async (_request, reply) => reply.sendFile(file));
  app.get("/static/locale-guard.js", { config: OPEN_TO_ALL }, async (_request, reply) =>
    reply.type("text/javascript; charset=utf-8").send(LOCALE_GUARD_JS),
  );
}
