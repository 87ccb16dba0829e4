import { defineFaultMatrix } from "../faults/define-fault-matrix.js";
import { defineConnectorScenarios } from "./connector-scenarios.js";
import { jiraContract } from "./jira-contract.js";

defineConnectorScenarios(jiraContract);
defineFaultMatrix(jiraContract);
