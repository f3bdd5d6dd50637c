// Scalar's single-file browser bundle, embedded (also in the compiled binary) so /docs works
// offline and under our CSP: the page loads it from /docs/scalar.js, never from a CDN.
// @ts-expect-error: a plain JS bundle without types; `type: "file"` makes it a path string.
import scalarScriptPath from "../../node_modules/@scalar/api-reference/dist/browser/standalone.js" with {
  type: "file",
};

export const scalarScript = () => Bun.file(scalarScriptPath as string);
