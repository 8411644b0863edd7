import { cnnProject } from '../../vitest.project';

export default cnnProject('@cnn/runner', { quietTfjs: true });
