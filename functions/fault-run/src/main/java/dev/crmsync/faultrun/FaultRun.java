package dev.crmsync.faultrun;

import dev.crmsync.testkit.AwsEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fault run: the four integrations deployed on local servers, several function instances each,
 * the seeded workload sent through the routing table under seeded vendor faults, crashes and
 * freezes; then a short outage (nothing may reach a DLQ), a long one past a shortened retry window
 * (everything must), the redrive on-call does (StartMessageMoveTask), and the judgement of each
 * integration from its vendor's own state. Bounded in time; every server and thread it started is
 * stopped at the end, also on failure.
 */
final class FaultRun {
    private final RunSettings settings;
    private final AwsEnvironment aws;

    FaultRun(RunSettings settings, AwsEnvironment aws) {
        this.settings = settings;
        this.aws = aws;
    }

    /** What the run found. */
    record Result(
            RunSettings settings,
            Instant startedAt,
            Duration took,
            List<Verdict> verdicts,
            Map<String, Integer> instances) {
        long brokenInvariants() {
            return verdicts.stream().mapToLong(Verdict::brokenInvariants).sum();
        }
    }

    Result run() throws InterruptedException {
        Instant started = Instant.now();
        Instant deadline = started.plus(Duration.ofMinutes(10)).plusMillis(settings.events() * 60L);
        Workload workload = Workload.generate(settings.events(), settings.seed());
        Random random = new Random(settings.seed() ^ 0x5DEECE66DL);
        List<Deployment> deployments = new ArrayList<>();
        try {
            deployments.addAll(Deployment.all(aws, workload));
            EventSender sender = new EventSender(aws.sqs(), Routing.fromContract(), deployments);
            Map<String, Integer> instances = new LinkedHashMap<>();

            // 1. the workload under random vendor faults, crashes, freezes and deletes by hand
            for (Deployment d : deployments) {
                d.deploy(settings.mainWindow(), settings.instances());
                d.randomFaults(settings.seed() * 31 + d.integration.hashCode(), settings.vendorFaults());
                d.storedFailuresOnTheActions();
                instances.put(d.integration, d.instanceCount());
            }
            sendWorkload(workload, sender, deployments, deadline);
            deleteByHand(workload, sender, deployments, random, Math.max(2, settings.events() / 1000), deadline);
            awaitDrained(deployments, deadline);

            // 2. an outage well inside the retry window
            Set<String> shortOutage = new HashSet<>();
            deployments.forEach(d -> d.outage(settings.seed() + 1, FaultKind.SHORT_OUTAGE));
            for (SentEvent event : workload.freshEvents(3)) {
                sender.send(event);
                shortOutage.add(event.eventId());
            }
            sender.flush();
            Thread.sleep(settings.shortOutage());
            deployments.forEach(Deployment::healthy);
            awaitDrained(deployments, deadline);

            // 3. an outage longer than the window the function is now deployed with
            for (Deployment d : deployments) {
                d.deploy(settings.outageWindow(), settings.instances());
                d.outage(settings.seed() + 2, FaultKind.LONG_OUTAGE);
            }
            Set<String> longOutage = new HashSet<>();
            for (SentEvent event : workload.freshEvents(3)) {
                sender.send(event);
                longOutage.add(event.eventId());
            }
            sender.flush();
            Instant outageEnds = Instant.now().plus(settings.longOutage());
            while (Instant.now().isBefore(outageEnds.plusSeconds(30))
                    && Instant.now().isBefore(deadline)
                    && (Instant.now().isBefore(outageEnds) || !allDeadLettered(deployments, sender, longOutage))) {
                Thread.sleep(1000);
            }
            deployments.forEach(Deployment::healthy);

            // 4. on-call's redrive, after which every dead-lettered valid event must be applied. The
            // shortened window served only to make the long outage outlast it; the redrive runs on the
            // deployment's usual window, as on AWS (a redrive of a backlog to Slack, one post a second,
            // takes longer than the shortened window).
            for (Deployment d : deployments) {
                d.deploy(settings.mainWindow(), settings.instances());
            }
            // A message that gave up is refused on its next receives until the queue's RedrivePolicy
            // moves it: on-call redrives once the queues have settled, or it would reach the DLQ after the redrive.
            awaitDrained(deployments, deadline);
            Map<String, DeadLetters> before = new LinkedHashMap<>();
            for (Deployment d : deployments) {
                before.put(d.integration, DeadLetters.read(d.harness));
            }
            for (Deployment d : deployments) {
                aws.sqs().startMessageMoveTask(b -> b.sourceArn(d.harness.queues.dlqArn()));
            }
            Thread.sleep(1000);
            awaitDrained(deployments, deadline);
            awaitRedrivesFinished(deployments, deadline);
            awaitDrained(deployments, deadline);
            Map<String, DeadLetters> after = new LinkedHashMap<>();
            for (Deployment d : deployments) {
                after.put(d.integration, DeadLetters.read(d.harness));
            }

            List<Verdict> verdicts = new ArrayList<>();
            for (Deployment d : deployments) {
                List<SentEvent> sent = sender.sentTo(d.integration);
                Verdict verdict = Judge.judge(
                        d.integration,
                        d.expectedFaults,
                        sent,
                        d.view,
                        before.get(d.integration),
                        after.get(d.integration),
                        shortOutage,
                        longOutage);
                d.faultsMet(sent, workload).forEach(verdict::fault);
                verdicts.add(verdict);
            }
            return new Result(settings, started, Duration.between(started, Instant.now()), verdicts, instances);
        } finally {
            for (Deployment d : deployments) {
                d.close();
            }
        }
    }

