import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

let sink: SmtpSink;
beforeEach(async () => {
  sink = await startSmtpSink();
});
afterEach(async () => {
  await sink.close();
});

const send = (subject: string) =>
  nodemailer.createTransport({ host: sink.host, port: sink.port, secure: false }).sendMail({ from: 'a@example.org', to: 'b@example.org', subject, text: subject });

describe('SMTP sink', () => {
  it('waitFor fails after its deadline naming what did arrive', async () => {
    await send('one');
    const started = performance.now();

    await expect(sink.waitFor(2, 200)).rejects.toThrow('expected 2 messages within 200ms, got 1: one');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('serves scripted rejections one per message, then accepts', async () => {
    sink.rejectNext(421, 554);

    await expect(send('first')).rejects.toMatchObject({ responseCode: 421 });
    await expect(send('second')).rejects.toMatchObject({ responseCode: 554 });
    await send('third');
    expect((await sink.waitFor(1)).map((m) => m.subject)).toEqual(['third']);
  });

  it('listens on the same port after stop and start', async () => {
    const port = sink.port;
    await sink.stop();
    await expect(send('while down')).rejects.toMatchObject({ code: 'ESOCKET' });
    await sink.start();

    expect(sink.port).toBe(port);
    await send('back');
    expect((await sink.waitFor(1))[0]!.subject).toBe('back');
  });
});
