import { cnnProject } from '../../vitest.project';

export default cnnProject('@cnn/app-digit-server', { testTimeout: 180_000 });
