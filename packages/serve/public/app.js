// The draw-a-digit page: draw on the pad with a mouse, pen or finger; the digit is predicted
// by the server (POST /predict with the pad as a PNG) or in this browser (the model exported
// to the TF.js Layers format, run by TensorFlow.js), and the page shows the ten probabilities
// and the 28×28 image the model received.
import { mnistify, SIDE, toInk } from '/mnistify.js';

const pad = document.getElementById('pad');
const ctx = pad.getContext('2d', { willReadFrequently: true });
const seen = document.getElementById('seen').getContext('2d');
const answer = document.getElementById('answer');
const answeredBy = document.getElementById('answered-by');
const bars = document.getElementById('bars');
const live = document.getElementById('live');
const modelLine = document.getElementById('model-line');

let info = null; // GET /model
let browserModel = null; // a tf.LayersModel once loaded
let drawing = false;
let last = null;
let running = null; // the prediction in progress
let queued = null; // the one that starts when it ends

function mode() {
  return document.querySelector('input[name="mode"]:checked').value;
}

function clearPad() {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, pad.width, pad.height);
  seen.clearRect(0, 0, SIDE, SIDE);
  answer.textContent = '?';
  answer.dataset.label = '';
  answeredBy.textContent = 'draw a digit, then predict';
  drawBars(null, null);
}

function drawBars(probabilities, classNames) {
  const names = classNames ?? info?.classNames ?? ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  const top = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1;
  bars.replaceChildren(
    ...names.map((name, i) => {
      const p = probabilities ? probabilities[i] : 0;
      const row = document.createElement('div');
      row.className = i === top ? 'bar top' : 'bar';
      row.innerHTML =
        '<span class="name"></span><div class="track"><div class="fill"></div></div><span class="value"></span>';
      row.querySelector('.name').textContent = name;
      row.querySelector('.fill').style.width = `${(p * 100).toFixed(1)}%`;
      row.querySelector('.value').textContent = `${(p * 100).toFixed(1)}%`;
      return row;
    }),
  );
}

function showInput(pixels) {
  const img = seen.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = Math.round(pixels[i] * 255);
    img.data.set([v, v, v, 255], i * 4);
  }
  seen.putImageData(img, 0, 0);
}

function show(result, who, ms) {
  answer.textContent = result.className;
  answer.dataset.label = String(result.label);
  answeredBy.textContent = `answered by ${who} in ${ms.toFixed(1)} ms`;
  answeredBy.dataset.by = who === 'the server' ? 'server' : 'browser';
  drawBars(result.probabilities, result.classNames);
  if (result.input) showInput(result.input);
}

async function predictOnServer() {
  const blob = await new Promise((resolve) => pad.toBlob(resolve, 'image/png'));
  const t0 = performance.now();
  const res = await fetch('/predict', { method: 'POST', headers: { 'content-type': 'image/png' }, body: blob });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ? body.error.message : `HTTP ${res.status}`);
  show(body, 'the server', performance.now() - t0);
}

async function loadBrowserModel() {
  if (browserModel) return browserModel;
  if (!info?.browserModel) throw new Error('this model has no TF.js Layers export');
  await tf.setBackend('cpu');
  browserModel = await tf.loadLayersModel(info.browserModel);
  return browserModel;
}

async function predictInBrowser() {
  const model = await loadBrowserModel();
  const t0 = performance.now();
  const { data } = ctx.getImageData(0, 0, pad.width, pad.height);
  const gray = new Float32Array(pad.width * pad.height);
  for (let i = 0; i < gray.length; i++) {
    gray[i] = (0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2]) / 255;
  }
  const { ink } = toInk(gray, pad.width, pad.height);
  const { pixels } = mnistify(ink, pad.width, pad.height);
  const { mean, std } = info.normalize;
  const probs = tf.tidy(() => {
    const x = tf.div(tf.sub(tf.tensor4d(pixels, [1, SIDE, SIDE, 1]), mean), std);
    return tf.softmax(model.predict(x));
  });
  const probabilities = Array.from(await probs.data());
  probs.dispose();
  const label = probabilities.indexOf(Math.max(...probabilities));
  const names = info.classNames;
  show(
    { label, className: names[label], probabilities, classNames: names, input: pixels },
    'this browser',
    performance.now() - t0,
  );
}

