package dev.crmsync.sandbox.mailchimp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.ApiKeyScheme;
import dev.crmsync.sandbox.EndpointFailure;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mailchimp's Marketing API, audience members only: {@code PUT}, {@code PATCH}, {@code GET} and
 * {@code DELETE} (archive) on {@code /3.0/lists/{list_id}/members/{subscriber_hash}}, where the hash is the MD5 hex of the
 * lower-cased e-mail; {@code GET /3.0/lists/{list_id}} and its {@code merge-fields} (paged), whose
 * schema every member write is checked against. Basic auth with any user name and the key as password; errors as
 * {@code application/problem+json} ({@code type, title, status, detail, instance}, and on 400 an
 * {@code errors[]} list). At most {@link #DEFAULT_CONNECTION_LIMIT} simultaneous requests per account:
 * one more is answered 429 without {@code Retry-After}, as Mailchimp does not promise one.
 */
public final class MailchimpSandbox extends VendorSandbox<MailchimpSandbox> {
    /** Mailchimp's documented limit of simultaneous connections per account. */
    public static final int DEFAULT_CONNECTION_LIMIT = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LIST = Pattern.compile("/3\\.0/lists/([^/]+)(/merge-fields)?");
    private static final Pattern US_PHONE = Pattern.compile("[0-9]{3}-[0-9]{3}-[0-9]{4}");
    /** The merge-fields collection's page size: 10 unless {@code count} asks for more, at most 1000 (Lists API reference). */
    private static final int DEFAULT_PAGE = 10;
    private static final int MAX_PAGE = 1000;
    private static final Pattern MEMBER = Pattern.compile("/3\\.0/lists/([^/]+)/members/([^/]+)");
    private static final Set<String> STATUSES = Set.of("subscribed", "unsubscribed", "cleaned", "pending", "transactional");
    private static final Set<String> PATCH_STATUSES = Set.of("subscribed", "unsubscribed", "cleaned", "pending");
    private static final String ERROR_DOCS = "https://mailchimp.com/developer/marketing/docs/errors/";

    private final Object lock = new Object();
    private final Map<String, List<MergeField>> lists = new LinkedHashMap<>(); // list id → its merge fields, guarded by lock
    private final Map<String, Member> members = new LinkedHashMap<>();       // list/hash → member, guarded by lock
    private final Set<String> inCompliance = new HashSet<>();                // lower-cased e-mails, guarded by lock
    private final Set<String> forgotten = new HashSet<>();                   // lower-cased e-mails, guarded by lock
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private volatile int connectionLimit = DEFAULT_CONNECTION_LIMIT;

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
    public static final List<MergeField> DEFAULT_MERGE_FIELDS = List.of(MergeField.text("FNAME"), MergeField.text("LNAME"),
            new MergeField("ADDRESS", "address", false, null), MergeField.phone("PHONE", "none"));

    /** An audience member as the sandbox holds it. */
    public record Member(String listId, String hash, String emailAddress, String status, Map<String, String> mergeFields) {}

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
            byte[] digest = MessageDigest.getInstance("MD5").digest(email.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
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
        synchronized (lock) {
            lists.put(listId, DEFAULT_MERGE_FIELDS);
        }
        return this;
    }

    /** The audience's merge fields as a person set them in the app (renamed, removed, made required, phone format changed). */
    public MailchimpSandbox mergeFields(String listId, List<MergeField> fields) {
        synchronized (lock) {
            if (!lists.containsKey(listId)) {
                throw new IllegalStateException("no list " + listId);
            }
            lists.put(listId, List.copyOf(fields));
        }
        return this;
    }

    /** The e-mail's member is in a compliance state (e.g. on a suppression list): writes get 400 "Member In Compliance State". */
    public MailchimpSandbox inComplianceState(String email) {
        synchronized (lock) {
            inCompliance.add(email.toLowerCase(Locale.ROOT));
        }
        return this;
    }

    /** The e-mail was erased (GDPR): adding it again gets 400 "Forgotten Email Not Subscribed". */
    public MailchimpSandbox forgotten(String email) {
        synchronized (lock) {
            forgotten.add(email.toLowerCase(Locale.ROOT));
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
        return rejectNext("PUT", "/3\\.0/lists/[^/]+/members/[0-9a-f]{32}", times, 400, "Invalid Resource",
                "[e-mail] has signed up to a lot of lists very recently; we're not allowing more signups for now");
    }

    /**
     * A member as a person made or changed it in Mailchimp's app (an import, a signup form, an
     * unsubscribe link): written as given, no request recorded.
     */
    public MailchimpSandbox memberByHand(String listId, String email, String status, Map<String, String> mergeFields) {
        synchronized (lock) {
            String hash = subscriberHash(email);
            members.put(listId + "/" + hash, new Member(listId, hash, email, status, Map.copyOf(mergeFields)));
        }
        return this;
    }

    /** The member's status changed outside the API (the person used an e-mail's unsubscribe link, a bounce cleaned it). */
    public MailchimpSandbox statusByHand(String listId, String email, String status) {
        synchronized (lock) {
            Member m = members.get(listId + "/" + subscriberHash(email));
            if (m == null) {
                throw new IllegalStateException("no member " + email + " in " + listId);
            }
            members.put(listId + "/" + m.hash(), new Member(listId, m.hash(), m.emailAddress(), status, m.mergeFields()));
        }
        return this;
    }

    /**
     * A person deleted the member permanently in Mailchimp's app: it is gone (404), and, as after
     * any permanent delete, its address cannot be added again ("Forgotten Email Not Subscribed",
     * https://mailchimp.com/developer/marketing/docs/errors/).
     */
    public MailchimpSandbox deletedPermanentlyByHand(String listId, String email) {
        synchronized (lock) {
            members.remove(listId + "/" + subscriberHash(email));
            forgotten.add(email.toLowerCase(Locale.ROOT));
        }
        return this;
    }

    /** At most this many requests in progress at once; one more gets 429 (default {@value #DEFAULT_CONNECTION_LIMIT}). */
    public MailchimpSandbox connectionLimit(int limit) {
        this.connectionLimit = limit;
        return this;
    }

    // ---------------------------------------------------------------- views

    /** Every member of every list, archived ones included, in order of first write. */
    public List<Member> members() {
        synchronized (lock) {
            return List.copyOf(members.values());
        }
    }

    public Optional<Member> member(String listId, String email) {
        synchronized (lock) {
            return Optional.ofNullable(members.get(listId + "/" + subscriberHash(email)));
        }
    }

    /** The most requests that were in progress at the same moment since the last reset (refused ones included). */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    // ---------------------------------------------------------------- the vendor

    @Override
    protected ApiKeyScheme apiKeyScheme() {
        return ApiKeyScheme.basicPassword();
    }

    @Override
    protected SandboxReply errorReply(SandboxRequest request, SandboxError error) {
        return switch (error) {
            case SandboxError.Failure(int status, String cause) -> problem(request, status,
                    status >= 500 ? "Internal Server Error" : "Error " + status,
                    cause == null ? "An unexpected internal error has occurred." : cause, null);
            // Mailchimp promises no Retry-After: none is sent, whatever the test asked for.
            case SandboxError.RateLimited(int ignored) -> problem(request, 429, "Too Many Requests",
                    "You have exceeded the limit of " + connectionLimit + " simultaneous connections.", null);
            case SandboxError.Rejected(int status, String title, String detail) -> problem(request, status, title, detail, null);
            case SandboxError.Unauthorized(String key) -> problem(request, 401, "API Key Invalid",
                    key == null ? "Your request did not include an API key." : "Your API key may be invalid, or you've attempted to access the wrong datacenter.", null);
        };
    }

    @Override
    protected SandboxReply serve(SandboxRequest request, EndpointFailure failure) {
        int now = inFlight.incrementAndGet();
        try {
            peakInFlight.accumulateAndGet(now, Math::max);
            // The latency is spent while the connection counts, so slow answers fill the limit.
            request.awaitLatency();
            if (now > connectionLimit) {
                return errorReply(request, new SandboxError.RateLimited(0));
            }
            return runEndpoint(failure, () -> route(request), status -> errorReply(request, new SandboxError.Failure(status, null)));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    protected SandboxReply route(SandboxRequest request) {
        Matcher list = LIST.matcher(request.path());
        if (list.matches() && request.method().equals("GET")) {
            synchronized (lock) {
                List<MergeField> fields = lists.get(list.group(1));
                if (fields == null) {
                    throw new Rejection(404, "Resource Not Found", "The requested resource could not be found.");
                }
                return list.group(2) == null ? listReply(list.group(1)) : mergeFieldsReply(request, list.group(1), fields);
            }
        }
        Matcher m = MEMBER.matcher(request.path());
        if (!m.matches()) {
            throw new Rejection(404, "Resource Not Found", "The requested resource could not be found.");
        }
        String listId = m.group(1);
        String hash = m.group(2).toLowerCase(Locale.ROOT);
        synchronized (lock) {
            if (!lists.containsKey(listId)) {
                throw new Rejection(404, "Resource Not Found", "The requested resource could not be found.");
            }
            return switch (request.method()) {
                case "PUT", "PATCH" -> {
                    try {
                        yield request.method().equals("PUT") ? put(request, listId, hash) : patch(request, listId, hash);
                    } catch (MergeFieldsInvalid invalid) {
                        yield problem(request, 400, "Invalid Resource", "Your merge fields were invalid.", invalid.errors);
                    }
                }
                case "GET" -> memberReply(200, existing(listId, hash));
                case "DELETE" -> archive(listId, hash);
                default -> throw new Rejection(405, "Method Not Allowed", request.method() + " is not allowed on a member.");
            };
        }
    }

    private SandboxReply put(SandboxRequest request, String listId, String hash) {
        if (request.malformed() != null) {
            throw new Rejection(400, "JSON Parse Exception", request.malformed());
        }
        JsonNode body = request.json();
        if (body == null || !body.hasNonNull("email_address")) {
            throw invalid("email_address", "This value should not be blank.");
        }
        String email = body.get("email_address").asText();
        String lower = email.toLowerCase(Locale.ROOT);
        if (!subscriberHash(email).equals(hash)) {
            throw invalid("email_address", "The subscriber hash in the path does not match the email address.");
        }
        if (inCompliance.contains(lower)) {
            throw new Rejection(400, "Member In Compliance State",
                    email + " is already a list member in compliance state due to unsubscribe, bounce, or compliance review.");
        }
        Member current = members.get(listId + "/" + hash);
        // An archived member still exists: status_if_new does not apply to it, and a PUT without an
        // explicit status leaves it archived (reported by API users: https://github.com/tbar0970/jethro-pmm/issues/708,
        // https://github.com/mailchimp/mc-woocommerce/issues/951; status_if_new is "required only if
        // the email address is not already present on the list"). Only an explicit status un-archives.
        boolean isNew = current == null;
        String status;
        if (body.hasNonNull("status")) {
            status = knownStatus(body.get("status").asText());
        } else if (isNew) {
            if (!body.hasNonNull("status_if_new")) {
                throw invalid("status_if_new", "The status_if_new field is required when the member is new.");
            }
            status = knownStatus(body.get("status_if_new").asText());
        } else {
            status = current.status(); // archived included
        }
        if (isNew && forgotten.contains(lower)) {
            throw new Rejection(400, "Forgotten Email Not Subscribed",
                    email + " was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.");
        }
        // Mailchimp keeps merge fields the request leaves out.
        Map<String, String> mergeFields = new LinkedHashMap<>(current == null ? Map.of() : current.mergeFields());
        body.path("merge_fields").fields().forEachRemaining(e -> mergeFields.put(e.getKey(), e.getValue().asText()));
        validateMergeFields(request, listId, body, mergeFields);
        Member member = new Member(listId, hash, email, status, Map.copyOf(mergeFields));
        members.put(listId + "/" + hash, member);
        return memberReply(200, member);
    }

    /**
     * Updates an existing member; a new {@code email_address} moves it to that address's hash,
     * keeping its status and merge fields (Mailchimp added this in 2016-11, reported by users:
     * https://github.com/brandonseydel/MailChimp.Net/issues/135,
     * https://github.com/ibericode/mailchimp-user-sync/issues/80). Mailchimp moves only a
     * {@code subscribed} member ("This member's status is "cleaned." You can only update email
     * addresses for members with a status of "subscribed."", reported by users:
     * https://github.com/ibericode/mailchimp-user-sync/issues/96) and refuses an address that is
     * already on the list, archived members included ("… is already in this list with a status of
     * …", reported by users: https://github.com/brandonseydel/MailChimp.Net/issues/201); both are 400
     * {@code Invalid Resource}. The PATCH {@code status} enum has no {@code transactional}
     * (Members API reference, "Update list member").
     */
    private SandboxReply patch(SandboxRequest request, String listId, String hash) {
        if (request.malformed() != null) {
            throw new Rejection(400, "JSON Parse Exception", request.malformed());
        }
        Member current = existing(listId, hash);
        JsonNode body = request.json() == null ? JSON.createObjectNode() : request.json();
        String email = current.emailAddress();
        String target = hash;
        if (body.hasNonNull("email_address") && !subscriberHash(body.get("email_address").asText()).equals(hash)) {
            email = body.get("email_address").asText();
            target = subscriberHash(email);
            if (!current.status().equals("subscribed")) {
                throw invalid("email_address", "This member's status is \"" + current.status()
                        + ".\" You can only update email addresses for members with a status of \"subscribed.\"");
            }
            Member taken = members.get(listId + "/" + target);
            if (taken != null) {
                throw invalid("email_address", "\"" + email + "\" is already in this list with a status of \"" + taken.status() + "\".");
            }
            if (inCompliance.contains(email.toLowerCase(Locale.ROOT))) {
                throw new Rejection(400, "Member In Compliance State",
                        email + " is already a list member in compliance state due to unsubscribe, bounce, or compliance review.");
            }
        }
        String status = current.status();
        if (body.hasNonNull("status")) {
            status = body.get("status").asText();
            if (!PATCH_STATUSES.contains(status)) {
                throw invalid("status", "The status must be one of " + PATCH_STATUSES + ".");
            }
        }
        Map<String, String> mergeFields = new LinkedHashMap<>(current.mergeFields());
        body.path("merge_fields").fields().forEachRemaining(e -> mergeFields.put(e.getKey(), e.getValue().asText()));
        validateMergeFields(request, listId, body, mergeFields);
        Member member = new Member(listId, target, email, status, Map.copyOf(mergeFields));
        members.remove(listId + "/" + hash);
        members.put(listId + "/" + target, member);
        return memberReply(200, member);
    }

    /**
     * The audience's merge fields checked against a member write, as Mailchimp does: 400 {@code
     * Invalid Resource} "Your merge fields were invalid." with one {@code errors[]} entry per field.
     * A required field left without a value: "Please enter a value", on new and existing members
     * alike (reported by users: https://github.com/ibericode/mailchimp-for-wordpress/issues/545,
     * https://github.com/brandonseydel/MailChimp.Net/issues/312, https://github.com/verbb/formie/issues/2387),
     * unless the query has {@code skip_merge_validation=true} (Members API reference: "member data
     * will be accepted without merge field values, even if the merge field is usually required").
     * A phone in a US-format field must be NPA-NXX-LINE, 404-555-1212 (API 2.0 reference, quoted in
     * https://github.com/EvanHerman/yikes-inc-easy-mailchimp-extender/issues/431; v3 is not verified,
     * so the strict form is kept, and kept under skip_merge_validation too). A tag the audience does not
     * have: what v3 answers is not documented; the sandbox refuses it, the stricter side.
     */
    private void validateMergeFields(SandboxRequest request, String listId, JsonNode body, Map<String, String> merged) {
        Map<String, MergeField> schema = new LinkedHashMap<>();
        lists.get(listId).forEach(f -> schema.put(f.tag(), f));
        boolean skipRequired = "true".equals(request.params().get("skip_merge_validation"));
        ArrayNode errors = JSON.createArrayNode();
        body.path("merge_fields").fieldNames().forEachRemaining(tag -> {
            MergeField field = schema.get(tag);
            String value = body.path("merge_fields").path(tag).asText();
            if (field == null) {
                errors.addObject().put("field", tag).put("message", "This merge field does not exist in the audience.");
            } else if ("US".equals(field.phoneFormat()) && !value.isEmpty() && !US_PHONE.matcher(value).matches()) {
                errors.addObject().put("field", tag).put("message", "Please enter a valid phone number");
            }
        });
        if (!skipRequired) {
            for (MergeField field : schema.values()) {
                if (field.required() && merged.getOrDefault(field.tag(), "").isEmpty()) {
                    errors.addObject().put("field", field.tag()).put("message", "Please enter a value");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new MergeFieldsInvalid(errors);
        }
    }

    private static String knownStatus(String status) {
        if (!STATUSES.contains(status)) {
            throw invalid("status", "The status must be one of " + STATUSES + ".");
        }
        return status;
    }

    private SandboxReply archive(String listId, String hash) {
        Member member = existing(listId, hash);
        if (member.status().equals("archived")) {
            throw new Rejection(404, "Resource Not Found", "The requested resource could not be found.");
        }
        members.put(listId + "/" + hash, new Member(listId, hash, member.emailAddress(), "archived", member.mergeFields()));
        return SandboxReply.of(204, "application/json", new byte[0]);
    }

    private Member existing(String listId, String hash) {
        Member member = members.get(listId + "/" + hash);
        if (member == null) {
            throw new Rejection(404, "Resource Not Found", "The requested resource could not be found.");
        }
        return member;
    }

    private static SandboxReply memberReply(int status, Member member) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", member.hash())
                .put("email_address", member.emailAddress())
                .put("unique_email_id", member.hash().substring(0, 10))
                .put("status", member.status())
                .put("list_id", member.listId());
        ObjectNode merge = body.putObject("merge_fields");
        member.mergeFields().forEach(merge::put);
        return SandboxReply.json(status, body);
    }

    private static SandboxReply listReply(String listId) {
        ObjectNode body = JSON.createObjectNode().put("id", listId).put("name", "Audience " + listId);
        body.putObject("stats");
        return SandboxReply.json(200, body);
    }

    /** A page of the audience's merge fields: {@code count} (10 by default, at most 1000) from {@code offset}, with {@code total_items}. */
    private static SandboxReply mergeFieldsReply(SandboxRequest request, String listId, List<MergeField> fields) {
        int count = Math.min(MAX_PAGE, intParam(request, "count", DEFAULT_PAGE));
        int offset = intParam(request, "offset", 0);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode page = body.putArray("merge_fields");
        for (int i = offset; i < Math.min(fields.size(), offset + count); i++) {
            MergeField f = fields.get(i);
            ObjectNode field = page.addObject().put("merge_id", i + 1).put("tag", f.tag()).put("name", f.tag())
                    .put("type", f.type()).put("required", f.required()).put("default_value", "").put("public", true)
                    .put("display_order", i + 2).put("list_id", listId);
            ObjectNode options = field.putObject("options");
            if (f.phoneFormat() != null) {
                options.put("phone_format", f.phoneFormat());
            }
        }
        body.put("list_id", listId).put("total_items", fields.size());
        return SandboxReply.json(200, body);
    }

    private static int intParam(SandboxRequest request, String name, int otherwise) {
        String value = request.params().get(name);
        try {
            return value == null ? otherwise : Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw invalid(name, "This value should be of type integer.");
        }
    }

    /** A member write refused for its merge fields: one {@code errors[]} entry per field. */
    private static final class MergeFieldsInvalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ArrayNode errors;

        MergeFieldsInvalid(ArrayNode errors) {
            super("Your merge fields were invalid.", null, false, false);
            this.errors = errors;
        }
    }

    private static Rejection invalid(String field, String message) {
        return new Rejection(400, "Invalid Resource", field + ": " + message);
    }

    @Override
    protected void resetState() {
        synchronized (lock) {
            lists.clear();
            members.clear();
            inCompliance.clear();
            forgotten.clear();
        }
        // requests still in progress keep their count in inFlight
        peakInFlight.set(0);
        connectionLimit = DEFAULT_CONNECTION_LIMIT;
    }

    private static SandboxReply problem(SandboxRequest request, int status, String title, String detail, ArrayNode errors) {
        ObjectNode body = JSON.createObjectNode()
                .put("type", ERROR_DOCS)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("instance", request.id());
        if (errors != null) {
            body.set("errors", errors);
        } else if (status == 400 && title.equals("Invalid Resource")) {
            int colon = detail.indexOf(':');
            ArrayNode list = body.putArray("errors");
            list.addObject().put("field", colon < 0 ? "" : detail.substring(0, colon))
                    .put("message", colon < 0 ? detail : detail.substring(colon + 1).strip());
        }
        return SandboxReply.of(status, "application/problem+json", SandboxReply.bytes(body));
    }
}
