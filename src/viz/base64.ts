/** Base64 (RFC 4648, with padding) for data: URIs, without Node's Buffer or the browser's btoa. */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function base64(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const n = bytes.length - i;
    const v = (bytes[i] << 16) | ((n > 1 ? bytes[i + 1] : 0) << 8) | (n > 2 ? bytes[i + 2] : 0);
    out.push(
      ALPHABET[(v >> 18) & 63],
      ALPHABET[(v >> 12) & 63],
      n > 1 ? ALPHABET[(v >> 6) & 63] : "=",
      n > 2 ? ALPHABET[v & 63] : "=",
    );
  }
  return out.join("");
}
