import { type ChildServer, startChildServer } from "./child-server.js";
import { type RecordedRoute, recordExchanges } from "./recording.js";

/**
 * Records what `exercise` asks of a sandbox upstream, then serves those answers from a minimal node:http
 * server in its own process. Calls against the replay server cost the upstream nothing but writing bytes,
 * so the measured difference between two clients is the clients' own work.
 */
export async function startReplayServer(
  upstreamUrl: string,
  exercise: (url: string) => Promise<void>,
): Promise<{ server: ChildServer; routes: RecordedRoute[]; mountPath: string }> {
  const routes = await recordExchanges(upstreamUrl, exercise);
  const server = await startChildServer(new URL("../servers/replay-server.ts", import.meta.url), { routes });
  return { server, routes, mountPath: new URL(upstreamUrl).pathname.replace(/\/$/, "") };
}
