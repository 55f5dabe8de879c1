package dev.crmsync.localrun;

import dev.crmsync.contract.IntegrationId;
import dev.crmsync.harness.SampleEvents;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Realistic CRM changes from a seed: accounts created and renamed (now and then deleted), contacts of those accounts
 * created, changing e-mail and deleted, deals that close, and what a CRM's delivery adds —
 * duplicates (the same event twice) and out-of-order versions (an older version after a newer one). Every change is
 * valid; each must be applied or skipped by every integration whose detail-types include its own.
 */
final class ChangeGenerator {
    private final Random random;
    private final List<InputEvent> events = new ArrayList<>();
    private final List<String> accounts = new ArrayList<>();
    private final List<Contact> contacts = new ArrayList<>();
    private final List<InputEvent> sent = new ArrayList<>();
    private int next;

    private record Contact(String id, String accountId, long version, String email) {}

    private ChangeGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** {@code count} changes from {@code seed}: the same seed makes the same changes. */
    static List<InputEvent> generate(int count, long seed) {
        ChangeGenerator generator = new ChangeGenerator(seed);
        while (generator.events.size() < count) {
            generator.nextChange();
        }
        return List.copyOf(generator.events.subList(0, count));
    }

    private void nextChange() {
        int draw = random.nextInt(100);
        if (accounts.isEmpty() || draw < 20) {
            newAccount();
        } else if (draw < 45) {
            newContact();
        } else if (draw < 60 && !contacts.isEmpty()) {
            emailChange();
        } else if (draw < 65 && !contacts.isEmpty()) {
            deleteContact();
        } else if (draw < 80) {
            dealCloses();
        } else if (draw < 85) {
            renameAccount();
        } else if (draw < 88 && accounts.size() > 3) {
            deleteAccount();
        } else if (draw < 95 && !sent.isEmpty()) {
            duplicate();
        } else {
            outOfOrder();
        }
    }

    private void newAccount() {
        String id = id("001");
        accounts.add(id);
        add("account.upserted", accountUpserted(id, 1));
    }

    private void renameAccount() {
        String id = pick(accounts);
        add("account.upserted", accountUpserted(id, 2 + random.nextInt(1000)));
    }

    private void deleteAccount() {
        String id = accounts.remove(random.nextInt(accounts.size()));
        add("account.deleted", SampleEvents.event("account.deleted", eventId(), id, 5000, data -> {}));
    }

    private void newContact() {
        Contact contact = new Contact(id("003"), pick(accounts), 1, "c" + next + "@" + "example.com");
        contacts.add(contact);
        add("contact.upserted", contactUpserted(contact));
    }

    private void emailChange() {
        int index = random.nextInt(contacts.size());
        Contact before = contacts.get(index);
        Contact after = new Contact(
                before.id(), before.accountId(), before.version() + 1, "c" + next + ".new@" + "example.com");
        contacts.set(index, after);
        add("contact.upserted", contactUpserted(after));
    }

    private void deleteContact() {
        Contact contact = contacts.remove(random.nextInt(contacts.size()));
        add(
                "contact.deleted",
                SampleEvents.event("contact.deleted", eventId(), contact.id(), contact.version() + 1, data -> {}));
    }

    private void dealCloses() {
        String deal = id("006");
        BigDecimal amount = BigDecimal.valueOf(10_000 + random.nextInt(990_000))
                .divide(BigDecimal.valueOf(100), 2, RoundingMode.UNNECESSARY);
        add("deal.closed", SampleEvents.dealClosed(deal, pick(accounts), amount.toPlainString(), eventId()));
    }

    /** The same event delivered twice: the second is a duplicate. */
    private void duplicate() {
        InputEvent original = sent.get(random.nextInt(sent.size()));
        events.add(new InputEvent(label(detailType(original)) + " (duplicate)", original.body(), original.expected()));
    }

    /** A record changed twice, the newer version delivered first: the older one is stale when it arrives. */
    private void outOfOrder() {
        String id = id("001");
        accounts.add(id);
        long newer = 3 + random.nextInt(10);
        add("account.upserted", accountUpserted(id, newer));
        add("account.upserted", accountUpserted(id, newer - 1));
    }

    private String accountUpserted(String id, long version) {
        return SampleEvents.event("account.upserted", eventId(), id, version, data -> {
            data.put("name", "Account " + id + " v" + version);
            data.put("email", "billing@" + id.toLowerCase() + ".example");
            data.put("domain", id.toLowerCase() + ".example");
        });
    }

    private String contactUpserted(Contact contact) {
        return SampleEvents.event("contact.upserted", eventId(), contact.id(), contact.version(), data -> {
            data.put("email", contact.email());
            data.put("firstName", "Contact");
            data.put("lastName", contact.id());
            data.put("accountId", contact.accountId());
        });
    }

    private void add(String detailType, String body) {
        InputEvent event = new InputEvent(
                label(detailType), body, Optional.of(new InputEvent.Expectation(true, routedTo(detailType))));
        events.add(event);
        sent.add(event);
    }

    /** The integrations whose detail-types include {@code detailType}, as the contract names them. */
    private static Set<String> routedTo(String detailType) {
        Set<String> integrations = new HashSet<>();
        for (IntegrationId id : IntegrationId.values()) {
            if (id.detailTypes().contains(detailType)) {
                integrations.add(id.wireName());
            }
        }
        return integrations;
    }

    private static String detailType(InputEvent event) {
        String label = event.label();
        return label.substring(label.indexOf(' ') + 1).replace(" (duplicate)", "");
    }

    private String label(String detailType) {
        return String.format("gen-%04d %s", events.size() + 1, detailType);
    }

    private String eventId() {
        return String.format("gen-%08x-%04d", random.nextInt(), ++next);
    }

    private String id(String prefix) {
        return prefix
                + String.format("%012X", random.nextLong() & 0xFFFFFFFFFFFFL).substring(0, 12);
    }

    private String pick(List<String> from) {
        return from.get(random.nextInt(from.size()));
    }
}
