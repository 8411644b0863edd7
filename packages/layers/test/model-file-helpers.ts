// Shared by model-file.test.ts and model-file-fuzz.test.ts.
import { BatchNorm2d, Conv2d, Flatten, Linear, ReLU, Sequential } from '../src/index';

/** Conv2d, BatchNorm2d, ReLU, Flatten, Linear on 4x4 single-channel images: 7 saved tensors. */
export function smallModel(): Sequential {
  return new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU(), new Flatten(), new Linear(8, 3));
}

/** Every parameter and buffer of a model by name, as plain numbers. */
export function snapshot(model: Sequential): Record<string, number[]> {
  return Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, Array.from(t.dataSync())]));
}
