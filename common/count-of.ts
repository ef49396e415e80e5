/** "1 frame", "2 frames": a count with its noun, singular or plural. */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