    /**
     * Sends the workload, handing each integration its crashes and freezes at evenly spread points of it.
     */
    private void sendWorkload(Workload workload, EventSender sender, List<Deployment> deployments, Instant deadline)
            throws InterruptedException {
        List<SentEvent> events = List.copyOf(workload.events);
        int mishaps = settings.mishapsPerIntegration();
        for (int i = 0; i < events.size(); i++) {
            sender.send(events.get(i));
            if (i % 50 == 49) {
                sender.awaitBacklog(deadline);
            }
            int step = events.size() / (mishaps + 1);
            if (i > 0 && i % step == 0 && i / step <= mishaps) {
                for (Deployment d : deployments) {
                    d.tickets.addCrash();
                    d.tickets.addFreeze(
                            i / step % 2 == 1 ? Tickets.FreezePoint.BEFORE_COMMIT : Tickets.FreezePoint.BEFORE_CLAIM);
                }
            }
        }
        sender.flush();
    }

    /**
     * Deletes objects by hand, as a person does in the vendor's UI, while the workload is being
     * applied: an account's object the vendor holds goes, and the CRM then sends a newer version of
     * the account (which must bring the object back, as a new one), and every other time its
     * deletion too (which must remove whatever the account maps to by then).
     */
    private static void deleteByHand(
            Workload workload,
            EventSender sender,
            List<Deployment> deployments,
            Random random,
            int count,
            Instant deadline)
            throws InterruptedException {
        Set<Integer> stable =
                workload.stableAccounts.stream().map(CrmRecord::index).collect(Collectors.toSet());
        Instant giveUp =
                Instant.now().plusSeconds(60).isBefore(deadline) ? Instant.now().plusSeconds(60) : deadline;
        for (Deployment d : deployments) {
            while (d.expectedFaults.contains(FaultKind.DELETED_BY_HAND)
                    && d.deletedByHand.get() < count
                    && Instant.now().isBefore(giveUp)) {
                List<Integer> held = new ArrayList<>(d.view.liveObjects().keySet());
                held.removeIf(index -> stable.contains(index)
                        || !workload.record(index).object().equals("account"));
                Collections.sort(held);
                if (held.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                CrmRecord account = workload.record(held.get(random.nextInt(held.size())));
                if (d.view.deleteByHand(account).isPresent()) {
                    d.deletedByHand.incrementAndGet();
                    workload.nextVersions(account).forEach(sender::send);
                    sender.flush();
                }
            }
        }
    }

    private static boolean allDeadLettered(List<Deployment> deployments, EventSender sender, Set<String> eventIds) {
        for (Deployment d : deployments) {
            DeadLetters letters = DeadLetters.read(d.harness);
            for (SentEvent event : sender.sentTo(d.integration)) {
                if (eventIds.contains(event.eventId()) && !letters.has(event.eventId())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Waits until no queue holds a message, visible or in flight, twice in a row (never past {@code deadline}). */
    private static void awaitDrained(List<Deployment> deployments, Instant deadline) throws InterruptedException {
        int quiet = 0;
        while (quiet < 2 && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            boolean empty = deployments.stream().allMatch(d -> d.harness.queuedMessages() == 0);
            quiet = empty ? quiet + 1 : 0;
        }
    }

    private void awaitRedrivesFinished(List<Deployment> deployments, Instant deadline) throws InterruptedException {
        for (Deployment d : deployments) {
            while (Instant.now().isBefore(deadline)
                    && aws.sqs().listMessageMoveTasks(b -> b.sourceArn(d.harness.queues.dlqArn())).results().stream()
                            .anyMatch(t -> "RUNNING".equals(t.status()))) {
                Thread.sleep(500);
            }
        }
    }
}
