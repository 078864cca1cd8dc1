import { type Page } from 'playwright-core';

/** A colour as CSS computes it, `rgb(r, g, b)` or `rgba(r, g, b, a)`, as [r, g, b, a]. */
export function parseRgb(color: string): [number, number, number, number] {
  const parts = /^rgba?\(([^)]+)\)$/.exec(color.trim())?.[1]?.split(/[\s,/]+/).filter(Boolean).map(Number);
  if (!parts || parts.length < 3 || parts.some(Number.isNaN)) throw new Error(`not an rgb() colour: ${color}`);
  return [parts[0], parts[1], parts[2], parts[3] ?? 1];
}

const linear = (channel: number) => {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};

/** WCAG 2.1's relative luminance of an opaque colour. */
const luminance = ([r, g, b]: readonly number[]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);

/** WCAG 2.1's contrast ratio of two opaque CSS colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [luminance(parseRgb(a)), luminance(parseRgb(b))].sort((x, y) => y - x);
  return (lighter + 0.05) / (darker + 0.05);
}

/** The focused element's outline, and the opaque surfaces just outside it, where the ring is drawn. */
export interface FocusRing {
  element: string;
  style: string;
  width: number;
  color: string;
  /** The background colour under the middle of each side of the ring. */
  surfaces: string[];
}

/**
 * Measures the focus ring of the element that has focus: its computed outline, and what is under
 * the ring (the first opaque background at the middle of each of its four sides, found with
 * `elementsFromPoint`, so a link over the header is measured against the header).
 */
export async function focusRing(page: Page): Promise<FocusRing> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement;
    const style = getComputedStyle(element);
    const width = parseFloat(style.outlineWidth) || 0;
    const outside = Math.max(0, parseFloat(style.outlineOffset) || 0) + width / 2;
    const box = element.getBoundingClientRect();
    const points: [number, number][] = [
      [box.left - outside, box.top + box.height / 2],
      [box.right + outside, box.top + box.height / 2],
      [box.left + box.width / 2, box.top - outside],
      [box.left + box.width / 2, box.bottom + outside],
    ];
    const opaqueBehind = (x: number, y: number) => {
      const under = document.elementsFromPoint(x, y).find((candidate) => candidate !== element && !element.contains(candidate));
      for (let at: Element | null = under ?? document.documentElement; at; at = at.parentElement) {
        const background = getComputedStyle(at).backgroundColor;
        if (!/rgba\(.*,\s*0\)$/.test(background) && background !== 'transparent') return background;
      }
      return getComputedStyle(document.documentElement).backgroundColor;
    };
    const label = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 40) ?? '';
    return {
      element: `${element.tagName.toLowerCase()} "${label}"`,
      style: style.outlineStyle,
      width,
      color: style.outlineColor,
      surfaces: points.map(([x, y]) => opaqueBehind(x, y)),
    };
  });
}
