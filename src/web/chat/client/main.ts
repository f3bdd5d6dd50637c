// The chat simulator's entry point, bundled for the browser (src/web/bundleClient.ts).
import { chatClient } from "../chatClient.ts";

chatClient();
