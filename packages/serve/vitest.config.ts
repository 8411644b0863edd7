import { cnnProject } from '../../vitest.project';

export default cnnProject('@cnn/serve', { testTimeout: 60_000 });
