import { cnnProject } from '../../vitest.project';

export default cnnProject('@cnn/app-mnist-stats', { quietTfjs: true });
