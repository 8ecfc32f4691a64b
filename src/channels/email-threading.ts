/**
 * A notification's Message-ID: `<id@domain>`, the same for every send of one notification, so a resend after an
 * uncertain failure collapses into one message in mail clients. Characters not allowed in an RFC 5322 id-left are
 * written as `%XX`, which keeps distinct ids distinct.
 */
export function notificationMessageId(id: string, domain: string): string {
  const local = [...id].map((c) => (/^[A-Za-z0-9!#$&'*+/=?^_`{|}~.-]$/.test(c) ? c : encode(c))).join('');
  return `<${local.replace(/^\.|\.$/g, '%2E').replace(/\.\./g, '.%2E')}@${domain}>`;
}

/** The Message-ID domain: configured, else the sender's own domain. */
export function messageIdDomain(from: string, configured?: string): string {
  if (configured) return configured;
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const domain = address.split('@')[1]?.trim();
  return domain && domain !== '' ? domain : 'burnrate.invalid';
}

/** The incident's email thread after sending `messageId`: the first message is its root, each one joins its references. */
export function nextEmailThread(previous: { rootMessageId: string; references: readonly string[] } | undefined, messageId: string): { rootMessageId: string; references: string[] } {
  return previous ? { rootMessageId: previous.rootMessageId, references: [...previous.references, messageId] } : { rootMessageId: messageId, references: [messageId] };
}

/** `In-Reply-To` and `References` that put a message in the thread of `root`. */
export function threadHeaders(root: string, references: readonly string[]): { inReplyTo: string; references: string[] } {
  const rootId = bracket(root);
  const chain = references.map(bracket).filter((ref) => ref !== rootId);
  return { inReplyTo: rootId, references: [...new Set(chain), rootId] };
}

function bracket(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '');
  return `<${bare}>`;
}

function encode(c: string): string {
  return [...Buffer.from(c, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}