/** Predicts the pad once, showing the answer or the error. */
async function predictPad() {
  try {
    if (mode() === 'browser') await predictInBrowser();
    else await predictOnServer();
  } catch (err) {
    answeredBy.textContent = `error: ${err.message}`;
  }
}

/**
 * Predicts what the pad shows now. While a prediction runs, every further call shares one
 * queued prediction that starts when it ends, so live drawing never piles up requests, and
 * each caller's promise settles only after a prediction of the pad as it was at the call.
 */
function predict() {
  if (!running) {
    running = predictPad().finally(() => {
      running = null;
    });
    return running;
  }
  queued ??= running.then(() => {
    queued = null;
    return predict();
  });
  return queued;
}

function point(ev) {
  const r = pad.getBoundingClientRect();
  return [((ev.clientX - r.left) * pad.width) / r.width, ((ev.clientY - r.top) * pad.height) / r.height];
}

function stroke(from, to) {
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 20;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  ctx.moveTo(...from);
  ctx.lineTo(...to);
  ctx.stroke();
}

pad.addEventListener('pointerdown', (ev) => {
  drawing = true;
  pad.setPointerCapture(ev.pointerId);
  last = point(ev);
  stroke(last, last);
});
pad.addEventListener('pointermove', (ev) => {
  if (!drawing) return;
  const p = point(ev);
  stroke(last, p);
  last = p;
  if (live.checked) void predict();
});
for (const type of ['pointerup', 'pointercancel']) {
  pad.addEventListener(type, () => {
    if (!drawing) return;
    drawing = false;
    if (live.checked) void predict();
  });
}
/** Sends a picture file to the server as it is (the server crops, fits and centres it). */
async function predictFile(file) {
  const t0 = performance.now();
  const res = await fetch('/predict', { method: 'POST', headers: { 'content-type': file.type }, body: file });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ? body.error.message : `HTTP ${res.status}`);
  show(body, 'the server', performance.now() - t0);
}

document.getElementById('upload').addEventListener('change', (ev) => {
  const file = ev.target.files[0];
  if (!file) return;
  predictFile(file).catch((err) => {
    answeredBy.textContent = `error: ${err.message}`;
  });
});
document.getElementById('clear').addEventListener('click', clearPad);
document.getElementById('predict').addEventListener('click', () => void predict());
for (const radio of document.querySelectorAll('input[name="mode"]'))
  radio.addEventListener('change', () => void predict());

/** Paints 784 bytes (a 28×28 MNIST digit, white on black) onto the pad, scaled up. For tests and demos. */
function drawDigit(bytes) {
  const small = document.createElement('canvas');
  small.width = SIDE;
  small.height = SIDE;
  const sctx = small.getContext('2d');
  const img = sctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) img.data.set([bytes[i], bytes[i], bytes[i], 255], i * 4);
  sctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, pad.width, pad.height);
}

window.digitPage = {
  predict,
  clear: clearPad,
  drawDigit,
  setMode: (m) => {
    document.querySelector(`input[name="mode"][value="${m}"]`).checked = true;
  },
};

clearPad();
fetch('/model')
  .then((r) => r.json())
  .then((m) => {
    info = m;
    const acc = m.testAccuracy === null ? '' : `, test accuracy ${(m.testAccuracy * 100).toFixed(2)}%`;
    const title = m.recipe?.title ? `${m.recipe.title}, ` : '';
    modelLine.textContent = `${title}${m.params.toLocaleString('en')} parameters${acc}; server backend ${m.backend.split(' ')[0]}`;
    if (!m.browserModel) document.querySelector('input[value="browser"]').disabled = true;
    document.body.dataset.ready = 'true';
  })
  .catch((err) => {
    modelLine.textContent = `cannot read /model: ${err.message}`;
  });
