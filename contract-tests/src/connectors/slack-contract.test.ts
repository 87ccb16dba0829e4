import { defineFaultMatrix } from "../faults/define-fault-matrix.js";
import { defineConnectorScenarios } from "./connector-scenarios.js";
import { slackContract } from "./slack-contract.js";

defineConnectorScenarios(slackContract);
defineFaultMatrix(slackContract);
