/**
 * Pages read one ahead: the next page's read is under way while the caller works on this one, so a planner that
 * writes each page of subscribers waits for the reads only once, not once per page.
 *
 * The invariant: the pages come in the source's order, each once, and at most one read is ahead of the caller; a
 * caller that stops early leaves no read unanswered (its outcome, even a failure, is awaited and dropped), and a
 * failed read fails the loop when its page is reached, as it would have without reading ahead.
 */
export async function* readingAhead<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const source = pages[Symbol.asyncIterator]();
  let next = source.next();
  try {
    for (;;) {
      const page = await next;
      if (page.done) return;
      next = source.next();
      yield page.value;
    }
  } finally {
    // Stopped early (a cancellation): settle the read ahead and close the source, quietly.
    await next.then(
      () => source.return?.(),
      () => undefined,
    );
  }
}
