/** Any value JSON can hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object: the shape of every event's data and metadata. */
export type JsonObject = { [key: string]: JsonValue };

/** Whether `value` (parsed JSON, or what a caller passed as such) is an object: not null, not an array. */
export const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
