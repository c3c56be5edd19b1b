package io.outlooksync.sidecar.bench;

/**
 * One benchmark of docs/benchmarks.md: sets up its world, measures, tears down, and returns its figures. Public so
 * that benchmarks living beside the classes they need (another package's test helpers) can register in {@link Bench}.
 */
public interface Benchmark {
  /** One line for the usage text. */
  public String describe();

  public Figures run(BenchOptions options) throws Exception;
}
