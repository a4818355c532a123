import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import express from 'express';

interface PreparedBody {
  json: Buffer;
  etag: string;
  gzip?: Promise<Buffer>;
}

const prepared = new WeakMap<object, PreparedBody>();
const gzip = promisify(zlib.gzip);
/** Smaller answers are sent as they are. */
const GZIP_FROM_BYTES = 1024;

/**
 * Sends a JSON answer that many requests share (the same object, such as a
 * cached overview): it is serialized, hashed and gzipped once, then sent as
 * bytes to every request. A request whose `If-None-Match` matches gets 304.
 */
export async function sendSharedJson(
  req: Pick<express.Request, 'acceptsEncodings'>,
  res: express.Response,
  body: object,
): Promise<void> {
  let entry = prepared.get(body);
  if (!entry) {
    const json = Buffer.from(JSON.stringify(body));
    entry = {
      json,
      etag: `W/"${createHash('sha1').update(json).digest('base64url')}"`,
    };
    prepared.set(body, entry);
  }
  res.type('json');
  res.setHeader('ETag', entry.etag);
  if (entry.json.length < GZIP_FROM_BYTES) {
    res.send(entry.json);
    return;
  }
  res.vary('Accept-Encoding');
  if (req.acceptsEncodings('gzip', 'identity') !== 'gzip') {
    res.send(entry.json);
    return;
  }
  entry.gzip ??= gzip(entry.json);
  const data = await entry.gzip;
  res.setHeader('Content-Encoding', 'gzip');
  res.send(data);
}
