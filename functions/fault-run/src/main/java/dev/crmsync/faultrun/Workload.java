package dev.crmsync.faultrun;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The seeded workload: CRM records and the events the CRM sends about them, in send order, with
 * the faults a CRM and EventBridge bring themselves — duplicates, out-of-order versions, bursts on
 * one record, e-mail changes, deletes and re-creates, case-only id pairs, several closes per deal
 * with other names and amounts, malformed and schema-invalid events. The same seed and size give
 * the same events. Events are made from the contract's own samples ({@link CrmEvents}).
 *
 * <p>Accounts that contacts and deals refer to ("stable" accounts) are never deleted, in the CRM or
 * by hand: a CRM does not delete an account that still has contacts and open deals.
 */
final class Workload {
    /** Shares of the events by story; deals are few because Slack takes one message per second per channel. */
    private static final double ACCOUNT_SHARE = 0.40;

    private static final double DEAL_SHARE = 0.05;

    final List<SentEvent> events = new ArrayList<>();
    final List<CrmRecord> records = new ArrayList<>();
    final List<CrmRecord> stableAccounts = new ArrayList<>();
    /** Every e-mail a contact of the run ever has, by contact index (Mailchimp's member is keyed by it). */
    final Map<Integer, List<String>> emails = new HashMap<>();
    /** The faults a record's story carries that its events alone do not show: kind → record index → count. */
    final Map<FaultKind, Map<Integer, Integer>> storyFaults = new EnumMap<>(FaultKind.class);

    private final Map<Integer, CrmRecord> byIndex = new HashMap<>();
    /** The first story of each object has every fault its object can have, so that even a small run has them all. */
    private final Set<String> firstStoryTold = new HashSet<>();
    /** The objects whose events were sent twice at least once (the first event of each object is). */
    private final Set<String> duplicated = new HashSet<>();

    private final Random random;
    private final CrmEvents crm;
    private final List<Placed> placed = new ArrayList<>();
    private int nextIndex = 1;
    private long sequence;

    private record Placed(double position, long sequence, SentEvent event) {}

    private Workload(long seed) {
        this.random = new Random(seed);
        this.crm = new CrmEvents(random);
    }

    /** About {@code size} events (a little more: a story is never cut short). */
    static Workload generate(int size, long seed) {
        Workload w = new Workload(seed);
        w.build(size);
        return w;
    }

    private void build(int size) {
        int stable = Math.max(4, size / 100);
        for (int i = 0; i < stable; i++) {
            CrmRecord account = newRecord("account", "001");
            stableAccounts.add(account);
            accountStory(account, -1.0 - i * 1e-6, false); // first, so that dependants find their account early
        }
        int invalid = Math.max(16, size / 100);
        while (events(placed) < size - invalid) {
            double start = random.nextDouble() * size;
            double pick = random.nextDouble();
            if (pick < DEAL_SHARE) {
                dealStory(newRecord("deal", "006"), start);
            } else if (pick < DEAL_SHARE + ACCOUNT_SHARE) {
                accountStory(newRecord("account", "001"), start, true);
            } else {
                contactStory(newRecord("contact", "003"), start);
            }
        }
        for (int i = 0; i < invalid; i++) {
            placed.add(new Placed(random.nextDouble() * size, sequence++, crm.invalid(i)));
        }
        placed.sort(Comparator.comparingDouble(Placed::position).thenComparingLong(Placed::sequence));
        placed.forEach(p -> events.add(p.event()));
    }

    private static int events(List<Placed> placed) {
        return placed.size();
    }

    private CrmRecord newRecord(String object, String prefix) {
        int index = nextIndex++;
        // 15 characters like a Salesforce id: prefix, "xx", 8 digits of the index, two letters
        CrmRecord record =
                new CrmRecord(object, index, prefix + "xx" + String.format(Locale.ROOT, "%08d", index) + "Ab");
        records.add(record);
        byIndex.put(index, record);
        return record;
    }

