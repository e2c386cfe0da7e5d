/** The most slot times any window of `lengthMs` holds, wherever it starts (not only on whole seconds). */
export function mostInAnyWindow(times: readonly number[], lengthMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! < sorted[i]! - lengthMs + 1) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
