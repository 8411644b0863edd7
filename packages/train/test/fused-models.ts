// Tutorial models 004 and 002 as @cnn/zoo builds them (zoo depends on this package, so the tests
// cannot import it), and a LogSoftmax + nll variant, for the fused-vs-composite training tests.
import { BatchNorm2d, Conv2d, Dropout, Flatten, Linear, LogSoftmax, MaxPool2d, ReLU, Sequential } from '@cnn/layers';

const conv3 = (inChannels: number, outChannels: number) => new Conv2d(inChannels, outChannels, 3, { padding: 1 });

/** Tutorial 004 (batchnorm-cnn): three batch norms, dropout, cross-entropy on logits. */
export function batchnormCnn(): Sequential {
  return new Sequential(
    conv3(1, 5),
    new ReLU(),
    conv3(5, 10),
    new MaxPool2d(2),
    new ReLU(),
    new BatchNorm2d(10),
    conv3(10, 20),
    new ReLU(),
    new BatchNorm2d(20),
    conv3(20, 40),
    new MaxPool2d(2),
    new ReLU(),
    new BatchNorm2d(40),
    new Flatten(),
    new Linear(1960, 200),
    new ReLU(),
    new Dropout(0.5),
    new Linear(200, 500),
    new ReLU(),
    new Linear(500, 10),
  );
}

/** Tutorial 002 (small-cnn), optionally ending in LogSoftmax (for nllLoss) as tutorials 000 and 001 do. */
export function smallCnn(logSoftmax = false): Sequential {
  const layers = [
    new Conv2d(1, 10, 5),
    new MaxPool2d(2),
    new ReLU(),
    new Conv2d(10, 20, 5),
    new MaxPool2d(2),
    new ReLU(),
    new Flatten(),
    new Linear(320, 10),
  ];
  return new Sequential(...layers, ...(logSoftmax ? [new LogSoftmax()] : []));
}
