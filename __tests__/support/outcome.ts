/** Settling a promise that should fail, as a value a test can assert on. */

/** The error `promise` rejects with; a resolved promise becomes an error saying so. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error))
  }
  return new Error('expected a failure, but the promise resolved')
}
