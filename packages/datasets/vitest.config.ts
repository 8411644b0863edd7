import { cnnProject } from '../../vitest.project';

export default cnnProject('@cnn/datasets', { quietTfjs: true });
