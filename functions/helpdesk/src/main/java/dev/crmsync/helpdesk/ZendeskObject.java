package dev.crmsync.helpdesk;

/** The two kinds of Zendesk object a CRM record becomes: their API collection and the key of one in a body. */
enum ZendeskObject {
    ORGANIZATION("organizations", "organization"),
    USER("users", "user");

    private final String collection;
    private final String key;

    ZendeskObject(String collection, String key) {
        this.collection = collection;
        this.key = key;
    }

    /** {@code api/v2/organizations}, relative to the account's base URL. */
    String collectionPath() {
        return "api/v2/" + collection;
    }

    /** {@code api/v2/organizations/{id}}. */
    String path(String id) {
        return collectionPath() + "/" + id;
    }

    /** The array in a search answer: {@code {"organizations": […]}}. */
    String collection() {
        return collection;
    }

    /** The object in a body: {@code {"organization": {…}}}. */
    String key() {
        return key;
    }
}
