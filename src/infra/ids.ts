import { createHash, randomBytes } from "node:crypto";

/** Time-ordered ids (UUIDv7) so ids sort by creation. */
export function newId(): string {
  return Bun.randomUUIDv7();
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * An unguessable secret of letters and digits (device tokens, session ids): ~190 bits at the
 * default length, and nothing a shell or a flag parser reads specially (no leading "-").
 */
export function newSecret(length = 32): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      // 248 = 4 × 62: rejecting the rest keeps every character equally likely.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
