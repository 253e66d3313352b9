/**
 * PNG plots rendered by resvg (Node only; reached from `recurrent/node`, never from the browser
 * entry). resvg draws the plot's own SVG: anti-aliased lines and real type, with DejaVu Sans
 * from the `@fontsource/dejavu-sans` package, so the PNG looks like the SVG on every machine
 * (system fonts are not consulted). Both packages are optional dependencies: where either is
 * missing, or its native binary does not load, `useResvgForPng()` returns false and plots keep
 * the bitmap renderer.
 */
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { writeFileAtomicSync } from "../io/atomic.js";
import { crc32 } from "./crc32.js";
import { registerSvgRasterizer, type SvgToPng } from "./rasterizer.js";
import { woffToSfnt } from "./woff.js";

/** The family the SVGs name first (svg-frame.ts), and the face the font package provides. */
const FAMILY = "DejaVu Sans";
const FONT_PACKAGE = "@fontsource/dejavu-sans";
const FONT_FILE = "files/dejavu-sans-latin-400-normal.woff";

/** The part of @resvg/resvg-js used here. */
interface ResvgModule {
  Resvg: new (svg: string, options: object) => { render(): { asPng(): Uint8Array } };
}

function isResvgModule(m: unknown): m is ResvgModule {
  return typeof m === "object" && m !== null && "Resvg" in m && typeof m.Resvg === "function";
}

const require = createRequire(import.meta.url);

/**
 * The font as a TTF file path. resvg reads TTF/OTF files only, and the package ships WOFF, so
 * the tables are inflated once into a file in the temporary folder named by the WOFF's CRC-32
 * (one per user, reused by later processes; written atomically, so concurrent runs agree).
 */
function fontPath(): string | null {
  let woffPath: string;
  try {
    // The package's exports map only its CSS; its folder is where that resolves.
    woffPath = join(dirname(require.resolve(FONT_PACKAGE)), FONT_FILE);
  } catch {
    return null;
  }
  if (!existsSync(woffPath)) return null;
  const woff = new Uint8Array(readFileSync(woffPath));
  let user = "user";
  try {
    user = String(userInfo().uid);
  } catch {
    // No user database entry (some containers): one shared folder is fine, the file is read-only data.
  }
  const dir = join(tmpdir(), `recurrent-fonts-${user}`);
  const ttf = join(dir, `dejavu-sans-${crc32(woff, 0, woff.length).toString(16).padStart(8, "0")}.ttf`);
  if (!existsSync(ttf)) {
    mkdirSync(dir, { recursive: true });
    writeFileAtomicSync(ttf, woffToSfnt(woff));
  }
  return ttf;
}

/**
 * An SVG -> PNG renderer backed by resvg and the bundled DejaVu Sans, or null when the optional
 * packages are not installed (or resvg's native binary is missing for this platform).
 */
export function createResvgRasterizer(): SvgToPng | null {
  let mod: unknown;
  try {
    mod = require("@resvg/resvg-js");
  } catch {
    return null;
  }
  if (!isResvgModule(mod)) return null;
  const font = fontPath();
  if (font === null) return null;
  const { Resvg } = mod;
  const options = {
    font: { loadSystemFonts: false, fontFiles: [font], defaultFontFamily: FAMILY, sansSerifFamily: FAMILY },
    // Crisp edges would undo the anti-aliasing this renderer is here for.
    shapeRendering: 2,
    textRendering: 1,
    logLevel: "off",
  };
  return (svg: string) => {
    const png = new Resvg(svg, options).render().asPng();
    return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
  };
}

/**
 * Makes `linePlotPng` and `heatmapPng` render through resvg from now on. Returns true when resvg
 * is available, false when plots stay with the bitmap renderer. `recurrent/node` calls it on load.
 */
export function useResvgForPng(): boolean {
  const render = createResvgRasterizer();
  if (render === null) return false;
  registerSvgRasterizer(render);
  return true;
}
