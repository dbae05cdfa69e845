// rabbitmq-c (librabbitmq): the AMQP 0-9-1 client behind ServiceKit's RabbitMQ event bus. Its I/O is blocking, so
// the bus calls it from threads of its own. The helpers below cover what Swift cannot call or build directly:
// the variadic login, field tables (a union per value), the method ids (macros with casts), and calls that take
// names as amqp_bytes_t (these take C strings, which Swift passes for the duration of the call).
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <string.h>

/// Logs in with PLAIN authentication (amqp_login is variadic).
static inline amqp_rpc_reply_t acme_amqp_login_plain(
    amqp_connection_state_t state, const char *vhost, int heartbeat, const char *user, const char *password) {
    return amqp_login(state, vhost, 0, AMQP_DEFAULT_FRAME_SIZE, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

/// Declares a durable topic exchange.
static inline void acme_amqp_declare_topic_exchange(
    amqp_connection_state_t state, amqp_channel_t channel, const char *exchange) {
    amqp_exchange_declare(state, channel, amqp_cstring_bytes(exchange), amqp_cstring_bytes("topic"), 0, 1, 0, 0,
                          amqp_empty_table);
}

/// Declares a durable queue with no arguments.
static inline void acme_amqp_declare_queue(amqp_connection_state_t state, amqp_channel_t channel, const char *queue) {
    amqp_queue_declare(state, channel, amqp_cstring_bytes(queue), 0, 1, 0, 0, amqp_empty_table);
}

/// Binds `queue` to `exchange` with the routing pattern `pattern`.
static inline void acme_amqp_bind_queue(
    amqp_connection_state_t state, amqp_channel_t channel, const char *queue, const char *exchange,
    const char *pattern) {
    amqp_queue_bind(state, channel, amqp_cstring_bytes(queue), amqp_cstring_bytes(exchange),
                    amqp_cstring_bytes(pattern), amqp_empty_table);
}

/// Consumes `queue` with manual acknowledgements.
static inline void acme_amqp_consume(amqp_connection_state_t state, amqp_channel_t channel, const char *queue) {
    amqp_basic_consume(state, channel, amqp_cstring_bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
}

/// Takes one message from `queue`, acknowledged at once.
static inline amqp_rpc_reply_t acme_amqp_get(amqp_connection_state_t state, amqp_channel_t channel, const char *queue) {
    return amqp_basic_get(state, channel, amqp_cstring_bytes(queue), 1);
}

/// Declares a durable queue whose rejected messages go to `dead_letter_queue` through the default exchange.
static inline void acme_amqp_declare_dead_lettered_queue(
    amqp_connection_state_t state, amqp_channel_t channel, const char *queue, const char *dead_letter_queue) {
    amqp_table_entry_t entries[2];
    entries[0].key = amqp_cstring_bytes("x-dead-letter-exchange");
    entries[0].value.kind = AMQP_FIELD_KIND_UTF8;
    entries[0].value.value.bytes = amqp_cstring_bytes("");
    entries[1].key = amqp_cstring_bytes("x-dead-letter-routing-key");
    entries[1].value.kind = AMQP_FIELD_KIND_UTF8;
    entries[1].value.value.bytes = amqp_cstring_bytes(dead_letter_queue);
    amqp_table_t arguments = {2, entries};
    amqp_queue_declare(state, channel, amqp_cstring_bytes(queue), 0, 1, 0, 0, arguments);
}

/// Publishes a persistent JSON message with its message id and type set.
static inline int acme_amqp_publish_persistent(
    amqp_connection_state_t state, amqp_channel_t channel, const char *exchange, const char *routing_key,
    const char *message_id, amqp_bytes_t body) {
    amqp_basic_properties_t properties;
    properties._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG
        | AMQP_BASIC_TYPE_FLAG;
    properties.content_type = amqp_cstring_bytes("application/json");
    properties.delivery_mode = AMQP_DELIVERY_PERSISTENT;
    properties.message_id = amqp_cstring_bytes(message_id);
    properties.type = amqp_cstring_bytes(routing_key);
    return amqp_basic_publish(
        state, channel, amqp_cstring_bytes(exchange), amqp_cstring_bytes(routing_key), 0, 0, &properties, body);
}

/// The header that counts a message's failed handler attempts, set when the consumer moves it to its retry queue.
#define ACME_AMQP_ATTEMPTS_HEADER "x-acme-attempts"

/// Publishes a persistent JSON message straight to `queue` (through the default exchange) with its message id and
/// type, the header counting its failed attempts, and an expiration of `expiration_ms` (decimal text): a retry
/// queue holds it that long, then dead-letters it back to the consumer's queue.
static inline int acme_amqp_publish_retry(
    amqp_connection_state_t state, amqp_channel_t channel, const char *queue, const char *message_id,
    const char *type, int64_t attempts, const char *expiration_ms, amqp_bytes_t body) {
    amqp_table_entry_t entry;
    entry.key = amqp_cstring_bytes(ACME_AMQP_ATTEMPTS_HEADER);
    entry.value.kind = AMQP_FIELD_KIND_I64;
    entry.value.value.i64 = attempts;
    amqp_basic_properties_t properties;
    properties._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG
        | AMQP_BASIC_TYPE_FLAG | AMQP_BASIC_HEADERS_FLAG | AMQP_BASIC_EXPIRATION_FLAG;
    properties.content_type = amqp_cstring_bytes("application/json");
    properties.delivery_mode = AMQP_DELIVERY_PERSISTENT;
    properties.message_id = amqp_cstring_bytes(message_id);
    properties.type = amqp_cstring_bytes(type);
    properties.headers.num_entries = 1;
    properties.headers.entries = &entry;
    properties.expiration = amqp_cstring_bytes(expiration_ms);
    return amqp_basic_publish(
        state, channel, amqp_cstring_bytes(""), amqp_cstring_bytes(queue), 0, 0, &properties, body);
}

/// The failed attempts a delivered message's header counts; 0 without the header.
static inline int64_t acme_amqp_attempts(const amqp_envelope_t *envelope) {
    const amqp_basic_properties_t *properties = &envelope->message.properties;
    if (!(properties->_flags & AMQP_BASIC_HEADERS_FLAG)) return 0;
    amqp_bytes_t key = amqp_cstring_bytes(ACME_AMQP_ATTEMPTS_HEADER);
    for (int index = 0; index < properties->headers.num_entries; index++) {
        const amqp_table_entry_t *entry = &properties->headers.entries[index];
        if (entry->key.len != key.len || memcmp(entry->key.bytes, key.bytes, key.len) != 0) continue;
        switch (entry->value.kind) {
        case AMQP_FIELD_KIND_I8: return entry->value.value.i8;
        case AMQP_FIELD_KIND_U8: return entry->value.value.u8;
        case AMQP_FIELD_KIND_I16: return entry->value.value.i16;
        case AMQP_FIELD_KIND_U16: return entry->value.value.u16;
        case AMQP_FIELD_KIND_I32: return entry->value.value.i32;
        case AMQP_FIELD_KIND_U32: return entry->value.value.u32;
        case AMQP_FIELD_KIND_I64: return entry->value.value.i64;
        case AMQP_FIELD_KIND_U64: return (int64_t)entry->value.value.u64;
        default: return 0;
        }
    }
    return 0;
}

/// What a frame is, for the loops that wait for publisher confirms and deliveries.
typedef enum {
    ACME_AMQP_FRAME_OTHER = 0,
    ACME_AMQP_FRAME_ACK = 1,
    ACME_AMQP_FRAME_NACK = 2,
    ACME_AMQP_FRAME_CLOSE = 3,
} acme_amqp_frame_kind;

/// A frame read by amqp_simple_wait_frame, classified: a confirm (basic.ack / basic.nack from the broker, with
/// its delivery tag and `multiple` flag), a channel.close or connection.close (with its reply code and text), or
/// anything else.
typedef struct {
    acme_amqp_frame_kind kind;
    uint64_t delivery_tag;
    int multiple;
    uint16_t reply_code;
    amqp_bytes_t reply_text;
} acme_amqp_frame_summary;

static inline acme_amqp_frame_summary acme_amqp_summarize_frame(const amqp_frame_t *frame) {
    acme_amqp_frame_summary summary = {ACME_AMQP_FRAME_OTHER, 0, 0, 0, {0, NULL}};
    if (frame->frame_type != AMQP_FRAME_METHOD) return summary;
    switch (frame->payload.method.id) {
    case AMQP_BASIC_ACK_METHOD: {
        const amqp_basic_ack_t *ack = (const amqp_basic_ack_t *)frame->payload.method.decoded;
        summary.kind = ACME_AMQP_FRAME_ACK;
        summary.delivery_tag = ack->delivery_tag;
        summary.multiple = ack->multiple;
        break;
    }
    case AMQP_BASIC_NACK_METHOD: {
        const amqp_basic_nack_t *nack = (const amqp_basic_nack_t *)frame->payload.method.decoded;
        summary.kind = ACME_AMQP_FRAME_NACK;
        summary.delivery_tag = nack->delivery_tag;
        summary.multiple = nack->multiple;
        break;
    }
    case AMQP_CHANNEL_CLOSE_METHOD: {
        const amqp_channel_close_t *close = (const amqp_channel_close_t *)frame->payload.method.decoded;
        summary.kind = ACME_AMQP_FRAME_CLOSE;
        summary.reply_code = close->reply_code;
        summary.reply_text = close->reply_text;
        break;
    }
    case AMQP_CONNECTION_CLOSE_METHOD: {
        const amqp_connection_close_t *close = (const amqp_connection_close_t *)frame->payload.method.decoded;
        summary.kind = ACME_AMQP_FRAME_CLOSE;
        summary.reply_code = close->reply_code;
        summary.reply_text = close->reply_text;
        break;
    }
    }
    return summary;
}

/// The reply code and text of a server exception (channel.close or connection.close); code 0 for other replies.
static inline acme_amqp_frame_summary acme_amqp_summarize_reply(amqp_rpc_reply_t reply) {
    amqp_frame_t frame;
    frame.frame_type = AMQP_FRAME_METHOD;
    frame.payload.method = reply.reply;
    if (reply.reply_type != AMQP_RESPONSE_SERVER_EXCEPTION) frame.frame_type = 0;
    return acme_amqp_summarize_frame(&frame);
}

/// Whether a basic.get answered with a message (basic.get-ok) rather than basic.get-empty.
static inline int acme_amqp_is_get_ok(amqp_rpc_reply_t reply) {
    return reply.reply_type == AMQP_RESPONSE_NORMAL && reply.reply.id == AMQP_BASIC_GET_OK_METHOD;
}
