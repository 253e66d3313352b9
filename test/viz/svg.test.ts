import { test } from "node:test";
import assert from "node:assert/strict";
import { linePlotSvg } from "../../src/viz/svg.js";
import { escapeXml } from "../../src/viz/svg-frame.js";
import { layoutLinePlot } from "../../src/viz/lineplot.js";

/** Checks that tags nest and close properly and returns the element names in document order. */
function checkWellFormed(svg: string): string[] {
  assert.ok(svg.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<svg `), "XML declaration, then the svg root");
  const names: string[] = [];
  const stack: string[] = [];
  const body = svg.replace(/^<\?xml[^>]*\?>/, "");
  // Text between tags must not hold a raw "<" and every "&" must start an entity.
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(body); m !== null; m = tag.exec(body)) {
    const between = body.slice(last, m.index);
    assert.ok(!between.includes("<"), `stray "<" before ${m[0].slice(0, 40)}`);
    assert.ok(!/&(?!(amp|lt|gt|quot|#39);)/.test(between), `bare & in ${between}`);
    for (const attr of m[3].matchAll(/="([^"]*)"/g)) assert.ok(!/&(?!(amp|lt|gt|quot|#39);)/.test(attr[1]), `bare & in attribute`);
    last = m.index + m[0].length;
    const [, close, name, , selfClose] = m;
    if (close) {
      assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    } else {
      names.push(name);
      if (!selfClose) stack.push(name);
    }
  }
  assert.equal(body.slice(last).trim(), "", "nothing after the root");
  assert.deepEqual(stack, [], "unclosed elements");
  assert.equal(names[0], "svg");
  return names;
}

function polylines(svg: string, series: string): string[][] {
  const re = new RegExp(`<polyline data-series="${series}" points="([^"]*)"`, "g");
  return [...svg.matchAll(re)].map((m) => m[1].split(" "));
}

const epochs = [1, 2, 3, 4, 5];

test("linePlotSvg: a well-formed SVG document with one polyline of all points for a gap-free series", () => {
  const svg = linePlotSvg({ title: "ppl", xLabel: "epoch", yLabel: "perplexity", series: [{ name: "train", x: epochs, y: [9, 7, 6, 5.5, 5] }] });
  const names = checkWellFormed(svg);
  assert.equal(names.filter((n) => n === "polyline").length, 1);
  const [pts] = polylines(svg, "train");
  assert.equal(pts.length, 5);
  for (const p of pts) assert.match(p, /^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/);
  assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
  assert.doesNotMatch(svg, /class="legend"/, "no legend for a single series");
});

test("linePlotSvg: a NaN splits the series into two polylines; a lone point becomes a circle", () => {
  const svg = linePlotSvg({ series: [{ name: "val", x: epochs, y: [9, 7, NaN, 5.5, 5] }] });
  checkWellFormed(svg);
  assert.deepEqual(polylines(svg, "val").map((p) => p.length), [2, 2]);
  const lone = linePlotSvg({ series: [{ name: "val", x: epochs, y: [9, NaN, 6, 5.5, 5] }] });
  assert.deepEqual(polylines(lone, "val").map((p) => p.length), [3]);
  assert.equal([...lone.matchAll(/<circle data-series="val"/g)].length, 1);
});

test("linePlotSvg: polyline points are the layout's pixel positions of the data", () => {
  const svg = linePlotSvg({ width: 500, height: 300, series: [{ name: "s", x: [0, 10], y: [0, 10] }] });
  const [pts] = polylines(svg, "s");
  const [x0, y0] = pts[0].split(",").map(Number);
  const [x1, y1] = pts[1].split(",").map(Number);
  assert.ok(x1 > x0 && y1 < y0, "up and to the right");
  // 0..10 is exactly the tick domain, so the ends are the plot corners where the first and last ticks sit.
  const yLabel = (label: string): number => Number(svg.match(new RegExp(`<text x="[\\d.]+" y="([\\d.]+)" font-size="10" text-anchor="end" fill="#222222">${label}</text>`))?.[1]);
  assert.ok(Math.abs(yLabel("0") - 3.5 - y0) < 0.01, "label 0 level with the first point");
  assert.ok(Math.abs(yLabel("10") - 3.5 - y1) < 0.01, "label 10 level with the last point");
});

test("linePlotSvg: y ticks for data 0..10 on a 400 px plot are 0, 2, 4, 6, 8, 10", () => {
  const opts = { series: [{ name: "s", x: [0, 1, 2], y: [0, 4, 10] }] };
  const svg = linePlotSvg(opts);
  const yLabels = [...svg.matchAll(/<text [^>]*text-anchor="end"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  assert.deepEqual(yLabels, ["0", "2", "4", "6", "8", "10"]);
  const ticks = svg.match(/<path class="axes" d="([^"]*)"/)?.[1] ?? "";
  // One axis path: the L-shaped axis, then one move per x tick and one per y tick.
  assert.equal((ticks.match(/M/g) ?? []).length, 1 + layoutLinePlot(opts).frame.xTicks.length + yLabels.length);
});

test("linePlotSvg: text is escaped for XML everywhere it appears", () => {
  const nasty = `a<b & "c" 'd'>\u0001`;
  const svg = linePlotSvg({
    title: nasty,
    xLabel: nasty,
    yLabel: nasty,
    series: [
      { name: nasty, x: [0, 1], y: [0, 1] },
      { name: "plain", x: [0, 1], y: [1, 0] },
    ],
  });
  checkWellFormed(svg);
  const escaped = "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;\ufffd";
  assert.equal(escapeXml(nasty), escaped);
  // title element, title text, x label, y label, legend entry, data-series attribute
  assert.equal(svg.split(escaped).length - 1, 6);
  assert.ok(!svg.includes("a<b"));
  assert.ok(!svg.includes("\u0001"));
});

test("escapeXml keeps valid text and surrogate pairs, replaces lone surrogates", () => {
  assert.equal(escapeXml("perplexity ≈ 5 🙂"), "perplexity ≈ 5 🙂");
  assert.equal(escapeXml("x\ud800y"), "x\ufffdy");
  assert.equal(escapeXml("tab\tnewline\n"), "tab\tnewline\n");
});

test("linePlotSvg: a legend with one swatch per series for two or more series", () => {
  const svg = linePlotSvg({
    series: [
      { name: "train", x: epochs, y: [9, 7, 6, 5.5, 5] },
      { name: "val", x: epochs, y: [9.5, 8, 7, 6.8, 6.9], color: "#00aa00" },
    ],
  });
  checkWellFormed(svg);
  const legend = svg.slice(svg.indexOf(`<g class="legend">`));
  assert.equal([...legend.matchAll(/<line /g)].length, 2);
  assert.match(legend, /stroke="#00aa00"/);
  assert.match(legend, />train<\/text>/);
  assert.match(legend, />val<\/text>/);
});

test("linePlotSvg is deterministic", () => {
  const opts = { series: [{ name: "s", x: epochs, y: [3, 1, 4, 1, 5] }] };
  assert.equal(linePlotSvg(opts), linePlotSvg(opts));
});

test("linePlotSvg: bad input throws the layout's errors", () => {
  assert.throws(() => linePlotSvg({ series: [{ name: "s", x: [1, 2], y: [1] }] }), /linePlot: series "s" needs x and y of equal length/);
  assert.throws(() => linePlotSvg({ logY: true, series: [{ name: "loss", x: [1], y: [-1] }] }), /linePlot: logY needs every finite y > 0, but series "loss" has y\[0\] = -1/);
});
