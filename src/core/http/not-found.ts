import { cxoneWords, NotFoundError } from "./errors.ts";

/**
 * One rule for a 404, in every group: it is CXone's NotFoundError (the CLI exits 2 on it), never
 * re-dressed as another class. `named` runs `work` and, when the thing it named is not there,
 * says which (`campaign C-9 does not exist`) with CXone's answer as the cause.
 */
export async function named<T>(what: string, id: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new NotFoundError(`${what} ${id} does not exist${cxoneWords(error)}`, {
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.method === undefined ? {} : { method: error.method }),
      ...(error.endpoint === undefined ? {} : { endpoint: error.endpoint }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      cause: error,
    });
  }
}
