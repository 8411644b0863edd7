import { cnnProject } from '../../vitest.project';

export default cnnProject('@cnn/app-fast', { quietTfjs: true });
