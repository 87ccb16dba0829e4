import { defineFaultMatrix } from "../faults/define-fault-matrix.js";
import { defineConnectorScenarios } from "./connector-scenarios.js";
import { demoContract } from "./demo-contract.js";

defineConnectorScenarios(demoContract);
defineFaultMatrix(demoContract);
