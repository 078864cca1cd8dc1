/** A message for the next screen, and the client whose row should have focus there, if any. */
export interface Flash {
  message: string;
  clientId?: string;
}

let pending: Flash | null = null;

/** Leaves a message for the next screen (e.g. "deleted" for the list after a delete). */
export function setFlash(flash: Flash): void {
  pending = flash;
}

/** Takes the message left for this screen, once. */
export function takeFlash(): Flash | null {
  const flash = pending;
  pending = null;
  return flash;
}
