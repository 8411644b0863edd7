// net.ts — the first tutorial's network as a model class
import type * as tf from '@tensorflow/tfjs-core';
import { Conv2d, Dropout, exportLayersModel, F, Linear, loadModel, Module, saveModel, summary } from '@cnn/layers';

export class Net extends Module {
  conv1 = this.registerModule('conv1', new Conv2d(1, 32, 5, { padding: 2 }));
  conv2 = this.registerModule('conv2', new Conv2d(32, 64, 5, { padding: 2 }));
  fc1 = this.registerModule('fc1', new Linear(7 * 7 * 64, 1024));
  drop = this.registerModule('drop', new Dropout(0.5));
  fc2 = this.registerModule('fc2', new Linear(1024, 10));

  forward(x: tf.Tensor): tf.Tensor {
    // x: [N, 28, 28, 1]
    x = F.relu(F.maxPool2d(this.conv1.apply(x), 2)); // [N, 14, 14, 32]
    x = F.relu(F.maxPool2d(this.conv2.apply(x), 2)); // [N, 7, 7, 64]
    x = F.flatten(x); // [N, 3136]
    x = this.drop.apply(F.relu(this.fc1.apply(x))); // [N, 1024]
    return F.logSoftmax(this.fc2.apply(x)); // [N, 10]
  }
}

/** Prints the layer table, saves `net` under `dir` and exports it for the browser; returns a reloaded copy. */
export async function publish(net: Net, dir: string): Promise<Net> {
  summary(net, [28, 28, 1]); // prints the table below
  await saveModel(net, `${dir}/net`); // model.json + weights.bin
  await exportLayersModel(net, `${dir}/net-web`, [28, 28, 1]); // for tf.loadLayersModel in a browser
  return loadModel(`${dir}/net`, new Net()); // same weights in a new instance
}
