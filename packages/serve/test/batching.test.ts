import { afterEach, describe, expect, it } from 'vitest';
import { type Server, startServer } from '../src/index';
import { expectClose, postJson } from './helpers';
import { testDigits, trainedModelDir } from './model-fixture';

const digits = testDigits(32);
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no ${name} in /metrics`);
  return Number(line.split(' ')[1]);
}

describe('micro-batching', () => {
  it('runs 32 concurrent requests in fewer forward passes, each answered with its own digit', async () => {
    // A long wait makes the grouping certain on a busy machine: all 32 arrive within it.
    server = await startServer({ model: await trainedModelDir(), port: 0, batch: { maxBatch: 64, maxWaitMs: 300 } });
    const answers = await Promise.all(
      digits.images.map((img) => postJson(`${server?.url}/predict`, { pixels: Array.from(img) })),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const correct = answers.filter((a, i) => a.json.label === digits.labels[i]).length;
    expect(correct).toBeGreaterThanOrEqual(29);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(metric(text, 'cnn_serve_images_predicted_total')).toBe(32);
    expect(metric(text, 'cnn_serve_batch_size_count')).toBeLessThan(32);
    expect(metric(text, 'cnn_serve_batch_size_sum')).toBe(32);
  });

  it('gives the same probabilities batched and alone, on the main thread too', async () => {
    server = await startServer({ model: await trainedModelDir(), port: 0, inference: 'main', batch: { maxBatch: 1 } });
    const before = (await server.engine.memory()).numTensors;
    const alone = await postJson(`${server.url}/predict`, { pixels: Array.from(digits.images[4] as Uint8Array) });
    const batch = await postJson(`${server.url}/predict/batch`, {
      images: digits.images.slice(0, 8).map((img) => Array.from(img)),
    });
    expectClose(batch.json.predictions[4].probabilities, alone.json.probabilities);
    expect((await server.engine.memory()).numTensors).toBe(before);
    expect((await (await fetch(`${server.url}/model`)).json()).inference).toBe('main');
  });

  it('refuses with 503 and Retry-After when the queue is full, and answers the queued ones', async () => {
    server = await startServer({
      model: await trainedModelDir(),
      port: 0,
      batch: { maxBatch: 64, maxWaitMs: 400, maxQueue: 3 },
    });
    const url = server.url;
    const sent = digits.images.slice(0, 3).map((img) => postJson(`${url}/predict`, { pixels: Array.from(img) }));
    // The three above wait 400 ms for a fourth; wait until they are queued, then overflow.
    for (let i = 0; i < 100; i++) {
      const h = await (await fetch(`${url}/health`)).json();
      if (h.queue === 3) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const refused = await postJson(`${url}/predict`, { pixels: Array.from(digits.images[3] as Uint8Array) });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.json.error.code).toBe('queue-full');
    const answered = await Promise.all(sent);
    expect(answered.map((a) => a.status)).toEqual([200, 200, 200]);
  });
});

describe('GET /health, /model, /metrics', () => {
  it('describe the server and the model', async () => {
    server = await startServer({ model: await trainedModelDir(), port: 0 });
    const health = await (await fetch(`${server.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', queue: 0 });
    const model = await (await fetch(`${server.url}/model`)).json();
    expect(model.params).toBe(8490);
    expect(model.normalize).toEqual({ mean: 0.1307, std: 0.3081 });
    expect(model.layers.map((l: { type: string }) => l.type)).toEqual([
      'Conv2d',
      'MaxPool2d',
      'ReLU',
      'Conv2d',
      'MaxPool2d',
      'ReLU',
      'Flatten',
      'Linear',
    ]);
    expect(model.testAccuracy).toBeNull(); // a bare model directory has no summary.json
    expect(model.browserModel).toBe('/tfjs-model/model.json');
    const exported = await (await fetch(`${server.url}/tfjs-model/model.json`)).json();
    expect(exported.format).toBe('layers-model');
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    expect(text).toContain('# TYPE cnn_serve_request_duration_seconds histogram');
    expect(text).toContain('cnn_serve_requests_total{route="/health",status="200"} 1');
    expect(metric(text, 'cnn_serve_resident_memory_bytes')).toBeGreaterThan(1e6);
  });

  it('sends no CORS header unless an origin is allowed', async () => {
    server = await startServer({ model: await trainedModelDir(), port: 0 });
    expect((await fetch(`${server.url}/health`)).headers.get('access-control-allow-origin')).toBeNull();
    await server.close();
    server = await startServer({ model: await trainedModelDir(), port: 0, corsOrigin: 'https://example.org' });
    const res = await fetch(`${server.url}/health`);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://example.org');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
