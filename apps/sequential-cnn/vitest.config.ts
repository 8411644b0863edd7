import { cnnProject } from '../../vitest.project';

export default cnnProject('@cnn/app-sequential-cnn', { quietTfjs: true });
