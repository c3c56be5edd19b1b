package io.outlooksync.sidecar.odoo;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one real Odoo of a given release for a test run, for test classes that need it; the class is skipped when
 * that release's tree is not configured: {@code ODOO_HOME_17}, {@code ODOO_HOME_18} (or {@code ODOO_HOME}),
 * {@code ODOO_HOME_19}. Odoo starts with the first such class and is kept in the root store, which closes it
 * (stopping Odoo, dropping the database) when the run ends. Declared on the class, it runs before extensions
 * registered in fields, so a skipped class starts nothing else either. This class is Odoo 18; the nested
 * subclasses are the other releases.
 * <pre>
 * &#64;ExtendWith(RealOdooExtension.Odoo19.class)
 * class SomeTest {
 *   &#64;BeforeAll
 *   static void connect(RealOdoo odoo) { ... }
 * </pre>
 */
public class RealOdooExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealOdoo.class);
  private static final Set<Integer> SKIP_TOLD = ConcurrentHashMap.newKeySet();
  // A failed start is not tried again by every class: once is a minute already.
  private static final Map<Integer, RuntimeException> START_FAILURES = new ConcurrentHashMap<>();

  private final int major;

  public RealOdooExtension() {
    this(18);
  }

  RealOdooExtension(int major) {
    this.major = major;
  }

  /** Odoo 17, from {@code ODOO_HOME_17}. */
  public static final class Odoo17 extends RealOdooExtension {
    public Odoo17() {
      super(17);
    }
  }

  /** Odoo 19, from {@code ODOO_HOME_19}. */
  public static final class Odoo19 extends RealOdooExtension {
    public Odoo19() {
      super(19);
    }
  }

  /** The tree configured for a release, or null. */
  static String home(int major) {
    String home = System.getenv("ODOO_HOME_" + major);
    if ((home == null || home.isBlank()) && major == 18) {
      home = System.getenv("ODOO_HOME");
    }
    return home == null || home.isBlank() ? null : home;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    String home = home(major);
    if (home == null) {
      String variables = major == 18 ? "ODOO_HOME_18 nor ODOO_HOME is" : "ODOO_HOME_" + major + " is not";
      String why = "real-Odoo " + major + " tests skipped: " + (major == 18 ? "neither " : "") + variables + " set (point it at an Odoo "
          + major + " source tree to run them; see docs/compatibility.md)";
      if (SKIP_TOLD.add(major)) {
        System.out.println(why);
      }
      Assumptions.abort(why);
    }
    RuntimeException failed = START_FAILURES.get(major);
    if (failed != null) {
      throw new IllegalStateException("real Odoo " + major + " failed to start earlier in this run", failed);
    }
    context.getRoot().getStore(NAMESPACE).computeIfAbsent(major, k -> start(Path.of(home)), RealOdoo.class);
  }

  private RealOdoo start(Path home) {
    try {
      return RealOdoo.start(home, major);
    } catch (Exception e) {
      RuntimeException failure = new IllegalStateException("starting Odoo " + major + " from " + home + ": " + e.getMessage(), e);
      START_FAILURES.put(major, failure);
      throw failure;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealOdoo.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).get(major, RealOdoo.class);
  }
}
