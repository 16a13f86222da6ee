import { html, nothing, type TemplateResult } from 'lit'
import { NOTIFICATION_LEVELS, type NotificationLevel, type NotifyRequest } from '../../shared/index.js'
import type { DashboardStrings } from './dashboard-strings.js'

/** What the last publication answered, as shown under the form. */
export interface PublishOutcome {
  ok: boolean
  text: string
}

/** The `POST /notify` body the form describes: a target only when one is named. */
export function notifyRequestOf(data: FormData): NotifyRequest {
  const field = (name: string) => String(data.get(name) ?? '').trim()
  const request: NotifyRequest = { title: field('title'), level: field('level') as NotificationLevel }
  if (field('body')) request.body = field('body')
  const target = field('target')
  if ((target === 'topic' || target === 'user') && field('to')) request[target] = field('to')
  return request
}

/**
 * Publishes what the form says, with the operator's key, as any publisher would.
 *
 * @example
 * const outcome = await publish(hubUrl, key, notifyRequestOf(new FormData(form)), strings)
 */
export async function publish(hubUrl: string, key: string, request: NotifyRequest, t: DashboardStrings): Promise<PublishOutcome> {
  try {
    const res = await fetch(`${hubUrl}/notify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    })
    const answer = (await res.json()) as { id?: string; error?: { message: string } }
    return res.ok ? { ok: true, text: t.published(answer.id ?? '') } : { ok: false, text: answer.error?.message ?? String(res.status) }
  } catch {
    return { ok: false, text: t.unreachable }
  }
}

/** The publishing section: the form, then the outcome of the last submission. */
export function publishForm(t: DashboardStrings, onSubmit: (event: SubmitEvent) => void, outcome: PublishOutcome | undefined): TemplateResult {
  return html`<section aria-labelledby="publish-title">
    <h2 id="publish-title">${t.publish}</h2>
    <form class="publish" @submit=${onSubmit}>
      <label class="wide">${t.titleField} <input name="title" required maxlength="200" /></label>
      <label class="wide">${t.bodyField} <input name="body" maxlength="2000" /></label>
      <label
        >${t.levelField}
        <select name="level">
          ${NOTIFICATION_LEVELS.map((level) => html`<option value=${level}>${t.levels[level]}</option>`)}
        </select></label
      >
      <label
        >${t.targetField}
        <select name="target">
          <option value="everyone">${t.everyone}</option>
          <option value="topic">${t.topic}</option>
          <option value="user">${t.user}</option>
        </select></label
      >
      <label>${t.topic} / ${t.user} <input name="to" maxlength="64" /></label>
      <button type="submit">${t.send}</button>
    </form>
    ${outcome
      ? html`<p role="status" class=${outcome.ok ? 'muted' : ''} data-published=${outcome.ok}>${outcome.text}</p>`
      : nothing}
  </section>`
}
