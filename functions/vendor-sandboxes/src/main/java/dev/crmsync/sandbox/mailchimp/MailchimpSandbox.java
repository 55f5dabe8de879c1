package dev.crmsync.sandbox.mailchimp;

import dev.crmsync.sandbox.ApiKeyScheme;
import dev.crmsync.sandbox.EndpointFailure;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mailchimp's Marketing API, audience members only: {@code PUT}, {@code PATCH}, {@code GET} and
 * {@code DELETE} (archive) on {@code /3.0/lists/{list_id}/members/{subscriber_hash}}, where the hash is the MD5 hex of
 * the
 * lower-cased e-mail; {@code GET /3.0/lists/{list_id}} and its {@code merge-fields} (paged), whose
 * schema every member write is checked against. Basic auth with any user name and the key as password; errors as
 * {@code application/problem+json} ({@code type, title, status, detail, instance}, and on 400 an
 * {@code errors[]} list). At most {@link #DEFAULT_CONNECTION_LIMIT} simultaneous requests per account:
 * one more is answered 429 without {@code Retry-After}, as Mailchimp does not promise one.
 */
public final class MailchimpSandbox extends VendorSandbox<MailchimpSandbox> {
    /** Mailchimp's documented limit of simultaneous connections per account. */
    public static final int DEFAULT_CONNECTION_LIMIT = 10;

    private static final Pattern LIST = Pattern.compile("/3\\.0/lists/([^/]+)(/merge-fields)?");
    private static final Pattern MEMBER = Pattern.compile("/3\\.0/lists/([^/]+)/members/([^/]+)");

    private final Audiences audiences = new Audiences();
    private final ConnectionLimit connections = new ConnectionLimit();
    private final AudienceEndpoints audienceEndpoints = new AudienceEndpoints(audiences);
    private final MemberEndpoints memberEndpoints = new MemberEndpoints(audiences);

    /**
     * A merge field of an audience: its tag, type ({@code text}, {@code phone}, {@code address}, …),
     * whether a member needs a value, and for a phone field its {@code phone_format} ({@code US} or
     * {@code none}, i.e. international).
     */
    public record MergeField(String tag, String type, boolean required, String phoneFormat) {
        public static MergeField text(String tag) {
            return new MergeField(tag, "text", false, null);
        }

        public static MergeField phone(String tag, String phoneFormat) {
            return new MergeField(tag, "phone", false, phoneFormat);
        }

        public MergeField asRequired() {
            return new MergeField(tag, type, true, phoneFormat);
        }
    }

    /**
     * A new audience's fields (https://mailchimp.com/developer/marketing/docs/merge-fields/: "FNAME,
     * LNAME, ADDRESS, and PHONE are present by default … These default fields are editable"). The
     * default PHONE format is not documented; international is taken.
     */
    public static final List<MergeField> DEFAULT_MERGE_FIELDS = List.of(
            MergeField.text("FNAME"),
            MergeField.text("LNAME"),
            new MergeField("ADDRESS", "address", false, null),
            MergeField.phone("PHONE", "none"));

    /** An audience member as the sandbox holds it. */
    public record Member(
            String listId, String hash, String emailAddress, String status, Map<String, String> mergeFields) {}

    private MailchimpSandbox() {
        super("mailchimp");
    }

    /** One sandbox per JVM, stopped at exit. */
    public static MailchimpSandbox shared() {
        return shared(MailchimpSandbox.class, MailchimpSandbox::start);
    }

    public static MailchimpSandbox start() {
        return new MailchimpSandbox().startServer();
    }

    /** The subscriber hash Mailchimp derives from an e-mail: MD5 hex of its lower-cased form. */
    public static String subscriberHash(String email) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest(email.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    // ---------------------------------------------------------------- knobs

    /**
     * Creates an audience with the merge fields Mailchimp gives a new one (FNAME, LNAME, ADDRESS,
     * PHONE: https://mailchimp.com/developer/marketing/docs/merge-fields/); members of any other
     * list id are 404.
     */
    public MailchimpSandbox createList(String listId) {
        synchronized (audiences.lock) {
            audiences.lists.put(listId, DEFAULT_MERGE_FIELDS);
        }
        return this;
    }

    /**
     * The audience's merge fields as a person set them in the app (renamed, removed, made required, phone format
     * changed).
     */
    public MailchimpSandbox mergeFields(String listId, List<MergeField> fields) {
        synchronized (audiences.lock) {
            if (!audiences.lists.containsKey(listId)) {
                throw new IllegalStateException("no list " + listId);
            }
            audiences.lists.put(listId, List.copyOf(fields));
        }
        return this;
    }

    /**
     * The e-mail's member is in a compliance state (e.g. on a suppression list): writes get 400 "Member In Compliance
     * State".
     */
    public MailchimpSandbox inComplianceState(String email) {
        synchronized (audiences.lock) {
            audiences.inCompliance.add(email.toLowerCase(Locale.ROOT));
        }
        return this;
    }

    /** The e-mail was erased (GDPR): adding it again gets 400 "Forgotten Email Not Subscribed". */
    public MailchimpSandbox forgotten(String email) {
        synchronized (audiences.lock) {
            audiences.forgotten.add(email.toLowerCase(Locale.ROOT));
        }
        return this;
    }

    /**
     * The next {@code times} member writes hit Mailchimp's signup throttle: 400 {@code Invalid
     * Resource} "… has signed up to a lot of lists very recently; we're not allowing more signups for
     * now", which passes with time (reported by users:
     * https://github.com/ibericode/mailchimp-for-wordpress/issues/506,
     * https://github.com/ibericode/mailchimp-for-wordpress/issues/771,
     * https://github.com/JustFixNYC/tenants2/issues/1576). Nothing is written.
     */
    public MailchimpSandbox signupThrottleNext(int times) {
        return rejectNext(
                "PUT",
                "/3\\.0/lists/[^/]+/members/[0-9a-f]{32}",
                times,
                400,
                "Invalid Resource",
                "[e-mail] has signed up to a lot of lists very recently; we're not allowing more signups for now");
    }

    /**
     * A member as a person made or changed it in Mailchimp's app (an import, a signup form, an
     * unsubscribe link): written as given, no request recorded.
     */
    public MailchimpSandbox memberByHand(String listId, String email, String status, Map<String, String> mergeFields) {
        synchronized (audiences.lock) {
            String hash = subscriberHash(email);
            audiences.members.put(
                    listId + "/" + hash, new Member(listId, hash, email, status, Map.copyOf(mergeFields)));
        }
        return this;
    }

    /**
     * The member's status changed outside the API (the person used an e-mail's unsubscribe link, a bounce cleaned it).
     */
    public MailchimpSandbox statusByHand(String listId, String email, String status) {
        synchronized (audiences.lock) {
            Member m = audiences.members.get(listId + "/" + subscriberHash(email));
            if (m == null) {
                throw new IllegalStateException("no member " + email + " in " + listId);
            }
            audiences.members.put(
                    listId + "/" + m.hash(), new Member(listId, m.hash(), m.emailAddress(), status, m.mergeFields()));
        }
        return this;
    }

    /**
     * A person deleted the member permanently in Mailchimp's app: it is gone (404), and, as after
     * any permanent delete, its address cannot be added again ("Forgotten Email Not Subscribed",
     * https://mailchimp.com/developer/marketing/docs/errors/).
     */
    public MailchimpSandbox deletedPermanentlyByHand(String listId, String email) {
        synchronized (audiences.lock) {
            audiences.members.remove(listId + "/" + subscriberHash(email));
            audiences.forgotten.add(email.toLowerCase(Locale.ROOT));
        }
        return this;
    }

    /**
     * At most this many requests in progress at once; one more gets 429 (default {@value #DEFAULT_CONNECTION_LIMIT}).
     */
    public MailchimpSandbox connectionLimit(int limit) {
        connections.limit(limit);
        return this;
    }

    // ---------------------------------------------------------------- views

    /** Every member of every list, archived ones included, in order of first write. */
    public List<Member> members() {
        synchronized (audiences.lock) {
            return List.copyOf(audiences.members.values());
        }
    }

    public Optional<Member> member(String listId, String email) {
        synchronized (audiences.lock) {
            return Optional.ofNullable(audiences.members.get(listId + "/" + subscriberHash(email)));
        }
    }

    /** The most requests that were in progress at the same moment since the last reset (refused ones included). */
    public int peakInFlight() {
        return connections.peak();
    }

    // ---------------------------------------------------------------- the vendor

    @Override
    protected ApiKeyScheme apiKeyScheme() {
        return ApiKeyScheme.basicPassword();
    }

    @Override
    protected SandboxReply errorReply(SandboxRequest request, SandboxError error) {
        return MailchimpProblems.errorReply(request, error, connections.limit());
    }

    @Override
    protected SandboxReply serve(SandboxRequest request, EndpointFailure failure) {
        return connections.whileCounted(
                request,
                () -> runEndpoint(
                        failure,
                        () -> route(request),
                        status -> errorReply(request, new SandboxError.Failure(status, null))),
                () -> errorReply(request, new SandboxError.RateLimited(0)));
    }

    @Override
    protected SandboxReply route(SandboxRequest request) {
        Matcher list = LIST.matcher(request.path());
        if (list.matches() && request.method().equals("GET")) {
            return list.group(2) == null
                    ? audienceEndpoints.list(list.group(1))
                    : audienceEndpoints.mergeFields(request, list.group(1));
        }
        Matcher member = MEMBER.matcher(request.path());
        if (!member.matches()) {
            throw Audiences.notFound();
        }
        return memberEndpoints.serve(request, member.group(1), member.group(2).toLowerCase(Locale.ROOT));
    }

    @Override
    protected void resetState() {
        synchronized (audiences.lock) {
            audiences.reset();
        }
        connections.reset();
    }
}
