import { cnnProject } from '../../vitest.project';

export default cnnProject('@cnn/layers', { quietTfjs: true });
