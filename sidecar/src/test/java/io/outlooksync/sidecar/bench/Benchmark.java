package io.outlooksync.sidecar.bench;

/** One benchmark of docs/benchmarks.md: sets up its world, measures, tears down, and returns its figures. */
interface Benchmark {
  /** One line for the usage text. */
  String describe();

  Figures run(BenchOptions options) throws Exception;
}
