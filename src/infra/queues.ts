import { Queue } from "bullmq";
import type { Queues } from "../deps.ts";
import type { RedisConnectOptions } from "./embeddedRedis.ts";

export const queueNames = { accounting: "accounting" } as const;

/** BullMQ queues on their own connection, under the environment's key prefix. */
export function createQueues(connection: RedisConnectOptions, prefix: string): Queues {
  const opts = { connection, prefix: `${prefix}:bull` };
  return { accounting: new Queue(queueNames.accounting, opts) };
}

export async function closeQueues(queues: Queues) {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
