package io.outlooksync.sidecar.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases on the real PostgreSQL: claims that never overlap, expiry and takeover, confirmation, release. */
class LeasesTest {
  private final TestPostgres.Throwaway db = new TestPostgres.Throwaway("outlook_sync_leases");
  private Store store;
  private Leases leases;

  @BeforeAll
  static void requirePostgres() {
    TestPostgres.require("LeasesTest");
  }

  @BeforeEach
  void open() throws Exception {
    store = Store.open(db.fresh(), SecretBox.fromSpec(SecretBox.newKeyLine("k1")), Clock.systemUTC());
    leases = store.leases();
    for (int i = 1; i <= 40; i++) {
      store.accounts().ensure("prod", i, "user" + i);
    }
  }

  @AfterEach
  void drop() throws Exception {
    store.close();
    db.drop();
  }

  @Test
  void sidecarsClaimingAtOnceGetDisjointShares() throws Exception {
    leases.beat("a");
    assertEquals(40, leases.accounts(), "every account got a free lease row");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Set<Long>>> claims = List.of(() -> leases.claim("a", Duration.ofSeconds(30), 15),
          () -> leases.claim("b", Duration.ofSeconds(30), 15), () -> leases.claim("c", Duration.ofSeconds(30), 15),
          () -> leases.claim("d", Duration.ofSeconds(30), 15));
      Set<Long> all = new HashSet<>();
      int total = 0;
      for (Future<Set<Long>> f : pool.invokeAll(claims)) {
        total += f.get().size();
        all.addAll(f.get());
      }
      assertEquals(40, total, "every free lease taken once");
      assertEquals(40, all.size(), "no account claimed by two sidecars");
    } finally {
      pool.shutdown();
    }
    assertTrue(leases.claim("e", Duration.ofSeconds(30), 10).isEmpty(), "nothing free while the leases live");
  }

  @Test
  void anExpiredLeaseIsTakenOverAndItsOldHolderCannotConfirmIt() throws Exception {
    leases.beat("a");
    Set<Long> mine = leases.claim("a", Duration.ofMillis(300), 5);
    long one = mine.iterator().next();
    assertTrue(leases.confirm("a", Duration.ofMillis(300), one));
    assertFalse(leases.claimOne("b", Duration.ofSeconds(30), one), "a live lease is not taken");
    Thread.sleep(600); // "a" stopped renewing, as a killed sidecar does
    assertEquals(5, leases.claim("b", Duration.ofSeconds(30), 40).stream().filter(mine::contains).count(), "b took them over");
    assertFalse(leases.confirm("a", Duration.ofSeconds(30), one), "the old holder may not run it any more");
    assertTrue(leases.renew("a", Duration.ofSeconds(30)).isEmpty(), "nor renew it");
    assertEquals("b", leases.holder(one).orElseThrow());
  }

  @Test
  void releasedAndLeftLeasesAreFreeAtOnce() throws Exception {
    leases.beat("a");
    leases.beat("b");
    assertEquals(2, leases.liveInstances(Duration.ofSeconds(30)));
    Set<Long> mine = leases.claim("a", Duration.ofMinutes(5), 10);
    long first = mine.iterator().next();
    leases.release("a", List.of(first));
    assertTrue(leases.claimOne("b", Duration.ofMinutes(5), first), "a released lease is free");
    leases.leave("a");
    assertEquals(1, leases.liveInstances(Duration.ofSeconds(30)));
    assertEquals(39, leases.claim("b", Duration.ofMinutes(5), 40).size(), "all of a's leases are free once it left");
  }

  @Test
  void anAccountSignedInSinceTheLastBeatCanBeClaimedAtOnce() throws Exception {
    leases.beat("a");
    long fresh = store.accounts().ensure("prod", 41, "user41").id();
    assertTrue(leases.claimOne("b", Duration.ofSeconds(30), fresh), "no lease row yet: the claim makes it");
    assertEquals("b", leases.holder(fresh).orElseThrow());
    assertFalse(leases.claimOne("c", Duration.ofSeconds(30), fresh), "and it is b's now");
    assertTrue(leases.claimOne("b", Duration.ofSeconds(30), fresh), "b may claim its own again");
  }
}
