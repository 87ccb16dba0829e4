import { defineFaultMatrix } from "../faults/define-fault-matrix.js";
import { defineConnectorScenarios } from "./connector-scenarios.js";
import { postgresContract } from "./postgres-contract.js";

defineConnectorScenarios(postgresContract);
// Through a TCP fault proxy; the HTTP-only faults are reported as not applicable.
defineFaultMatrix(postgresContract);
