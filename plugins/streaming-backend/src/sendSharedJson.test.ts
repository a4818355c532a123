import express from 'express';
import request from 'supertest';
import { sendSharedJson } from './sendSharedJson';

describe('sendSharedJson', () => {
  const large = {
    rows: Array.from({ length: 200 }, (_, i) => ({ name: `pipeline-${i}` })),
  };
  const small = { status: 'ok' };
  let stringified = 0;
  const app = express();
  app.get('/large', (req, res) => sendSharedJson(req, res, large));
  app.get('/small', (req, res) => sendSharedJson(req, res, small));
  app.get('/fresh', (req, res) =>
    sendSharedJson(req, res, {
      toJSON: () => {
        stringified += 1;
        return { n: stringified };
      },
    }),
  );

  it('sends the JSON gzipped once to clients that accept gzip', async () => {
    const res = await request(app)
      .get('/large')
      .set('Accept-Encoding', 'gzip')
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.vary).toMatch(/Accept-Encoding/);
    // superagent has gunzipped it: a body that was not gzip would fail here.
    expect(JSON.parse(res.body.toString())).toEqual(large);
  });

  it('sends plain JSON to other clients and small answers as they are', async () => {
    const plain = await request(app)
      .get('/large')
      .set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toEqual(large);
    const tiny = await request(app)
      .get('/small')
      .set('Accept-Encoding', 'gzip');
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body).toEqual(small);
  });

  it('answers 304 to a matching If-None-Match and keeps one ETag per object', async () => {
    const first = await request(app).get('/large');
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/"/);
    expect((await request(app).get('/large')).headers.etag).toBe(etag);
    const again = await request(app).get('/large').set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(
      (await request(app).get('/large').set('If-None-Match', 'W/"other"'))
        .status,
    ).toBe(200);
    expect((await request(app).get('/small')).headers.etag).not.toBe(etag);
  });

  it('serializes each object once however often it is sent', async () => {
    const shared = {
      toJSON: () => {
        stringified += 1;
        return { n: 1 };
      },
    };
    const app2 = express();
    app2.get('/', (req, res) => sendSharedJson(req, res, shared));
    const before = stringified;
    for (let i = 0; i < 3; i++) {
      expect((await request(app2).get('/')).body).toEqual({ n: 1 });
    }
    expect(stringified - before).toBe(1);
    await request(app).get('/fresh');
    await request(app).get('/fresh');
    expect(stringified - before).toBe(3);
  });
});
