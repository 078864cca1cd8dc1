export { isJsonObject, type JsonObject, type JsonValue } from './json';
export { isLoopbackHost } from './loopbackHost';
export { UUID_PATTERN } from './uuid';
