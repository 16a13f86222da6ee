/**
 * Merges lists that are each sorted by `id` into one sorted list of at most `limit` items.
 * Reading each audience through its own index and merging here bounds the work by
 * `audiences × limit` rows, where one SQL `ORDER BY` over all audiences would sort every match.
 *
 * @example
 * mergeById([[{ id: 1 }, { id: 3 }], [{ id: 2 }]], 'asc', 2) // [{ id: 1 }, { id: 2 }]
 */
export function mergeById<T extends { id: number }>(lists: readonly T[][], order: 'asc' | 'desc', limit: number): T[] {
  const all = lists.flat()
  all.sort((a, b) => a.id - b.id)
  if (order === 'desc') all.reverse()
  return all.slice(0, limit)
}
