import { type ServerResponse } from 'node:http';
import { startProjectionReading } from './projectionMetrics';
import { metricsRegistry } from './registry';

/** Answers the metrics in the Prometheus text format. */
export const serveMetrics = async (res: ServerResponse): Promise<void> => {
  startProjectionReading();
  const body = await metricsRegistry.metrics();
  res.writeHead(200, { 'Content-Type': metricsRegistry.contentType, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};
