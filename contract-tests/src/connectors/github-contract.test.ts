import { defineFaultMatrix } from "../faults/define-fault-matrix.js";
import { defineConnectorScenarios } from "./connector-scenarios.js";
import { githubContract } from "./github-contract.js";

defineConnectorScenarios(githubContract);
defineFaultMatrix(githubContract);
