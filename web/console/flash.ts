let pending: string | null = null;

/** Leaves a message for the next screen (e.g. "deleted" for the list after a delete). */
export function setFlash(message: string): void {
  pending = message;
}

/** Takes the message left for this screen, once. */
export function takeFlash(): string | null {
  const message = pending;
  pending = null;
  return message;
}
