/** Stylesheets imported `with { type: "text" }` (./styles.ts). */
declare module "*.css" {
  const text: string;
  export default text;
}
