/**
 * The element ids of the chat simulator (src/web/chat/ChatPage.tsx): the page renders them and
 * the browser code looks them up by these names, so renaming an id is one edit here and a misspelt one fails the type check.
 */
export const chatPageIds = {
  reset: "reset",
  userKey: "user-key",
  samples: "samples",
  jsonToggle: "json-toggle",
  log: "log",
  jsonPanel: "json-panel",
  jsonClose: "json-close",
  jsonUrl: "json-url",
  jsonReq: "json-req",
  jsonRes: "json-res",
  composer: "composer",
  text: "text",
  send: "send",
} as const;

export type ChatPageId = (typeof chatPageIds)[keyof typeof chatPageIds];
