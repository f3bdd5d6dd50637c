// The chat simulator's entry point, bundled for the browser (src/web/bundleClient.ts).
import { startChat } from "./chat.ts";

startChat();
