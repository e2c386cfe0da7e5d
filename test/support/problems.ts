import { problemFor, type Problem } from '#shared/http/problem.ts';

/** The Problem a promise rejects with (a domain error as the problem it is answered with); any other outcome fails the test. */
export async function problemFrom(promise: Promise<unknown>): Promise<Problem> {
  try {
    await promise;
  } catch (error) {
    const problem = problemFor(error);
    if (problem) return problem;
    throw error;
  }
  throw new Error('expected a Problem');
}