    CrmRecord record(int index) {
        return byIndex.get(index);
    }

    /** True for the first story of {@code object} (which then gets every fault), else with {@code probability}. */
    private boolean chance(String object, double probability) {
        return !firstStoryTold.contains(object) || random.nextDouble() < probability;
    }

    /** A second record whose id differs from {@code first}'s only in case (Salesforce ids are case-sensitive). */
    private CrmRecord casePartner(CrmRecord first) {
        int index = nextIndex++;
        String id = first.recordId().substring(0, 13) + "aB";
        CrmRecord partner = new CrmRecord(first.object(), index, id);
        records.add(partner);
        byIndex.put(index, partner);
        count(FaultKind.CASE_ONLY_ID_PAIR, first);
        count(FaultKind.CASE_ONLY_ID_PAIR, partner);
        return partner;
    }

    // ---------------------------------------------------------------- stories

    private void accountStory(CrmRecord account, double start, boolean mayBeDeleted) {
        List<SentEvent> story = new ArrayList<>();
        long version = 0;
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            story.add(crm.accountUpserted(account, ++version));
        }
        version = mayBeDeleted ? maybeBurst(account, story, version, v -> crm.accountUpserted(account, v)) : version;
        if (mayBeDeleted && chance("account", 0.25)) {
            story.add(crm.deleted(account, "account.deleted", ++version));
            if (chance("account", 0.5)) {
                story.add(crm.accountUpserted(account, ++version));
            }
        }
        place(story, start);
        if (mayBeDeleted && chance("account", 0.05)) {
            CrmRecord partner = casePartner(account);
            List<SentEvent> partnerStory = new ArrayList<>();
            for (long v = 1; v <= 1 + random.nextInt(3); v++) {
                partnerStory.add(crm.accountUpserted(partner, v));
            }
            place(partnerStory, start + random.nextDouble() * 5);
        }
        if (mayBeDeleted) {
            firstStoryTold.add("account");
        }
    }

    private void contactStory(CrmRecord contact, double start) {
        String accountId = random.nextDouble() < 0.8
                ? stableAccounts.get(random.nextInt(stableAccounts.size())).recordId()
                : null;
        List<String> addresses = emails.computeIfAbsent(contact.index(), i -> new ArrayList<>());
        addresses.add(CrmEvents.email(contact, 1));
        List<SentEvent> story = new ArrayList<>();
        long version = 0;
        for (int n = chance("contact", 0) ? 3 : 1 + random.nextInt(3); n > 0; n--) {
            if (version > 0 && chance("contact", 0.3)) {
                addresses.add(CrmEvents.email(contact, addresses.size() + 1));
                count(FaultKind.EMAIL_CHANGE, contact);
            }
            story.add(crm.contactUpserted(contact, ++version, addresses.getLast(), accountId));
        }
        String address = addresses.getLast();
        version = maybeBurst(contact, story, version, v -> crm.contactUpserted(contact, v, address, accountId));
        if (random.nextDouble() < 0.25) {
            story.add(crm.deleted(contact, "contact.deleted", ++version));
            if (random.nextBoolean()) {
                addresses.add(CrmEvents.email(contact, addresses.size() + 1));
                story.add(crm.contactUpserted(contact, ++version, addresses.getLast(), accountId));
            }
        }
        place(story, start);
        if (chance("contact", 0.05)) {
            CrmRecord partner = casePartner(contact);
            emails.computeIfAbsent(partner.index(), i -> new ArrayList<>()).add(CrmEvents.email(partner, 1));
            place(
                    List.of(crm.contactUpserted(partner, 1, CrmEvents.email(partner, 1), accountId)),
                    start + random.nextDouble() * 5);
        }
        firstStoryTold.add("contact");
    }

    private void dealStory(CrmRecord deal, double start) {
        CrmRecord account = stableAccounts.get(random.nextInt(stableAccounts.size()));
        int closes = chance("deal", 0) ? 3 : 1 + random.nextInt(3);
        if (closes > 1) {
            count(FaultKind.SEVERAL_CLOSES_PER_DEAL, deal);
        }
        List<SentEvent> story = new ArrayList<>();
        for (int close = 1; close <= closes; close++) {
            story.add(crm.dealClosed(deal, close, account.recordId()));
        }
        place(story, start);
        if (chance("deal", 0.05)) {
            CrmRecord partner = casePartner(deal);
            place(List.of(crm.dealClosed(partner, 1, account.recordId())), start + random.nextDouble() * 5);
        }
        firstStoryTold.add("deal");
    }

    /** One story in ten gets a burst: 5 to 8 versions sent back to back. */
    private long maybeBurst(CrmRecord record, List<SentEvent> story, long version, LongFunction<SentEvent> event) {
        if (!chance(record.object(), 0.1)) {
            return version;
        }
        count(FaultKind.BURST, record);
        for (int n = 5 + random.nextInt(4); n > 0; n--) {
            story.add(event.apply(++version));
        }
        return version;
    }

    /**
     * Places a story's events in the stream after {@code start}, spread out (bursts back to back);
     * swaps some neighbours (out-of-order versions) and sends some twice (duplicates).
     */
    private void place(List<SentEvent> story, double start) {
        List<SentEvent> order = new ArrayList<>(story);
        for (int i = 1; i < order.size(); i++) {
            if (random.nextDouble() < 0.08) {
                order.add(i - 1, order.remove(i));
                i++;
            }
        }
        double position = start;
        SentEvent previous = null;
        for (SentEvent event : order) {
            boolean burst = previous != null
                    && previous.record() == event.record()
                    && Math.abs(previous.version() - event.version()) == 1
                    && random.nextDouble() < 0.5;
            position += burst ? 1e-3 : 1 + random.nextDouble() * 40;
            placed.add(new Placed(position, sequence++, event));
            if (!duplicated.contains(event.record().object()) || random.nextDouble() < 0.05) {
                duplicated.add(event.record().object());
                placed.add(new Placed(position + random.nextDouble() * 200, sequence++, event));
            }
            previous = event;
        }
    }

    /**
     * Events of new records for an outage phase, without faults of their own: {@code count} new
     * accounts and contacts and half as many deals (of stable accounts), one event each. Added to
     * {@link #events} so that the judge judges them too.
     */
    List<SentEvent> freshEvents(int count) {
        List<SentEvent> fresh = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            fresh.add(crm.accountUpserted(newRecord("account", "001"), 1));
            CrmRecord contact = newRecord("contact", "003");
            emails.computeIfAbsent(contact.index(), c -> new ArrayList<>()).add(CrmEvents.email(contact, 1));
            fresh.add(crm.contactUpserted(
                    contact,
                    1,
                    CrmEvents.email(contact, 1),
                    stableAccounts.get(i % stableAccounts.size()).recordId()));
            if (i % 2 == 0) {
                fresh.add(crm.dealClosed(
                        newRecord("deal", "006"),
                        1,
                        stableAccounts.get(i % stableAccounts.size()).recordId()));
            }
        }
        events.addAll(fresh);
        return fresh;
    }

    /**
     * What the CRM sends next about an account: an edit (a newer version), and every other time the
     * account's deletion right after it. Added to {@link #events}.
     */
    List<SentEvent> nextVersions(CrmRecord account) {
        long latest = events.stream()
                .filter(e -> e.record() == account)
                .mapToLong(SentEvent::version)
                .max()
                .orElse(0);
        List<SentEvent> next = new ArrayList<>(List.of(crm.accountUpserted(account, latest + 1)));
        if (random.nextBoolean()) {
            next.add(crm.deleted(account, "account.deleted", latest + 2));
        }
        events.addAll(next);
        return next;
    }

    private void count(FaultKind kind, CrmRecord record) {
        storyFaults.computeIfAbsent(kind, k -> new HashMap<>()).merge(record.index(), 1, Integer::sum);
    }
}
