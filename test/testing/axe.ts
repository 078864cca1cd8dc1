import { readFileSync } from 'node:fs';
import type * as Axe from 'axe-core';
import { type Page } from 'playwright-core';

/** axe-core's tags for the success criteria of WCAG 2.1 levels A and AA (2.0's included). */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

/** One rule a page breaks, as a failing assertion should show it: which rule, how bad, where. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** The CSS selectors of the elements that break it, with axe's summary of why. */
  nodes: string[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core in the page as it stands and answers the WCAG 2.1 A and AA violations it finds
 * (an empty list when there is none). The script is evaluated through the DevTools protocol,
 * which a page's Content-Security-Policy does not govern, so a strict page is checked as served.
 */
export async function axeViolations(page: Page, tags: readonly string[] = WCAG_21_AA): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (values) => {
    const axe = (window as unknown as { axe: typeof Axe }).axe;
    const results = await axe.run(document, { runOnly: { type: 'tag', values } });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
    }));
  }, [...tags]);
}
