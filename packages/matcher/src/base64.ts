const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

interface NodeBuffer {
  from(data: ArrayBuffer, byteOffset: number, length: number): { toString(encoding: "base64"): string; write(s: string, encoding: "base64"): number };
}
const NodeBuffer: NodeBuffer | undefined = (globalThis as { Buffer?: NodeBuffer }).Buffer;

/** Standard padded base64 (RFC 4648 §4) of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  if (NodeBuffer !== undefined) return NodeBuffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
  }
  if (i + 1 === bytes.length) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + "==";
  } else if (i + 2 === bytes.length) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + "=";
  }
  return out;
}

/** Decodes standard padded base64 into a fresh, 4-byte-aligned Uint8Array; throws on anything else. */
export function fromBase64(s: string): Uint8Array {
  if (typeof s !== "string" || s.length % 4 !== 0 || !BASE64.test(s)) throw new Error("fromBase64: not standard padded base64");
  const padding = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - padding);
  if (NodeBuffer !== undefined) {
    NodeBuffer.from(out.buffer, 0, out.length).write(s, "base64");
    return out;
  }
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const n = (ALPHABET.indexOf(s[i]!) << 18) | (ALPHABET.indexOf(s[i + 1]!) << 12) | ((ALPHABET.indexOf(s[i + 2]!) & 63) << 6) | (ALPHABET.indexOf(s[i + 3]!) & 63);
    if (o < out.length) out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
