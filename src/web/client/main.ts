// The store client's entry point, bundled for the browser (src/web/bundleClient.ts).
import { startStoreClient } from "./storeClient.ts";

startStoreClient();
