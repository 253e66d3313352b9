/** The playground: three pages behind a hash router, one training worker shared by the first two. */
import { experimentsPage } from "./experiments/page.js";
import { insidePage } from "./inside/page.js";
import { LMClient, threadCount } from "./lm/client.js";
import { lmPage } from "./lm/page.js";
import { el } from "./ui.js";
import "./style.css";

const app = document.getElementById("app");
if (app === null) throw new Error("playground: the page has no #app element");

const isolation = document.getElementById("isolation");
if (isolation !== null) {
  isolation.textContent = crossOriginIsolated ? "cross-origin isolated: wasm threads on" : "not cross-origin isolated: one thread";
}

const client = new LMClient(crossOriginIsolated ? threadCount() : 1);
const pages = { lm: el("div", { id: "page-lm" }), inside: el("div", { id: "page-inside" }), experiments: el("div", { id: "page-experiments" }) };
const { readOptions } = lmPage(pages.lm, client);
insidePage(pages.inside, client, readOptions);
experimentsPage(pages.experiments);
app.append(...Object.values(pages));

type PageName = keyof typeof pages;
const isPage = (s: string): s is PageName => s in pages;

function route(): void {
  const name = location.hash.slice(1);
  const current: PageName = isPage(name) ? name : "lm";
  for (const [k, p] of Object.entries(pages)) p.hidden = k !== current;
  for (const a of Array.from(document.querySelectorAll<HTMLAnchorElement>("nav a"))) {
    if (a.dataset["page"] === current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}
addEventListener("hashchange", route);
route();
