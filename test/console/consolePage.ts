/** The sign-in configuration a console page carries in `<meta name="console-config">`, read back as a browser would. */
export function consoleConfigIn(html: string): unknown {
  const content = /<meta name="console-config" content="([^"]*)">/.exec(html)?.[1];
  if (content === undefined) throw new Error(`no console-config meta in the page: ${html}`);
  return JSON.parse(content.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}
