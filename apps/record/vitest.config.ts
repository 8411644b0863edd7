import { cnnProject } from '../../vitest.project';

export default cnnProject('@cnn/app-record', { quietTfjs: true });
