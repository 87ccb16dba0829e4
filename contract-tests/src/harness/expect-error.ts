import { ConnectorError, type ErrorCode } from "@switchyard/core";

/**
 * Awaits a call that must fail with a typed ConnectorError (optionally of `code`) and returns the error.
 * Anything else, an untyped throw or a success, fails the test with a readable message.
 */
export async function expectConnectorError(
  promise: Promise<unknown>,
  code?: ErrorCode,
): Promise<ConnectorError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    if (!ConnectorError.isInstance(error)) {
      throw new Error(`Expected a ConnectorError, got an untyped throw: ${String(error)}`, { cause: error });
    }
    if (code !== undefined && error.code !== code) {
      throw new Error(`Expected a ConnectorError "${code}", got "${error.code}": ${error.message}`, {
        cause: error,
      });
    }
    return error;
  }
  throw new Error(
    `Expected the call to fail${code ? ` with "${code}"` : ""}, it succeeded: ${JSON.stringify(outcome)}`,
  );
}
