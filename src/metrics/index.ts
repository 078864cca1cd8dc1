export { metricsPlugin } from './apolloMetrics';
export { instrumentCommands } from './instrumentCommands';
export { instrumentEventStore } from './instrumentStore';
export { createMetricsServer } from './metricsServer';
export { ANONYMOUS_OPERATION, MAX_OPERATION_LABELS, OTHER_OPERATION, createOperationLabels } from './operationLabel';
export { reportProjections } from './projectionMetrics';
export { countRateLimitRefusal, metricsRegistry } from './registry';
export { serveMetrics } from './serveMetrics';
