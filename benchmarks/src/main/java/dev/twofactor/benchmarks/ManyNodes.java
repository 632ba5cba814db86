package dev.twofactor.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.Totp;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
import dev.twofactor.jdbc.JdbcSchema;
import dev.twofactor.jdbc.JdbcTwoFactorStore;

/**
 * Target 6: {@code N} service instances ("nodes"), each its own {@link TwoFactorService}, its own
 * {@link JdbcTwoFactorStore} and its own HikariCP pool, on one PostgreSQL database, with {@value #USERS} enrolled
 * users signing in. The users are split among {@value #GROUPS} groups; each group has one thread per node, and the
 * group's threads present the same valid code of the same user to every node at the same moment (a barrier releases
 * them together), then move to the group's next user, and to the next time step once they have been through all of
 * the group's users. So {@code GROUPS × N} sign-ins run at once, every code reaches every node, and replay protection
 * is tested across nodes on every sign-in: exactly one node must accept each (user, step). A race that two or more
 * nodes accepted is a double acceptance, the failure this target counts; a race no node accepted is counted too.
 *
 * <p>Runs in the runner's own process (its manifest opens the JDK's SHA package, as for the forks), untimed by JMH:
 * a warm-up, then a measured period; throughput is accepted sign-ins (and attempts, {@code N} per sign-in) per second
 * of the measured period. CPU use over that period is read from {@code /proc}: this process, the PostgreSQL server's
 * processes (when the server runs on this machine) and the whole machine, to show which one is the limit.
 */
final class ManyNodes implements AutoCloseable {

    static final int USERS = 1000;
    static final int GROUPS = 4;

    private static final long FIRST_STEP = 2_000_000L;

    /**
     * One run's figures.
     *
     * @param nodes service instances
     * @param acceptedPerSecond accepted sign-ins per second over the measured period, all nodes together
     * @param attemptsPerSecond {@code verifyCode} calls per second, all nodes together
     * @param races (user, step) pairs presented to every node, warm-up included
     * @param doubleAcceptances races more than one node accepted, warm-up included
     * @param noAcceptance races no node accepted, warm-up included
     * @param jvmCpu this process's share of the machine's CPU time over the measured period
     * @param postgresCpu the PostgreSQL processes' share, or NaN if none runs on this machine
     * @param machineCpu the busy share of the machine's CPU time
     */
    record Run(int nodes, double acceptedPerSecond, double attemptsPerSecond, long races, long doubleAcceptances,
               long noAcceptance, double jvmCpu, double postgresCpu, double machineCpu) {
    }

    private final HikariDataSource seedPool;
    private final JdbcTwoFactorStore seedStore;
    private final SecretCipher cipher;
    private final SignInUsers users;
    private final long[] groupStep = new long[GROUPS];

    ManyNodes() {
        seedPool = JdbcSignIn.pool("postgresql", 1);
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        seedStore = JdbcTwoFactorStore.builder(seedPool)
                .tablePrefix("bench_nodes_" + HexFormat.of().formatHex(random) + "_")
                .createSchemaIfMissing(true)
                .build();
        cipher = JdbcSignIn.cipher();
        users = BulkUsers.seed(seedPool, seedStore, cipher, "user-", USERS, USERS, 0, FIRST_STEP);
        for (int g = 0; g < GROUPS; g++) {
            groupStep[g] = FIRST_STEP;
        }
    }

    @Override
    public void close() {
        try {
            JdbcSchema.drop(seedPool, seedStore.dialect(), seedStore.tablePrefix());
        } finally {
            seedPool.close();
        }
    }

