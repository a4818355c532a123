// The Create form's fields proposed from a topic: a topic with a registry
// subject (Avro, on the real registry) and a JSON topic without one (sampled
// from the real broker) fill the Kafka to Delta template's schema rows; the
// registry proposal can also be read with, which Next refuses while Message
// format is not the subject's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import type { Browser } from 'playwright-core';
import { launch, openApp, screenshot } from '../lib/browser.mts';

const root = resolve(import.meta.dirname, '../..');
const suffix = randomBytes(3).toString('hex');
const avroTopic = `e2e-payments-${suffix}`;
const jsonTopic = `e2e.clicks.${suffix}`;
const kafka = new Kafka({
  brokers: ['127.0.0.1:9092'],
  clientId: 'e2e-schema-fields',
  logLevel: logLevel.NOTHING,
});
let registryUrl: string;
let browser: Browser;

before(async () => {
  execFileSync(resolve(root, 'scripts/registry.sh'), ['start'], {
    stdio: 'ignore',
  });
  registryUrl = execFileSync(resolve(root, 'scripts/registry.sh'), ['address'])
    .toString()
    .trim();
  const registered = await fetch(
    `${registryUrl}/subjects/${avroTopic}-value/versions`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({
        schema: JSON.stringify({
          type: 'record',
          name: 'Payment',
          fields: [
            { name: 'payment_id', type: 'string' },
            { name: 'amount', type: ['null', 'double'], default: null },
            {
              name: 'paid_at',
              type: { type: 'long', logicalType: 'timestamp-millis' },
            },
          ],
        }),
      }),
    },
  );
  assert.equal(registered.status, 200);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: jsonTopic, numPartitions: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: jsonTopic,
    messages: Array.from({ length: 20 }, (_, i) => ({
      value: JSON.stringify({
        click_id: i,
        url: `/p/${i}`,
        at: '2026-11-29T10:00:00Z',
        ...(i % 2 ? { referrer: 'search' } : {}),
      }),
    })),
  });
  await producer.disconnect();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await fetch(`${registryUrl}/subjects/${avroTopic}-value`, {
    method: 'DELETE',
  }).catch(() => undefined);
  await fetch(`${registryUrl}/subjects/${avroTopic}-value?permanent=true`, {
    method: 'DELETE',
  }).catch(() => undefined);
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [jsonTopic] }).catch(() => undefined);
  await admin.disconnect();
});

test('Kafka to Delta: the schema rows are filled from a registry subject and from a sampled JSON topic', async () => {
  const page = await openApp(
    browser,
    '/create/templates/default/kafka-to-delta',
  );
  await page
    .getByRole('textbox', { name: /^Name/ })
    .fill(`e2e-fields-${suffix}`);
  const owner = page
    .getByRole('combobox', { name: /^Owner/ })
    .or(page.getByRole('textbox', { name: /^Owner/ }));
  await owner.first().fill('team-commerce');
  await page
    .getByRole('option', { name: /team-commerce/ })
    .first()
    .click();
  await page.getByRole('button', { name: /^(Next|Review)$/ }).click();

  const topic = page
    .getByRole('combobox', { name: /^Topic/ })
    .or(page.getByRole('textbox', { name: /^Topic/ }))
    .first();
  const names = () =>
    page
      .getByRole('group', { name: /^field \d+$/ })
      .getByRole('textbox', { name: /^Field/ })
      .evaluateAll(inputs =>
        inputs.map(input => (input as HTMLInputElement).value),
      );

  await topic.fill(avroTopic);
  // Close the picker's list of the cluster's topics.
  await topic.press('Escape');
  await page
    .getByText(
      `Subject ${avroTopic}-value v1 of schema registry local (avro): payment_id, amount, paid_at`,
    )
    .waitFor({ timeout: 60_000 });
  await screenshot(page, 'schema-fields-1-registry-proposal');
  await page.getByRole('radio', { name: 'Copy the fields' }).check();
  assert.deepEqual(await names(), ['payment_id', 'amount', 'paid_at']);
  await screenshot(page, 'schema-fields-2-registry-filled');

  // Reading with the subject: its fields stay, read-only, and Next waits for
  // Message format to be the subject's (avro; the form's default is json).
  await page
    .getByRole('radio', {
      name: `Read with subject ${avroTopic}-value of registry local (version 1, pinned)`,
    })
    .check();
  assert.deepEqual(await names(), ['payment_id', 'amount', 'paid_at']);
  assert.equal(
    await page
      .getByRole('group', { name: 'field 1' })
      .getByRole('textbox', { name: /^Field/ })
      .isDisabled(),
    true,
  );
  await page.getByRole('button', { name: /^(Next|Review)$/ }).click();
  await page
    .getByText(
      `Subject ${avroTopic}-value of registry local holds avro records but Message format is json`,
    )
    .first()
    .waitFor();
  assert.equal(await topic.isVisible(), true, 'Next stays on the Source page');
  await screenshot(page, 'schema-fields-3-subject-format-refused');

  await topic.fill(jsonTopic);
  await topic.press('Escape');
  // The subject chosen is not the new topic's: edit fields instead.
  await page.getByRole('button', { name: 'Edit the fields instead' }).click();
  await page
    .getByText(
      `20 recent messages of ${jsonTopic}, read as JSON: click_id, url, at, referrer`,
    )
    .waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Use these fields' }).click();
  assert.deepEqual(await names(), ['click_id', 'url', 'at', 'referrer']);
  await screenshot(page, 'schema-fields-4-sample-filled');
  await page.close();
});
