/**
 * Element Plus types table slot rows as `DefaultRow` (a loose record), which is not
 * assignable to the schema types. In a column slot: `rowOf<MemberView>(row).name`, or
 * pass `rowOf<Seat>(row)` to a handler.
 */
export function rowOf<T>(row: unknown): T {
  return row as T;
}
