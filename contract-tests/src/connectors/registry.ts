import type { ContractConnector } from "./contract-connector.js";
import { demoContract } from "./demo-contract.js";
import { githubContract } from "./github-contract.js";
import { jiraContract } from "./jira-contract.js";
import { postgresContract } from "./postgres-contract.js";
import { slackContract } from "./slack-contract.js";

/**
 * Every connector the contract suite covers. Adding one: write `src/connectors/<id>-contract.ts` (a
 * `ContractConnector`), add it here, add `src/connectors/<id>-contract.test.ts` calling
 * `defineConnectorScenarios` (and `defineFaultMatrix` when it has an HTTP fake), and run `pnpm --filter @switchyard/contract-tests snapshots:update` once.
 */
export const CONTRACT_CONNECTORS: readonly ContractConnector[] = [
  demoContract,
  githubContract,
  slackContract,
  jiraContract,
  postgresContract,
];

export function contractConnector(id: string): ContractConnector {
  const found = CONTRACT_CONNECTORS.find((connector) => connector.id === id);
  if (!found)
    throw new Error(
      `No contract connector "${id}" (have ${CONTRACT_CONNECTORS.map((c) => c.id).join(", ")}).`,
    );
  return found;
}
