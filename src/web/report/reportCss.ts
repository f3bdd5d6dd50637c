import { staticAsset } from "../staticAsset.ts";
import { styles } from "../styles/styles.ts";
import { DAYS_PATH } from "./format.ts";

/** The report pages' stylesheet (../styles/report.css), served at /days/report.css. */
export const reportCss = staticAsset(
  `${DAYS_PATH}/report.css`,
  styles.report,
  "text/css; charset=utf-8",
);
