export { parseClientId } from './clientId';
export { parseClientName } from './clientName';
export { LIMITS } from './limits';
export { accept, refuse, violationAt, type FieldRef, type Parsed, type Rule } from './parsed';
export { parseReason } from './reason';
export { parseTag } from './tag';
export { parseTokenLifetime } from './tokenLifetime';
export { codePointLength } from './text';
