import { type Locator } from 'playwright-core';

/** The text a Monaco editor shows, with its non-breaking spaces and line breaks as single spaces. */
export async function editorText(editor: Locator): Promise<string> {
  return (await editor.locator('.view-lines').innerText()).replace(/\s+/g, ' ').trim();
}

/** The editor's text once `ready` accepts it, or at the timeout (Monaco renders on a later frame). */
export async function editorTextWhen(editor: Locator, ready: (text: string) => boolean, timeout = 15_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await editorText(editor);
    if (ready(text) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
