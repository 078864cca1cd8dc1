export { POSITION_KEY_FILE, type PositionKeyConfig, loadPositionSeal } from './positionKey';
export { type PositionSeal, createPositionSeal } from './positionSeal';
