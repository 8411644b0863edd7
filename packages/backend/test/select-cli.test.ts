import { describe, expect, it } from 'vitest';
import { BACKEND_CHOICES, BACKEND_FLAG_HELP, BackendFlagError, backendFromArgs } from '../src/index';

const noEnv = {};

describe('backendFromArgs', () => {
  it('reads --backend <name> and --backend=<name>, the last one winning', () => {
    expect(backendFromArgs(['--backend', 'wasm'], noEnv)).toBe('wasm');
    expect(backendFromArgs(['--epochs', '3', '--backend=cpu'], noEnv)).toBe('cpu');
    expect(backendFromArgs(['--backend=native', '--backend', 'tensorflow-gpu'], noEnv)).toBe('tensorflow-gpu');
    expect(backendFromArgs(['--backend', 'auto'], noEnv)).toBe('auto');
  });

  it('falls back to CNN_BACKEND, then to auto; the flag beats the variable', () => {
    expect(backendFromArgs([], { CNN_BACKEND: 'tensorflow' })).toBe('tensorflow');
    expect(backendFromArgs(['--backend', 'cpu'], { CNN_BACKEND: 'wasm' })).toBe('cpu');
    expect(backendFromArgs([], noEnv)).toBe('auto');
    expect(backendFromArgs([], { CNN_BACKEND: '' })).toBe('auto');
  });

  it('stops at --', () => {
    expect(backendFromArgs(['--', '--backend', 'wasm'], noEnv)).toBe('auto');
  });

  it('rejects an unknown name with BackendFlagError listing the valid ones', () => {
    const error = (() => {
      try {
        backendFromArgs(['--backend', 'gpu'], noEnv);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BackendFlagError);
    const e = error as BackendFlagError;
    expect(e.name).toBe('BackendFlagError');
    expect(e.source).toBe('--backend');
    expect(e.value).toBe('gpu');
    expect(e.message).toBe(
      "@cnn/backend: --backend='gpu' is not a backend; expected one of: auto, tensorflow-gpu, tensorflow, native, wasm, cpu",
    );
  });

  it('rejects a bad CNN_BACKEND, naming the variable', () => {
    expect(() => backendFromArgs([], { CNN_BACKEND: 'WASM' })).toThrow(
      "@cnn/backend: CNN_BACKEND='WASM' is not a backend; expected one of: auto, tensorflow-gpu, tensorflow, native, wasm, cpu",
    );
  });

  it('rejects --backend without a value', () => {
    expect(() => backendFromArgs(['--backend'], noEnv)).toThrow(BackendFlagError);
    expect(() => backendFromArgs(['--backend', '--epochs', '3'], noEnv)).toThrow(
      '@cnn/backend: --backend needs a value, one of: auto, tensorflow-gpu, tensorflow, native, wasm, cpu',
    );
    expect(() => backendFromArgs(['--backend='], noEnv)).toThrow('--backend needs a value');
  });

  it('offers the choices and a help line', () => {
    expect(BACKEND_CHOICES).toEqual(['auto', 'tensorflow-gpu', 'tensorflow', 'native', 'wasm', 'cpu']);
    expect(BACKEND_FLAG_HELP).toContain('--backend <auto|tensorflow-gpu|tensorflow|native|wasm|cpu>');
    expect(BACKEND_FLAG_HELP).toContain('CNN_BACKEND');
  });
});
