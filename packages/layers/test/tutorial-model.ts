import type * as tf from '@tensorflow/tfjs-core';
import { Conv2d, Dropout, F, Linear, Module } from '../src/index';

/** The first tutorial's network, written as a user model class (PyTorch style). */
export class Net extends Module {
  conv1 = this.registerModule('conv1', new Conv2d(1, 32, 5, { padding: 2 }));
  conv2 = this.registerModule('conv2', new Conv2d(32, 64, 5, { padding: 2 }));
  fc1 = this.registerModule('fc1', new Linear(7 * 7 * 64, 1024));
  drop = this.registerModule('drop', new Dropout(0.5));
  fc2 = this.registerModule('fc2', new Linear(1024, 10));

  forward(x: tf.Tensor): tf.Tensor {
    x = F.relu(F.maxPool2d(this.conv1.apply(x), 2));
    x = F.relu(F.maxPool2d(this.conv2.apply(x), 2));
    x = F.flatten(x);
    x = this.drop.apply(F.relu(this.fc1.apply(x)));
    return F.logSoftmax(this.fc2.apply(x));
  }
}
