import type { Notification } from '../../src/notify/notification.js';
import type { RenderEmail, RenderSlack } from '../../src/notify/rendering.js';

/** A minimal notification; only `id`, `status` and `createdAt` matter to the channels. */
export function notification(id: string, overrides: Partial<Notification> = {}): Notification {
  return {
    id,
    receiver: 'checkout-team',
    groupKey: '{}:{slo="checkout-availability"}',
    groupLabels: { slo: 'checkout-availability' },
    status: 'firing',
    alerts: [],
    createdAt: Date.now() / 1000,
    ...overrides,
  };
}

/** A stub renderer: says which notification and status it renders, so tests can tell messages apart. */
export const renderSlack: RenderSlack = (n, threaded) => ({
  message: {
    text: `${n.status}: ${n.groupLabels['slo'] ?? n.groupKey}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${n.status}* ${n.id}` } }],
  },
  reply: threaded ? { text: `now ${n.status} (${n.id})`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `now *${n.status}*` } }] } : null,
});

export const renderEmail: RenderEmail = (n, isReply) => ({
  subject: `${isReply ? 'Re: ' : ''}[${n.status.toUpperCase()}] ${n.groupLabels['slo'] ?? n.groupKey}`,
  text: `${n.status} ${n.id}`,
  html: `<p><b>${n.status}</b> ${n.id}</p>`,
});
