import { availableBackends, useBackend, describeBackend } from '../src/index';
console.log(await availableBackends());
console.log(await useBackend('auto'), describeBackend());
