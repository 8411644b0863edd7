import jpeg from 'jpeg-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Server, startServer } from '../src/index';
import { type Answer, blackPng, expectClose, digitPicture, post, postJson, rgbaPng } from './helpers';
import { testDigits, trainedModelDir } from './model-fixture';

let server: Server;
let url: string;
let baseline: number;
const digits = testDigits(20);

beforeAll(async () => {
  server = await startServer({ model: await trainedModelDir(), port: 0, bodyLimit: 1024 * 1024 });
  url = server.url;
  baseline = (await server.engine.memory()).numTensors;
});
// Every request, answered or refused, leaves the inference thread with the tensors it had.
afterEach(async () => {
  const now = await server.engine.memory();
  expect(now.numTensors).toBe(baseline);
});
afterAll(async () => {
  await server?.close();
});

describe('POST /predict with JSON pixels', () => {
  it('labels real MNIST test digits (bytes, flat) and answers probabilities, class names and time', async () => {
    let correct = 0;
    for (const [i, img] of digits.images.entries()) {
      const { status, json } = await postJson(`${url}/predict`, { pixels: Array.from(img) });
      expect(status).toBe(200);
      expect(json.probabilities).toHaveLength(10);
      expect(json.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 4);
      expect(json.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      expect(json.className).toBe(String(json.label));
      expect(json.ms).toBeGreaterThan(0);
      if (json.label === digits.labels[i]) correct++;
    }
    expect(correct).toBeGreaterThanOrEqual(18);
  });

  it('takes 28 rows of 28 values in [0, 1] with the same answer as flat bytes', async () => {
    const img = digits.images[0] as Uint8Array;
    const rows = Array.from({ length: 28 }, (_, r) => Array.from(img.subarray(r * 28, r * 28 + 28), (v) => v / 255));
    const a = await postJson(`${url}/predict`, { pixels: rows });
    const b = await postJson(`${url}/predict`, { pixels: Array.from(img) });
    expect(a.status).toBe(200);
    expect(a.json.label).toBe(digits.labels[0]);
    expectClose(a.json.probabilities, b.json.probabilities);
  });
});

describe('POST /predict with an image', () => {
  it('reads a PNG of another size, dark ink on white, off-centre: inverts, crops, fits and centres it', async () => {
    const img = digits.images[1] as Uint8Array;
    const w = 150;
    const h = 90;
    const png = rgbaPng(digitPicture(img, { width: w, height: h, x: 70, y: 5, side: 80, dark: true }), w, h);
    const { status, json } = await post(`${url}/predict`, png, 'image/png');
    expect(status).toBe(200);
    expect(json.label).toBe(digits.labels[1]);
    expect(json.inverted).toBe(true);
    expect(json.input).toHaveLength(784);
    expect(Math.max(...json.input)).toBe(1);
    expect(json.box.x).toBeGreaterThanOrEqual(70);
  });

  it('reads a JPEG, white ink on black', async () => {
    const img = digits.images[2] as Uint8Array;
    const data = digitPicture(img, { width: 64, height: 64, x: 4, y: 4, side: 56, dark: false });
    const file = jpeg.encode({ data, width: 64, height: 64 }, 95).data;
    const { status, json } = await post(`${url}/predict`, new Uint8Array(file), 'image/jpeg');
    expect(status).toBe(200);
    expect(json.inverted).toBe(false);
    expect(json.label).toBe(digits.labels[2]);
  });
});

describe('POST /predict with a form (multipart/form-data, one file)', () => {
  const send = async (form: FormData) => {
    const res = await fetch(`${url}/predict`, { method: 'POST', body: form });
    return { status: res.status, json: await res.json() };
  };
  const png = () => {
    const img = digits.images[3] as Uint8Array;
    return new Uint8Array(
      rgbaPng(digitPicture(img, { width: 60, height: 60, x: 5, y: 5, side: 50, dark: true }), 60, 60),
    );
  };

  it('reads an uploaded PNG, even one declared as application/octet-stream', async () => {
    for (const type of ['image/png', 'application/octet-stream']) {
      const form = new FormData();
      form.append('file', new Blob([png()], { type }), 'digit.png');
      const { status, json } = await send(form);
      expect(status).toBe(200);
      expect(json.label).toBe(digits.labels[3]);
    }
  });

  it('refuses a file that is no image, two files, and a file over the limit', async () => {
    const text = new FormData();
    text.append('file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
    expect(await send(text)).toMatchObject({ status: 415, json: { error: { code: 'unsupported-media-type' } } });
    const two = new FormData();
    two.append('a', new Blob([png()], { type: 'image/png' }), 'a.png');
    two.append('b', new Blob([png()], { type: 'image/png' }), 'b.png');
    expect((await send(two)).status).toBe(413);
    const big = new FormData();
    big.append('file', new Blob([new Uint8Array(2 * 1024 * 1024)], { type: 'image/png' }), 'big.png');
    const res = await send(big);
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('body-too-large');
  });
});

describe('POST /predict/batch', () => {
  it('answers each image in order', async () => {
    const images = digits.images.slice(0, 5).map((img) => Array.from(img));
    const { status, json } = await postJson(`${url}/predict/batch`, { images });
    expect(status).toBe(200);
    expect(json.predictions).toHaveLength(5);
    const single = await postJson(`${url}/predict`, { pixels: images[3] });
    expectClose(json.predictions[3].probabilities, single.json.probabilities);
  });

  it('names the bad image of a batch', async () => {
    const images = [Array.from(digits.images[0] as Uint8Array), [1, 2, 3]];
    const { status, json } = await postJson(`${url}/predict/batch`, { images });
    expect(status).toBe(400);
    expect(json.error.message).toContain('images[1]');
  });
});

describe('bad requests get a 4xx JSON error saying what was wrong', () => {
  const ok = () => Array.from(digits.images[0] as Uint8Array);
  const cases: [string, () => Promise<{ status: number; json: Answer }>, number, string, RegExp][] = [
    ['wrong length', () => postJson(`${url}/predict`, { pixels: ok().slice(1) }), 400, 'bad-pixels', /783 entries/],
    [
      'a row of the wrong length',
      () =>
        postJson(`${url}/predict`, {
          pixels: Array.from({ length: 28 }, (_, i) => new Array(i === 5 ? 27 : 28).fill(0)),
        }),
      400,
      'bad-pixels',
      /pixels\[5\] has 27/,
    ],
    [
      'Infinity (1e999)',
      () => post(`${url}/predict`, `{"pixels":[1e999${',0'.repeat(783)}]}`),
      400,
      'invalid-request',
      /body\.pixels\.0 must be a finite number/,
    ],
    [
      'the string "NaN"',
      () => postJson(`${url}/predict`, { pixels: ['NaN', ...ok().slice(1)] }),
      400,
      'invalid-request',
      /body\.pixels\.0 must be a finite number/,
    ],
    [
      'out of range',
      () => postJson(`${url}/predict`, { pixels: [256, ...ok().slice(1)] }),
      400,
      'bad-pixels',
      /outside \[0, 255\]/,
    ],
    ['negative', () => postJson(`${url}/predict`, { pixels: [-1, ...ok().slice(1)] }), 400, 'bad-pixels', /outside/],
    [
      'nested garbage',
      () => postJson(`${url}/predict`, { pixels: [[[1]], { a: 1 }] }),
      400,
      'invalid-request',
      /pixels/,
    ],
    ['pixels missing', () => postJson(`${url}/predict`, { image: ok() }), 400, 'invalid-request', /pixels/],
    [
      'an extra field',
      () => postJson(`${url}/predict`, { pixels: ok(), extra: 1 }),
      400,
      'invalid-request',
      /additional/,
    ],
    ['not JSON', () => post(`${url}/predict`, '{"pixels": [1, 2'), 400, 'bad-json', /JSON/],
    ['an empty JSON body', () => post(`${url}/predict`, ''), 400, 'empty-body', /empty/i],
    ['an empty PNG', () => post(`${url}/predict`, new Uint8Array(0), 'image/png'), 400, 'empty-image', /empty/],
    [
      'a corrupt PNG',
      () => post(`${url}/predict`, Buffer.from('\x89PNG\r\n\x1a\nnot a png at all, really'), 'image/png'),
      400,
      'corrupt-image',
      /corrupt/,
    ],
    [
      'a truncated PNG',
      () => post(`${url}/predict`, blackPng(64).subarray(0, 50), 'image/png'),
      400,
      'corrupt-image',
      /does not decode/,
    ],
    [
      'a corrupt JPEG',
      () => post(`${url}/predict`, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 1, 2, 9, 9]), 'image/jpeg'),
      400,
      'corrupt-image',
      /JPEG/,
    ],
    [
      'a 10 000 × 10 000 PNG (decompression bomb)',
      () => post(`${url}/predict`, blackPng(10_000), 'image/png'),
      413,
      'image-too-large',
      /10000×10000/,
    ],
    [
      'a body over the limit',
      () => post(`${url}/predict`, JSON.stringify({ pixels: new Array(300_000).fill(0.5) })),
      413,
      'body-too-large',
      /too large/i,
    ],
    [
      'the wrong content type',
      () => post(`${url}/predict`, 'pixels=1,2,3', 'text/plain'),
      415,
      'unsupported-media-type',
      /text\/plain/,
    ],
    ['an unknown route', () => post(`${url}/predict/nothing`, '{}'), 404, 'not-found', /POST \/predict\/nothing/],
  ];
  for (const [name, send, status, code, message] of cases) {
    it(name, async () => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.json.error.code).toBe(code);
      expect(res.json.error.message).toMatch(message);
    });
  }

  it('answers 4xx, never 5xx, to 60 mangled PNGs and JPEGs (seeded random bytes after a valid start)', async () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const png = blackPng(40);
    const jpg = new Uint8Array(
      jpeg.encode({ data: new Uint8Array(40 * 40 * 4).fill(200), width: 40, height: 40 }, 80).data,
    );
    const statuses = new Set<number>();
    for (let i = 0; i < 60; i++) {
      const [good, type] = i % 2 === 0 ? [png, 'image/png'] : [jpg, 'image/jpeg'];
      const bytes = new Uint8Array(good);
      // Keep the signature and size header (33 bytes of PNG, 2 of JPEG), corrupt a few bytes after it.
      const keep = type === 'image/png' ? 33 : 2;
      for (let k = 0; k < 1 + (i % 8); k++) {
        bytes[keep + Math.floor(random() * (bytes.length - keep))] = Math.floor(random() * 256);
      }
      const res = await post(`${url}/predict`, i % 10 === 9 ? bytes.subarray(0, keep + 20) : bytes, type);
      statuses.add(res.status);
      expect(res.status === 200 || (res.status >= 400 && res.status < 500)).toBe(true);
    }
    expect([...statuses].some((s) => s >= 400)).toBe(true);
  });

  it('leaves the server healthy, with every refusal counted in /metrics', async () => {
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect((await health.json()).status).toBe('ok');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('cnn_serve_requests_total{route="/predict",status="413"} 4');
    expect(metrics).toContain('cnn_serve_requests_total{route="/predict",status="415"} 2');
    expect(metrics).toContain(`cnn_serve_tf_tensors ${baseline}`);
  });
});
