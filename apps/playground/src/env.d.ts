// Vite's `?raw` imports: the file's text, bundled at build time (the Time Machine, the CO2 series).
declare module "*?raw" {
  const text: string;
  export default text;
}
