import { setupServer } from "msw/node";

/** One MSW server per test file; the fake Secrets Manager is installed per test and reset after each. */
export const server = setupServer();

/** Requests no handler answered (the EC2 metadata probe, a wrong endpoint): setup.ts fails their test. */
export const unhandledRequests: string[] = [];

export function takeUnhandledRequests(): string[] {
  return unhandledRequests.splice(0, unhandledRequests.length);
}
