import { cnnProject } from '../../vitest.project';

export default cnnProject('@cnn/app-batchnorm-cnn', { quietTfjs: true });
