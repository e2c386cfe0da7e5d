/** The one place that reads the time, so tests can fake it with vi.useFakeTimers(). */
export function now(): Date {
  return new Date();
}

export function nowIso(): string {
  return now().toISOString();
}
