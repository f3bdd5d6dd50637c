import { z } from "zod";

/** Every id in a path (order, day, menu item): what newId() and the seeds produce. */
export const idOf = (what: string) => z.string().regex(/^[A-Za-z0-9-]{1,64}$/, `not a ${what} id`);

export const idParams = (what: string) => z.object({ id: idOf(what) });
