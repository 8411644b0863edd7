import { cnnProject } from '../../vitest.project';

export default cnnProject('@cnn/app-small-cnn', { quietTfjs: true });
