import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** WCAG 2.1 A and AA, plus axe's best practices (unique landmarks, one main…). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']

/**
 * axe-core's violations on the page as it is now, one line each (`rule: selector, …`), so that
 * a failing assertion says what and where. Open shadow roots are checked too. The page's
 * context needs `bypassCSP: true` when the page has a Content-Security-Policy, as axe is
 * injected inline.
 *
 * @example
 * expect(await axeViolations(page)).toEqual([])
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource })
  // Colours are measured as shown: a toast fading in is not yet at its contrast. Endless
  // animations (the reconnecting dot) never settle and are left alone.
  await page.evaluate(async () => {
    // A frame first, so that animations of elements just added have started.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    // Every element's own, inside shadow roots too (the document's list leaves those out).
    const animations: Animation[] = []
    const visit = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        animations.push(...el.getAnimations())
        if (el.shadowRoot) visit(el.shadowRoot)
      }
    }
    visit(document)
    const settling = animations.filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
    await Promise.all(settling.map((a) => a.finished.catch(() => undefined)))
  })

  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<AxeResults> } }).axe
    interface AxeResults {
      violations: { id: string; nodes: { target: unknown[]; failureSummary?: string }[] }[]
    }
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return results.violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`,
    )
  }, TAGS)
  return violations
}
