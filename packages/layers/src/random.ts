/**
 * A small seeded generator (mulberry32) shared by the initialisers and dropout, so a model's
 * weights and masks are reproducible from one seed and its state can be saved in a checkpoint
 * and restored. (The data order is seeded separately, by `@cnn/datasets`' `batches`.)
 */
export class Generator {
  private state: number;

  constructor(seed = 0) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A 32-bit seed for tfjs ops that take one (e.g. dropout). */
  seed(): number {
    return Math.floor(this.next() * 2 ** 31);
  }

  getState(): number {
    return this.state;
  }

  setState(state: number): void {
    this.state = state >>> 0;
  }
}

/** The process-wide default generator, like torch's default generator. */
export const defaultGenerator = new Generator(0);

/** Re-seeds the default generator (torch.manual_seed). */
export function manualSeed(seed: number): void {
  defaultGenerator.setState(seed);
}

export function getRngState(): number {
  return defaultGenerator.getState();
}

export function setRngState(state: number): void {
  defaultGenerator.setState(state);
}
