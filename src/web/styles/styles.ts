import chat from "./chat.css" with { type: "text" };
import report from "./report.css" with { type: "text" };
import store from "./store.css" with { type: "text" };
import tokens from "./tokens.css" with { type: "text" };

/** Each page's stylesheet, the shared design tokens first; embedded in the binary as text. */
export const styles = {
  store: `${tokens}\n${store}`,
  report: `${tokens}\n${report}`,
  chat: `${tokens}\n${chat}`,
};
