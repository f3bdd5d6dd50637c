/** What healing repaired, one line per order (or for the day). */
export type HealKind =
  | "day_restored"
  | "paid_restored_to_stream"
  | "move_restored_to_stream"
  | "paid_restored_to_db"
  | "status_restored_to_db"
  | "order_restored_to_db"
  | "order_missing_from_db"
  | "captured_completed"
  | "pickup_counter_raised";

export type Repair = { orderId: string; kind: HealKind; detail: string };