    /** Runs {@code nodes} nodes for {@code warmupMillis}, then measures for {@code measureMillis}. */
    Run run(int nodes, long warmupMillis, long measureMillis) throws InterruptedException {
        List<HikariDataSource> pools = new ArrayList<>();
        List<TwoFactorService> services = new ArrayList<>();
        try {
            for (int n = 0; n < nodes; n++) {
                HikariDataSource pool = JdbcSignIn.pool("postgresql", GROUPS);
                pools.add(pool);
                services.add(TwoFactorService.builder()
                        .issuer("Benchmarks")
                        .store(JdbcTwoFactorStore.builder(pool).tablePrefix(seedStore.tablePrefix()).build())
                        .secretCipher(cipher)
                        .clock(users.clock)
                        .listener(TwoFactorListener.NONE)
                        .build());
            }
            long start = System.nanoTime();
            long measureFrom = start + warmupMillis * 1_000_000L;
            long end = measureFrom + measureMillis * 1_000_000L;
            List<Group> groups = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int g = 0; g < GROUPS; g++) {
                Group group = new Group(g, nodes, measureFrom, end);
                groups.add(group);
                for (int n = 0; n < nodes; n++) {
                    TwoFactorService node = services.get(n);
                    threads.add(new Thread(() -> group.sign(node), "node-" + n + "-group-" + g));
                }
            }
            threads.forEach(Thread::start);
            Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000L));
            Cpu before = Cpu.now();
            for (Thread thread : threads) {
                thread.join();
            }
            Cpu after = Cpu.now();
            double seconds = (System.nanoTime() - measureFrom) / 1e9;
            long races = 0;
            long measured = 0;
            long doubles = 0;
            long none = 0;
            for (int g = 0; g < GROUPS; g++) {
                Group group = groups.get(g);
                if (group.failure != null) {
                    throw new IllegalStateException("A sign-in of target 6 failed", group.failure);
                }
                races += group.races;
                measured += group.measuredRaces;
                doubles += group.doubleAcceptances;
                none += group.noAcceptance;
                groupStep[g] = group.step + 1;
            }
            return new Run(nodes, measured / seconds, measured * nodes / seconds, races, doubles, none,
                    after.share(before, after.jvm - before.jvm), after.postgresShare(before),
                    after.share(before, after.busy - before.busy));
        } finally {
            pools.forEach(HikariDataSource::close);
        }
    }

    /** One group of users and its threads, one per node. */
    private final class Group {
        private final int index;
        private final int nodes;
        private final long measureFrom;
        private final long end;
        private final CyclicBarrier barrier;
        private final AtomicInteger accepted = new AtomicInteger();
        private final Totp totp = Totp.defaults();
        private volatile Throwable failure;
        // Written by the barrier action only, read by the group's threads after the barrier: no further locking.
        private int user = -1;
        private long step;
        private String code;
        private boolean stop;
        private boolean measuring;
        private long races;
        private long measuredRaces;
        private long doubleAcceptances;
        private long noAcceptance;

        Group(int index, int nodes, long measureFrom, long end) {
            this.index = index;
            this.nodes = nodes;
            this.measureFrom = measureFrom;
            this.end = end;
            this.step = groupStep[index];
            this.barrier = new CyclicBarrier(nodes, this::next);
        }

        /** Counts the race that just ended and sets up the next one: all the group's threads are waiting. */
        private void next() {
            if (user >= 0) {
                int count = accepted.getAndSet(0);
                races++;
                if (measuring) {
                    measuredRaces++;
                }
                if (count > 1) {
                    doubleAcceptances++;
                } else if (count == 0) {
                    noAcceptance++;
                }
            }
            long now = System.nanoTime();
            if (now >= end || failure != null) {
                stop = true;
                return;
            }
            measuring = now >= measureFrom;
            int next = user < 0 ? index : user + GROUPS;
            if (next >= USERS) {
                next = index;
                step++;
            }
            user = next;
            code = totp.generate(users.secrets[user], step);
        }

        void sign(TwoFactorService node) {
            try {
                while (true) {
                    barrier.await();
                    if (stop) {
                        return;
                    }
                    users.clock.set(step * SignInUsers.PERIOD_MILLIS + SignInUsers.PERIOD_MILLIS / 2);
                    if (node.verifyCode(users.userIds[user], code) instanceof Outcome.Success) {
                        accepted.incrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = e;
                barrier.reset();
            } catch (BrokenBarrierException e) {
                if (failure == null) {
                    failure = e;
                }
            } catch (RuntimeException | Error e) {
                failure = e;
                barrier.reset();
            }
        }
    }

    /** CPU time so far, in the kernel's clock ticks: this process, the PostgreSQL processes, the machine. */
    private record Cpu(long jvm, long postgres, long busy, long total) {

        static Cpu now() {
            long jvm = 0;
            long postgres = 0;
            long busy = 0;
            long total = 0;
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                for (int i = 1; i < cpu.length; i++) {
                    long ticks = Long.parseLong(cpu[i]);
                    total += i <= 8 ? ticks : 0; // guest time is already in user time
                    busy += i <= 8 && i != 4 && i != 5 ? ticks : 0; // not idle, not iowait
                }
                long self = ProcessHandle.current().pid();
                try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                    for (Path process : processes) {
                        long[] ticks = ticks(process);
                        if (ticks == null) {
                            continue;
                        }
                        if (Long.parseLong(process.getFileName().toString()) == self) {
                            jvm = ticks[0];
                        } else if (ticks[1] == 1) {
                            postgres += ticks[0];
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                return new Cpu(0, 0, 0, 0);
            }
            return new Cpu(jvm, postgres, busy, total);
        }

        /** {utime + stime, 1 if the process is a PostgreSQL one}, or null if it is gone. */
        private static long[] ticks(Path process) {
            try {
                String stat = Files.readString(process.resolve("stat"));
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                String[] fields = stat.substring(close + 2).split(" ");
                // After the name: state is field 3 of stat(5), utime 14 and stime 15.
                long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                return new long[] {used, name.equals("postgres") ? 1 : 0};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        double share(Cpu before, long ticks) {
            long elapsed = total - before.total;
            return elapsed <= 0 ? Double.NaN : ticks / (double) elapsed;
        }

        double postgresShare(Cpu before) {
            return postgres == 0 ? Double.NaN : share(before, postgres - before.postgres);
        }
    }
}
