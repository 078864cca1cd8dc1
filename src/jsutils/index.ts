export { isJsonObject, type JsonObject, type JsonValue } from './json';
export { isLoopbackHost } from './loopbackHost';
export { sqliteErrorCode } from './sqliteErrorCode';
export { UUID_PATTERN } from './uuid';
export { sameText } from './sameText';
