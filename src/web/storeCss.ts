import { styles } from "./styles/styles.ts";

/** The store client's stylesheet (./styles/store.css), served at /assets/store.css. */
export const storeCss = styles.store;
