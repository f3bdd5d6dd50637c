import { createHash, randomBytes } from "node:crypto";

/** Time-ordered ids (UUIDv7) so ids sort by creation. */
export function newId(): string {
  return Bun.randomUUIDv7();
}

/** A short, unguessable, URL-safe secret (device tokens, session ids). */
export function newSecret(bytes = 24): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
