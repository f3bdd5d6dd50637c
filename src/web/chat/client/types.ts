/** The skill response 2.0 as the chat simulator reads it, and the conversation it keeps. */
export type Extra = Record<string, unknown>;
export type Link = { web?: string; mobile?: string; pc?: string };
export type Button = {
  label: string;
  action: string;
  messageText?: string;
  blockId?: string;
  webLinkUrl?: string;
  phoneNumber?: string;
  extra?: Extra;
};
export type QuickReply = Button;
export type Thumbnail = { imageUrl: string; altText?: string; link?: Link; fixedRatio?: boolean };
export type ListItem = {
  title: string;
  description?: string;
  imageUrl?: string;
  link?: Link;
  action?: string;
  messageText?: string;
  blockId?: string;
  extra?: Extra;
};
export type Card = {
  title?: string;
  description?: string;
  thumbnail?: Thumbnail;
  thumbnails?: Thumbnail[];
  buttons?: Button[];
  buttonLayout?: string;
  header?: { title: string };
  items?: ListItem[];
  price?: number;
  discount?: number;
  discountRate?: number;
  discountedPrice?: number;
  profile?: { nickname: string; imageUrl?: string };
};
export type CarouselHeader = {
  title: string;
  description: string;
  thumbnail: { imageUrl: string };
};
export type Output = Record<string, unknown>;
export type SkillResponse = {
  version?: string;
  template?: { outputs?: Output[]; quickReplies?: QuickReply[] };
};
export type Entry =
  | { kind: "user"; text: string; at: number }
  | { kind: "bot"; res: SkillResponse; at: number; event?: string }
  | { kind: "note"; text: string; at: number; tone?: "error"; quickReplies?: QuickReply[] };
export type Route = { block: string; name: string; path: string; exact: boolean };
export type Message = { text: string; extra?: Extra; blockId?: string };
export type EventMessage = { id: string; at: string; name: string; res: SkillResponse };
