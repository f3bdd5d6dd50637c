import { styles } from "../styles/styles.ts";

/** The chat simulator's stylesheet (../styles/chat.css), served at /dev/chat/assets/chat.css. */
export const chatCss = styles.chat;
