import { cnnProject } from '../../vitest.project';

export default cnnProject('@cnn/app-wide-cnn', { quietTfjs: true });
