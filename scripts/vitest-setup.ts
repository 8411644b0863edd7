// Set-up file of the vitest projects that ask for it (cnnProject's quietTfjs, vitest.project.ts).
// Many tests compute on tfjs's cpu backend directly, and its first tensor in each test file's
// process would print the "Hi, looks like you are running TensorFlow.js in Node.js..." banner;
// @cnn/backend's quietCpuBanner() skips that one message, as it does for every program that uses @cnn/backend.
// Other tfjs warnings still print. (Imported by path: not every package depends on @cnn/backend.)
import { quietCpuBanner } from '../packages/backend/src/cpu-banner';

quietCpuBanner();
