import { Problem } from '#shared/http/problem.ts';

/** The Problem a promise rejects with; any other outcome fails the test. */
export async function problemFrom(promise: Promise<unknown>): Promise<Problem> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  throw new Error('expected a Problem');
}
