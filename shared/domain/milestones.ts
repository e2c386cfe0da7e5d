const roundNumbers = [1_000, 10_000, 100_000, 1_000_000];
const goalShares = [25, 50, 75, 100];

export interface Milestone {
  threshold: number;
  kind: 'goal-share' | 'round-number';
  goalPercent?: number;
}

/** The thresholds a campaign's total passes when it moves from `before` to `after` (upwards only). */
export function milestonesCrossed(before: number, after: number, goal: number | undefined): Milestone[] {
  const all = new Map<number, Milestone>();
  for (const threshold of roundNumbers) all.set(threshold, { threshold, kind: 'round-number' });
  if (goal) {
    // A goal share wins over a round number at the same threshold: it says more.
    for (const percent of goalShares) {
      const threshold = Math.ceil((goal * percent) / 100);
      if (threshold > 0) all.set(threshold, { threshold, kind: 'goal-share', goalPercent: percent });
    }
  }
  return [...all.values()].filter((m) => before < m.threshold && m.threshold <= after).sort((a, b) => a.threshold - b.threshold);
}
