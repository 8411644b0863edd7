import { cnnProject } from '../../vitest.project';

export default cnnProject('@cnn/app-basic-cnn', { quietTfjs: true });
