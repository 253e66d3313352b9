// Vite's `?raw` imports: the file's text, bundled at build time (the Time Machine, the CO2 series).
declare module "*?raw" {
  const text: string;
  export default text;
}
// Vite's `?url` imports: the address of a file emitted beside the page (the Fashion-MNIST slice).
declare module "*?url" {
  const url: string;
  export default url;
}
// Style sheets imported for their effect (Vite injects them into the page).
declare module "*.css";
