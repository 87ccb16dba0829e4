export type { CliIo } from "./cli/cli-io.js";
export { runCli } from "./cli/main.js";
export { buildConnectors } from "./config/build-connectors.js";
export type { ConnectorEntry, ConnectorFactory } from "./config/connector-registry.js";
export {
  CONNECTOR_REGISTRY,
  createConnectorFrom,
  findConnector,
  visibleConnectors,
} from "./config/connector-registry.js";
export type { SwitchyardConfig } from "./config/switchyard-config.js";
export { ConfigError, loadSwitchyardConfig } from "./config/switchyard-config.js";
export { createConformanceConnector } from "./conformance/conformance-connector.js";
export { advertisedSchema } from "./server/advertised-schema.js";
export type { ServerFactory, ServerFactoryOptions } from "./server/create-server-factory.js";
export { createServerFactory } from "./server/create-server-factory.js";
export type { SelectedTool } from "./server/select-tools.js";
export { selectTools, ToolSelectionError } from "./server/select-tools.js";
export type { ToolErrorContent } from "./server/tool-result.js";
export { errorResult, successResult } from "./server/tool-result.js";
export type { HttpServeOptions, RunningHttpServer } from "./transport/serve-http.js";
export { InsecureBindError, serveHttp } from "./transport/serve-http.js";
export type { RunningStdioServer } from "./transport/serve-stdio.js";
export { serveStdio } from "./transport/serve-stdio.js";
export { SWITCHYARD_MCP_VERSION } from "./version.js";
