package io.outlooksync.sidecar.odoo;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one real Odoo 18 of a test run, for test classes that need it; the class is skipped when {@code ODOO_HOME}
 * is not set. Odoo starts with the first such class and is kept in the root store, which closes it (stopping
 * Odoo, dropping the database) when the run ends. Declared on the class, it runs before extensions registered in
 * fields, so a skipped class starts nothing else either.
 * <pre>
 * &#64;ExtendWith(RealOdooExtension.class)
 * class SomeTest {
 *   &#64;BeforeAll
 *   static void connect(RealOdoo odoo) { ... }
 * </pre>
 */
public final class RealOdooExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealOdoo.class);
  private static final AtomicBoolean SKIP_TOLD = new AtomicBoolean();
  // A failed start is not tried again by every class: once is a minute already.
  private static volatile RuntimeException startFailure;

  @Override
  public void beforeAll(ExtensionContext context) {
    String home = System.getenv("ODOO_HOME");
    if (home == null || home.isBlank()) {
      String why = "real-Odoo tests skipped: ODOO_HOME is not set (point it at an Odoo 18 source tree to run them; see docs/odoo.md)";
      if (SKIP_TOLD.compareAndSet(false, true)) {
        System.out.println(why);
      }
      Assumptions.abort(why);
    }
    if (startFailure != null) {
      throw new IllegalStateException("real Odoo failed to start earlier in this run", startFailure);
    }
    context.getRoot().getStore(NAMESPACE).computeIfAbsent(RealOdoo.class, k -> start(Path.of(home)), RealOdoo.class);
  }

  private static RealOdoo start(Path home) {
    try {
      return RealOdoo.start(home);
    } catch (Exception e) {
      startFailure = new IllegalStateException("starting Odoo from ODOO_HOME=" + home + ": " + e.getMessage(), e);
      throw startFailure;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealOdoo.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).get(RealOdoo.class, RealOdoo.class);
  }
}
