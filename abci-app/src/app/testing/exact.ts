/** An exact non-negative rational sum for reference computations in tests: add n/d, then floor() once at the end. */
export class Exact {
  n = 0n;
  d = 1n;
  add(n: bigint, d: bigint): void {
    this.n = this.n * d + n * this.d;
    this.d *= d;
  }
  floor(): bigint {
    return this.n / this.d;
  }
}
