import type { CallMetadata } from "../connector/call-metadata.js";
import type { ErrorCode } from "../errors/error-codes.js";

/** Events a call emits, for logging and metering. Every string in them is redacted before delivery. */
export type CallEvent =
  | {
      readonly type: "call.start";
      readonly connector: string;
      readonly tool: string;
      readonly tenant: string;
      readonly callId: string;
    }
  | {
      readonly type: "call.retry";
      readonly connector: string;
      readonly tool: string;
      readonly tenant: string;
      readonly callId: string;
      readonly attempt: number;
      readonly code: ErrorCode;
      readonly delayMs: number;
    }
  | {
      readonly type: "call.credential_refreshed";
      readonly connector: string;
      readonly tool: string;
      readonly tenant: string;
      readonly callId: string;
    }
  | {
      readonly type: "call.end";
      readonly connector: string;
      readonly tool: string;
      readonly tenant: string;
      readonly callId: string;
      /** `ok`, or the error code the call failed with. */
      readonly outcome: "ok" | ErrorCode;
      readonly metadata: CallMetadata;
      readonly error?: { readonly code: ErrorCode; readonly message: string; readonly retryable: boolean };
    };

export type CallEventListener = (event: CallEvent) => void;
