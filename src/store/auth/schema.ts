import { z } from "zod";

export const loginBody = z.object({
  storeId: z.string().min(1).max(100),
  pin: z.string().min(1).max(20),
  deviceToken: z.string().min(1).max(200),
  location: z.object({
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    accuracy: z.number().nonnegative().optional(),
  }),
});

export const loggedIn = z.object({ storeId: z.string(), storeName: z.string() });
