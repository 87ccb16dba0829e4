import { installNetworkGuard, removeNetworkGuard } from "@switchyard/core/testing";
import { afterAll, afterEach } from "vitest";
import {
  endRecording,
  recordModeRequested,
  runScrubber,
  startRecorder,
  stopRecorder,
  takeExchanges,
  toRecordings,
  writeRecordings,
} from "../recording/recorder.js";
import { installLiveNetworkGuard, removeLiveNetworkGuard } from "./live-network-guard.js";
import { server } from "./msw-server.js";
import { assertSandboxIntact } from "./sandbox-check.js";
import { contractTarget } from "./target.js";
import {
  installUnhandledRejectionTracking,
  removeUnhandledRejectionTracking,
} from "./unhandled-rejections.js";

// Runs in every test file before the file's own modules are imported. An invalid CONTRACT_TARGET fails here.
//
//   mock     core's network guard (loopback only) + MSW intercepting every request (unhandled = error)
//   sandbox  core's network guard (loopback only), MSW off: scenarios talk real HTTP to startSandbox()
//   live     a guard that allows loopback plus the hosts of the connectors whose credentials are set, MSW off;
//            CONTRACT_RECORD=1 records what the scenarios saw (scrubbed) into recordings/
const target = contractTarget();

installUnhandledRejectionTracking();
// The AWS SDK's default credential chain would otherwise probe EC2 instance metadata (169.254.169.254).
process.env.AWS_EC2_METADATA_DISABLED = "true";

let recording = false;
if (target === "live") {
  // Loaded only here: the registry imports every connector package.
  const [{ CONTRACT_CONNECTORS }, { planLive }] = await Promise.all([
    import("../connectors/registry.js"),
    import("./live-env.js"),
  ]);
  const plan = planLive(CONTRACT_CONNECTORS, process.env);
  installLiveNetworkGuard({ hosts: plan.hosts });
  if (plan.usesAwsSecrets) {
    const { registerAwsSecretsResolver } = await import("@switchyard/aws-secrets");
    registerAwsSecretsResolver();
  }
  if (recordModeRequested()) {
    startRecorder();
    recording = true;
  }
} else {
  installNetworkGuard();
}

// Started at module load, not in beforeAll: clients built at the top of a test module (Slack's WebClient
// captures fetch in its constructor) must already see MSW's fetch.
if (target === "mock") server.listen({ onUnhandledRequest: "error" });

afterEach(() => {
  if (target === "mock") server.resetHandlers();
  endRecording();
  // A real connection attempt (to a host not allowed for the target), or a request MSW did not handle, fails
  // the test that made it.
  assertSandboxIntact(target);
});

afterAll(async () => {
  if (recording) {
    const exchanges = await takeExchanges();
    writeRecordings(toRecordings(exchanges, runScrubber, new Date().toISOString()));
    stopRecorder();
  }
  if (target === "mock") server.close();
  if (target === "live") removeLiveNetworkGuard();
  else removeNetworkGuard();
  removeUnhandledRejectionTracking();
  // Last: whatever hooks and module loading tried (a file whose tests were all skipped runs no afterEach).
  assertSandboxIntact(target);
});
