/** The first `shown` of `items` joined with "; ", and how many more there are: one line for a list of problems. */
export function firstFew(items: readonly string[], shown: number): string {
  const more = items.length > shown ? ` (and ${items.length - shown} more)` : '';
  return `${items.slice(0, shown).join('; ')}${more}`;
}
